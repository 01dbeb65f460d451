"""Accounts for many units at once, handed over as one printable PDF and one Excel list.

`accounts_provision_plan` works out, without writing, which (unit, role) pairs get a new
account and which already have one. `accounts_provision` queues the creation as a
background job (kind `accounts_provision`): each item creates one account through
`services.user_create` (the one home of account creation: permission, validation, audit),
and the last item builds the handover. The temporary passwords are never written to the
database: while the job runs each one waits in a private file of its own (default storage,
where the handover itself is kept); building the handover deletes them. The handover is
downloadable by the manager who asked for it only, for ACCOUNTS_HANDOVER_HOURS (24 by
default); `handovers_purge` (a maintenance job) deletes it after that.

Measured on the shared two-core development machine: the password hash (PBKDF2, 1,000,000
rounds) alone costs 0.53 s; the whole of Tuyên Quang (284 accounts and the 146-page
handover) took 458 s under a load of about 10, 1.6 s an account. Too long for a request,
hence the job.
"""

import io
import json
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import ROLE_LEVEL, Role, User
from accounts.selectors import manageable_roles, manageable_units
from accounts.services import user_create
from accounts.usernames import shared_slugs, username_for
from audit.services import audit_log
from core.pdf import typst_pdf
from jobs import runner
from jobs.models import BulkJob
from jobs.tasks import bulk_job_enqueue
from units.models import Unit

KIND = "accounts_provision"
# Roles an administrator hands out in bulk; the system administrator is made by hand.
PROVISIONED_ROLES = (
    Role.COMMUNE_OFFICER,
    Role.COMMUNE_LEADER,
    Role.DISTRICT_STAFF,
    Role.PROVINCE_HEALTH,
)
HANDOVER_HOURS = 24
# Where each user's guide is read (the guides' pages live above this floor).
GUIDE_PATH = "/huong-dan/"
TEMPLATE = Path(__file__).resolve().parent / "typst" / "handover.typ"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Plan:
    """What a provisioning would do: new (unit, role, username) and the accounts that exist."""

    new: list[tuple[Unit, str, str]] = field(default_factory=list)
    existing: list[User] = field(default_factory=list)
    # Usernames taken by an account of another unit or role, even with the GSO code.
    blocked: list[tuple[Unit, str, str]] = field(default_factory=list)


def provisionable_roles(actor: User) -> list[Role]:
    return [role for role in manageable_roles(actor) if role in PROVISIONED_ROLES]


def accounts_provision_plan(*, by: User, units: list[Unit], roles: list[str]) -> Plan:
    """Which accounts of `roles` in `units` are missing (each role goes to the units of
    its level, ROLE_LEVEL). Writes nothing. PermissionDenied for a unit or role the
    manager may not manage (accounts.selectors)."""
    allowed_roles = set(provisionable_roles(by))
    if not set(roles) <= allowed_roles:
        raise PermissionDenied
    allowed_units = set(manageable_units(by).values_list("pk", flat=True))
    if any(unit.pk not in allowed_units for unit in units):
        raise PermissionDenied
    pairs = [
        (unit, role)
        for unit in sorted(units, key=lambda u: u.code)
        for role in sorted(roles, key=PROVISIONED_ROLES.index)
        if unit.level == ROLE_LEVEL[role]
    ]
    province = by.unit.province_unit
    shared = shared_slugs(Unit.objects.within(province))
    held = {}
    for user in User.objects.filter(unit__in=[u for u, _r in pairs]).order_by("username"):
        held.setdefault((user.unit_id, user.role), user)
    wanted = {
        (unit.pk, role): [
            username_for(unit, role, shared=shared),
            username_for(unit, role, shared=shared, with_code=True),
        ]
        for unit, role in pairs
        if (unit.pk, role) not in held
    }
    taken = set(
        User.objects.filter(
            username__in=[name for names in wanted.values() for name in names]
        ).values_list("username", flat=True)
    )
    plan = Plan()
    for unit, role in pairs:
        if (unit.pk, role) in held:
            plan.existing.append(held[(unit.pk, role)])
            continue
        free = [name for name in wanted[(unit.pk, role)] if name not in taken]
        if free:
            plan.new.append((unit, role, free[0]))
        else:
            plan.blocked.append((unit, role, wanted[(unit.pk, role)][0]))
    return plan


def accounts_provision(*, by: User, units: list[Unit], roles: list[str], request=None) -> BulkJob:
    """Queue the creation of the missing accounts of `roles` in `units` and the building of
    their handover; the job's page shows its progress. Accounts that exist are left alone
    and listed in the handover. ValidationError when nothing is missing or while another
    provisioning job is queued or running."""
    plan = accounts_provision_plan(by=by, units=units, roles=roles)
    # One at a time: two jobs racing for the same unit would both try the same username.
    if BulkJob.objects.filter(
        kind=KIND, state__in=[BulkJob.State.QUEUED, BulkJob.State.RUNNING]
    ).exists():
        raise ValidationError(
            _("Một lần tạo tài khoản hàng loạt khác đang chạy; chờ lần đó xong rồi thử lại.")
        )
    if not plan.new:
        raise ValidationError(
            _("Mọi đơn vị đã chọn đều đã có tài khoản với các vai trò này; không có gì để tạo.")
        )
    items = [
        {"unit_id": unit.pk, "role": role, "username": username, "ref": f"{unit.name}: {username}"}
        for unit, role, username in plan.new
    ]
    items.append({"handover": True, "ref": _("Phiếu bàn giao")})
    with transaction.atomic():
        job = BulkJob.objects.create(
            kind=KIND,
            state=BulkJob.State.QUEUED,
            commune_id=by.unit_id,
            created_by=by,
            confirmed_at=timezone.now(),
            items=items,
            total=len(items),
            params={
                "unit_ids": [unit.pk for unit in units],
                "roles": list(roles),
                "existing": [user.pk for user in plan.existing],
                "blocked": [
                    {"unit_id": unit.pk, "role": role, "username": name}
                    for unit, role, name in plan.blocked
                ],
                "files": {},
            },
        )
        audit_log(
            action="account.provision",
            request=request,
            actor=by,
            obj=job,
            unit=by.unit,
            detail={
                "units": len(units),
                "roles": list(roles),
                "new": len(plan.new),
                "existing": len(plan.existing),
                "blocked": len(plan.blocked),
            },
        )
        transaction.on_commit(lambda: bulk_job_enqueue(job.pk))
    return job


def _pending_name(job: BulkJob, username: str) -> str:
    return f"accounts/handover/{job.uuid}/pending/{username}.json"


def _run_item(job: BulkJob, item: dict) -> str:
    if item.get("handover"):
        _build_handover(job)
        return "handover"
    unit = Unit.objects.get(pk=item["unit_id"])
    if User.objects.filter(unit=unit, role=item["role"]).exists():
        # Made by someone else since the plan: leave it alone, as the plan would have.
        return "existing"
    user, password = user_create(
        by=job.created_by, username=item["username"], full_name="", role=item["role"], unit=unit
    )
    # The password waits in private storage, never in the database, until the handover.
    name = _pending_name(job, user.username)
    default_storage.delete(name)
    default_storage.save(name, ContentFile(json.dumps({"password": password}).encode()))
    return "created"


def register() -> None:
    runner.register(
        runner.JobKind(
            code=KIND,
            label=gettext_lazy("Tạo tài khoản hàng loạt"),
            run_item=_run_item,
            item_ref=lambda job, item: item.get("ref", ""),
            outcome_labels={
                "created": gettext_lazy("Tài khoản mới"),
                "existing": gettext_lazy("Đã có, để nguyên"),
            },
        )
    )


# --- The handover ------------------------------------------------------------------------


@dataclass
class HandoverRow:
    unit: Unit
    role: str
    username: str
    password: str  # "" for an account that existed before
    note: str


def _handover_rows(job: BulkJob) -> list[HandoverRow]:
    """Every account of the delivery, new (with its password) and existing, by unit."""
    rows = []
    created = [item for item in job.items if "username" in item]
    users = {
        user.username: user
        for user in User.objects.filter(
            username__in=[item["username"] for item in created], created_by=job.created_by
        ).select_related("unit", "unit__parent")
    }
    for item in created:
        user = users.get(item["username"])
        name = _pending_name(job, item["username"])
        if user is None or not default_storage.exists(name):
            continue
        with default_storage.open(name) as fh:
            password = json.loads(fh.read())["password"]
        rows.append(HandoverRow(user.unit, user.role, user.username, password, ""))
    existing = User.objects.filter(pk__in=job.params.get("existing", [])).select_related(
        "unit", "unit__parent"
    )
    for user in existing:
        note = _("Đã có từ trước, mật khẩu không đổi")
        if not user.is_active:
            note = _("Đã có từ trước, đang bị khóa")
        rows.append(HandoverRow(user.unit, user.role, user.username, "", note))
    rows.sort(key=lambda r: (*_delivery_order(r.unit), PROVISIONED_ROLES.index(r.role)))
    return rows


def _delivery_order(unit: Unit) -> tuple:
    """The province first, then each district followed by its communes, as they are handed
    out (through the districts); in a set without districts, the communes by code."""
    if unit.level == Unit.Level.PROVINCE:
        return (0, "", 0, unit.code)
    if unit.level == Unit.Level.DISTRICT:
        return (1, unit.code, 0, unit.code)
    district = unit.parent.code if unit.parent and unit.parent.level == unit.Level.DISTRICT else ""
    return (1, district, 1, unit.code)


def _site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def handover_pdf(job: BulkJob, rows: list[HandoverRow]) -> bytes:
    """A4 pages, one per unit: its accounts, temporary passwords, where to sign in."""
    sheets: dict[int, dict] = {}
    for row in rows:
        parent = row.unit.parent
        sheet = sheets.setdefault(
            row.unit.pk,
            {
                "unit": row.unit.name,
                "code": row.unit.code,
                "parent": parent.name if parent and row.unit.level == Unit.Level.COMMUNE else "",
                "accounts": [],
            },
        )
        sheet["accounts"].append(
            {
                "role": str(Role(row.role).label),
                "username": row.username,
                "password": row.password,
                "note": row.note,
            }
        )
    made_at = timezone.localtime(job.created_at)
    data = {
        "title": str(_("Phiếu bàn giao tài khoản")),
        "province": job.commune.province_unit.name,
        "made_at": _("Lập ngày %(date)s") % {"date": made_at.strftime("%d/%m/%Y %H:%M")},
        "footer": _("Khai báo F0 - phiếu bàn giao số %(job)s - giữ kín, hủy sau khi giao")
        % {"job": job.pk},
        "login_url": _site_url(reverse("accounts:login")),
        "guide_url": _site_url(GUIDE_PATH),
        "labels": {
            "heading": str(_("PHIẾU BÀN GIAO TÀI KHOẢN")),
            "unit": str(_("Đơn vị")),
            "parent": str(_("Thuộc")),
            "code": str(_("Mã đơn vị")),
            "role": str(_("Vai trò")),
            "username": str(_("Tên đăng nhập")),
            "password": str(_("Mật khẩu tạm thời")),
            "login": str(_("Địa chỉ đăng nhập")),
            "guide": str(_("Hướng dẫn sử dụng")),
            "steps": [
                str(_("Mở địa chỉ đăng nhập, nhập tên đăng nhập và mật khẩu tạm thời.")),
                str(_("Hệ thống yêu cầu đổi mật khẩu ngay ở lần đăng nhập đầu tiên.")),
                str(_("Không đưa mật khẩu cho người khác; quên mật khẩu thì báo quản trị.")),
            ],
            "giver": str(_("Người giao")),
            "receiver": str(_("Người nhận")),
            "sign": str(_("(ký, ghi rõ họ tên)")),
        },
        "sheets": list(sheets.values()),
    }
    return typst_pdf(TEMPLATE, data)


def handover_xlsx(job: BulkJob, rows: list[HandoverRow]) -> bytes:
    """One row per account for the IT department: unit, role, username, password, status."""
    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    sheet = workbook.add_worksheet(str(_("Tài khoản"))[:31])
    bold = workbook.add_format({"bold": True, "bg_color": "#E7E6E6", "border": 1})
    headers = [
        (_("Mã đơn vị"), 10),
        (_("Đơn vị"), 28),
        (_("Thuộc"), 24),
        (_("Vai trò"), 28),
        (_("Tên đăng nhập"), 26),
        (_("Mật khẩu tạm thời"), 18),
        (_("Tình trạng"), 34),
        (_("Địa chỉ đăng nhập"), 36),
    ]
    for col, (header, width) in enumerate(headers):
        sheet.write_string(0, col, str(header), bold)
        sheet.set_column(col, col, width)
    login_url = _site_url(reverse("accounts:login"))
    for r, row in enumerate(rows, start=1):
        parent = row.unit.parent.name if row.unit.parent else ""
        values = [
            row.unit.code,
            row.unit.name,
            parent,
            str(Role(row.role).label),
            row.username,
            row.password,
            row.note or str(_("Mới tạo, phải đổi mật khẩu khi đăng nhập lần đầu")),
            login_url,
        ]
        for col, value in enumerate(values):
            if value:
                sheet.write_string(r, col, value)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(len(rows), 1), len(headers) - 1)
    workbook.close()
    return buffer.getvalue()


def _build_handover(job: BulkJob) -> None:
    rows = _handover_rows(job)
    base = f"accounts/handover/{job.uuid}/tai-khoan-{job.pk}"
    files = {
        "pdf": default_storage.save(f"{base}.pdf", ContentFile(handover_pdf(job, rows))),
        "xlsx": default_storage.save(f"{base}.xlsx", ContentFile(handover_xlsx(job, rows))),
    }
    # The runner saves this same `params` dict with the item's outcome: change it in place.
    job.params["files"] = files
    job.params["accounts"] = len(rows)
    BulkJob.objects.filter(pk=job.pk).update(params=job.params)
    # The passwords now live only in the handover; the deletions wait for the commit, so a
    # crash before it leaves them for the rerun.
    names = [_pending_name(job, item["username"]) for item in job.items if "username" in item]
    transaction.on_commit(lambda: [default_storage.delete(name) for name in names])


def handover_expires_at(job: BulkJob):
    hours = int(getattr(settings, "ACCOUNTS_HANDOVER_HOURS", HANDOVER_HOURS))
    return (job.finished_at or job.created_at) + timedelta(hours=hours)


def handover_open(*, by: User, job: BulkJob, fmt: str, request=None):
    """The handover file (`fmt` "pdf" or "xlsx") of `job`, opened for reading, and its
    download name; audited. Only its creator, only until it expires; PermissionDenied
    otherwise, ValidationError once expired or purged."""
    if job.kind != KIND or job.created_by_id != by.pk:
        raise PermissionDenied
    name = job.params.get("files", {}).get(fmt)
    if not name or timezone.now() > handover_expires_at(job) or not default_storage.exists(name):
        raise ValidationError(
            _("Phiếu bàn giao đã hết hạn và đã bị xóa; hãy đặt lại mật khẩu nếu cần trao lại.")
        )
    audit_log(
        action="account.handover_download",
        request=request,
        actor=by,
        obj=job,
        unit=by.unit,
        detail={"format": fmt},
    )
    return default_storage.open(name), f"tai-khoan-{job.pk}.{fmt}"


def handovers_purge(*, now=None) -> int:
    """Delete the handover files (and any passwords left waiting) of provisioning jobs
    older than ACCOUNTS_HANDOVER_HOURS; return how many jobs were purged."""
    now = now or timezone.now()
    hours = int(getattr(settings, "ACCOUNTS_HANDOVER_HOURS", HANDOVER_HOURS))
    purged = 0
    for job in BulkJob.objects.filter(kind=KIND, created_at__lt=now - timedelta(hours=hours)):
        if job.params.get("purged") or job.is_active:
            continue
        for name in job.params.get("files", {}).values():
            default_storage.delete(name)
        for item in job.items:
            if "username" in item:
                default_storage.delete(_pending_name(job, item["username"]))
        BulkJob.objects.filter(pk=job.pk).update(params=dict(job.params, files={}, purged=True))
        purged += 1
    return purged
