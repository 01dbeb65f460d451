"""Accounts for every unit at once: the administrator's page, the background job, the
handover PDF and Excel read back, the first sign-in of a generated account."""

import io
import re
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from openpyxl import load_workbook
from pypdf import PdfReader

from accounts.models import ROLE_LEVEL, Role, User
from accounts.provisioning import accounts_provision, handovers_purge
from accounts.testing import PASSWORD, make_user
from accounts.usernames import shared_slugs, username_for
from audit.models import AuditEntry
from core.models import SiteSettings
from jobs.models import BulkJob
from units.models import Unit
from units.testing import unit

ALL_ROLES = [
    Role.COMMUNE_OFFICER,
    Role.COMMUNE_LEADER,
    Role.DISTRICT_STAFF,
    Role.PROVINCE_HEALTH,
]
EVERYTHING = {"groups": ["communes", "districts", "province"], "roles": ALL_ROLES}


def provision(client, data, django_capture_on_commit_callbacks):
    """Preview, then confirm, as the page does; the job runs on commit (immediate tasks)."""
    preview = client.post(reverse("accounts:provision"), data)
    assert preview.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:provision"), {**data, "confirm": "1"})
    assert response.status_code == 302
    return preview, BulkJob.objects.get(pk=response.url.rstrip("/").split("/")[-1])


def download(client, job, fmt):
    response = client.get(reverse("accounts:handover_download", args=[job.pk, fmt]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


@pytest.mark.django_db
def test_accounts_for_the_whole_province_in_one_action_then_nothing_new(
    client, sysadmin, login, django_capture_on_commit_callbacks
):
    communes = Unit.objects.filter(province=sysadmin.unit, level=Unit.Level.COMMUNE).count()
    districts = Unit.objects.filter(province=sysadmin.unit, level=Unit.Level.DISTRICT).count()
    assert (communes, districts) == (138, 7)
    expected = communes * 2 + districts + 1
    login(sysadmin)

    preview, job = provision(client, EVERYTHING, django_capture_on_commit_callbacks)
    assert f"Tạo {expected} tài khoản" in preview.content.decode()
    job.refresh_from_db()
    assert job.state == BulkJob.State.DONE and job.failed == 0
    assert job.params["outcomes"] == {"created": expected, "handover": 1}
    made = User.objects.exclude(pk=sysadmin.pk)
    assert made.count() == expected
    assert all(u.must_change_password and u.created_by_id == sysadmin.pk for u in made)
    assert set(made.filter(unit__code="02209").values_list("username", flat=True)) == {
        "trangda.canbo",
        "trangda.lanhdao",
    }
    assert made.get(unit__code="076").username == "sonduong.huyen"
    assert made.get(unit__code="02536", role=Role.COMMUNE_OFFICER).username == "ttsonduong.canbo"
    assert made.get(role=Role.PROVINCE_HEALTH).username == "tuyenquang.soyte"
    assert AuditEntry.objects.filter(action="account.create").count() == expected
    assert AuditEntry.objects.filter(action="account.provision").count() == 1

    # The page of the job shows it done, with both files to download.
    page = client.get(reverse("accounts:provision_job", args=[job.pk])).content.decode()
    assert "Đã xong" in page and "handover.pdf" in page and "handover.xlsx" in page

    # Again: nothing new, everything reported as existing.
    again = client.post(reverse("accounts:provision"), {**EVERYTHING, "confirm": "1"})
    assert again.status_code == 200
    body = again.content.decode()
    assert "không có gì để tạo" in body
    assert re.search(rf"Đã có, để nguyên</dt><dd>{expected}</dd>", body)
    assert User.objects.count() == expected + 1
    assert BulkJob.objects.count() == 1


@pytest.mark.django_db
def test_handover_pdf_and_excel_read_back(
    client, sysadmin, login, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://khaibaof0.tuyenquang.gov.vn"
    existing = make_user("officer.a", Role.COMMUNE_OFFICER, "02209")
    login(sysadmin)
    data = {"district": unit("070").pk, "units": [unit("08").pk], "roles": ALL_ROLES}
    _preview, job = provision(client, data, django_capture_on_commit_callbacks)
    job.refresh_from_db()

    communes_070 = Unit.objects.filter(district=unit("070")).count()
    rows = list(load_workbook(io.BytesIO(download(client, job, "xlsx"))).active.values)
    header, rows = rows[0], rows[1:]
    assert header[:6] == (
        "Mã đơn vị",
        "Đơn vị",
        "Thuộc",
        "Vai trò",
        "Tên đăng nhập",
        "Mật khẩu tạm thời",
    )
    # Every account of the delivery: the new ones with their password, the existing one without.
    assert len(rows) == communes_070 * 2 + 1
    by_username = {row[4]: row for row in rows}
    assert by_username["officer.a"][5] is None
    assert "Đã có từ trước" in by_username["officer.a"][6]
    leader = by_username["trangda.lanhdao"]
    assert leader[:4] == ("02209", "Xã Tràng Đà", "Thành phố Tuyên Quang", "Lãnh đạo UBND xã")
    assert User.objects.get(username="trangda.lanhdao").check_password(leader[5])
    assert leader[7] == "https://khaibaof0.tuyenquang.gov.vn/accounts/login/"
    assert not User.objects.filter(username="trangda.canbo").exists()  # officer.a holds it
    assert User.objects.get(username="tuyenquang.soyte").check_password(
        by_username["tuyenquang.soyte"][5]
    )

    pdf = PdfReader(io.BytesIO(download(client, job, "pdf")))
    # One sheet per unit: the communes of the city and the province.
    assert len(pdf.pages) == communes_070 + 1
    sheet = next(p.extract_text() for p in pdf.pages if "Xã Tràng Đà" in p.extract_text())
    assert "PHIẾU BÀN GIAO TÀI KHOẢN" in sheet
    assert "trangda.lanhdao" in sheet and leader[5] in sheet
    assert "officer.a" in sheet and "Đã có từ trước" in sheet
    assert "https://khaibaof0.tuyenquang.gov.vn/accounts/login/" in sheet
    assert "https://khaibaof0.tuyenquang.gov.vn/huong-dan/" in sheet

    # The passwords live only in the handover: none left waiting in storage or in the job.
    _dirs, pending = default_storage.listdir(f"accounts/handover/{job.uuid}/pending")
    assert pending == []
    assert leader[5] not in str(job.params) + str(job.items) + str(job.results)
    assert AuditEntry.objects.filter(action="account.handover_download").count() == 2
    assert existing.username == "officer.a"


@pytest.mark.django_db
def test_a_generated_account_signs_in_changes_its_password_and_works(
    client, sysadmin, login, django_capture_on_commit_callbacks, settings
):
    login(sysadmin)
    _preview, job = provision(
        client,
        {"units": [unit("02209").pk], "roles": [Role.COMMUNE_OFFICER]},
        django_capture_on_commit_callbacks,
    )
    rows = list(load_workbook(io.BytesIO(download(client, job, "xlsx"))).active.values)[1:]
    (username, password) = rows[0][4:6]
    assert username == "trangda.canbo"
    client.logout()

    signed_in = client.post(
        reverse("accounts:login"), {"username": username, "password": password}, follow=True
    )
    assert signed_in.redirect_chain[-1][0] == reverse("accounts:password_change")
    # Before the change, work pages send the user back to it.
    assert client.get(reverse("backoffice:inbox")).url == reverse("accounts:password_change")
    changed = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": password,
            "new_password1": "Mat-khau-moi-2022",
            "new_password2": "Mat-khau-moi-2022",
        },
        follow=True,
    )
    assert changed.redirect_chain[-1][0] == reverse("backoffice:inbox")
    assert changed.status_code == 200
    assert not User.objects.get(username=username).must_change_password

    # In production the officer then enrols an authenticator app before working.
    settings.TWO_FACTOR_ROLES = [Role.COMMUNE_OFFICER]
    inbox = client.get(reverse("backoffice:inbox"))
    assert inbox.url.startswith(reverse("accounts:two_factor"))
    assert "Quét mã QR" in client.get(inbox.url).content.decode()
    device = TOTPDevice.objects.get(user__username=username)
    code = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
    enrolled = client.post(reverse("accounts:two_factor"), {"code": f"{code:06d}"})
    assert "Đã bật xác thực hai bước" in enrolled.content.decode()
    assert client.get(reverse("backoffice:inbox")).status_code == 200


@pytest.mark.django_db
def test_outsiders_cannot_reach_the_page_or_a_job(
    client, sysadmin, officer_a, district_other, province_health, login
):
    job = BulkJob.objects.create(
        kind="accounts_provision", commune=sysadmin.unit, created_by=sysadmin, items=[], total=0
    )
    for outsider in (officer_a, province_health, district_other):
        login(outsider)
        assert client.get(reverse("accounts:provision")).status_code == 403
        assert client.get(reverse("accounts:provision_job", args=[job.pk])).status_code == 403
        assert (
            client.get(reverse("accounts:handover_download", args=[job.pk, "pdf"])).status_code
            == 403
        )
    # A district allowed to manage its communes reaches the page, but not another's job.
    SiteSettings.objects.update_or_create(
        pk=1, defaults={"district_manages_commune_accounts": True}
    )
    login(district_other)
    assert client.get(reverse("accounts:provision")).status_code == 200
    assert client.get(reverse("accounts:provision_job", args=[job.pk])).status_code == 404
    assert (
        client.get(reverse("accounts:handover_download", args=[job.pk, "xlsx"])).status_code == 404
    )


@pytest.mark.django_db
def test_a_delegated_district_gives_accounts_to_its_own_communes_only(
    client, district_other, login, django_capture_on_commit_callbacks
):
    SiteSettings.objects.update_or_create(
        pk=1, defaults={"district_manages_commune_accounts": True}
    )
    login(district_other)
    page = client.get(reverse("accounts:provision")).content.decode()
    assert "Mọi xã, phường của huyện" in page
    assert "Sở Y tế (cấp tỉnh)" not in page and "Xã Tràng Đà" not in page

    # A commune of another district, posted by hand, is refused like any invalid choice.
    refused = client.post(
        reverse("accounts:provision"),
        {"units": [unit("02209").pk], "roles": [Role.COMMUNE_OFFICER], "confirm": "1"},
    )
    assert refused.status_code == 200 and not User.objects.filter(unit__code="02209").exists()
    assert "Lựa chọn không hợp lệ" in refused.content.decode() or refused.context["form"].has_error(
        "units"
    )

    _preview, job = provision(
        client,
        {"groups": ["communes"], "roles": [Role.COMMUNE_OFFICER, Role.COMMUNE_LEADER]},
        django_capture_on_commit_callbacks,
    )
    communes = Unit.objects.filter(district=district_other.unit).count()
    assert User.objects.filter(created_by=district_other).count() == communes * 2
    assert not User.objects.filter(created_by=district_other).exclude(
        unit__district=district_other.unit
    )


@pytest.mark.django_db
def test_the_form_says_what_is_missing_and_keeps_the_choice(client, sysadmin, login):
    login(sysadmin)
    response = client.post(reverse("accounts:provision"), {"roles": [Role.COMMUNE_LEADER]})
    body = response.content.decode()
    assert "Chọn ít nhất một nhóm đơn vị, một huyện hoặc một đơn vị." in body
    assert 'value="commune_leader" checked' in body

    response = client.post(
        reverse("accounts:provision"),
        {"groups": ["districts"], "roles": [Role.COMMUNE_LEADER]},
    )
    assert "không hợp với cấp của đơn vị" in response.content.decode()
    assert not BulkJob.objects.exists()


def test_usernames_follow_one_stable_pattern(units):
    province = unit("08")
    everything = list(Unit.objects.within(province))
    shared = shared_slugs(everything)
    tan_thanh = Unit.objects.get(province=province, name="Xã Tân Thành")
    tan_thanh_2 = Unit.objects.get(province=province, name="Xã Tân Thanh")
    names = {username_for(u, Role.COMMUNE_OFFICER, shared=shared) for u in (tan_thanh, tan_thanh_2)}
    # Two communes whose names differ only by accents both carry their GSO code.
    assert names == {f"tanthanh-{tan_thanh.code}.canbo", f"tanthanh-{tan_thanh_2.code}.canbo"}
    assert username_for(unit("070"), Role.DISTRICT_STAFF, shared=shared) == "tptuyenquang.huyen"
    # Every generated name in the province is distinct.
    generated = [
        username_for(u, role, shared=shared)
        for u in everything
        for role in ALL_ROLES
        if ROLE_LEVEL[role] == u.level
    ]
    assert len(generated) == len(set(generated))
    assert all(re.fullmatch(r"[a-z0-9.-]+", name) for name in generated)


@pytest.mark.django_db
def test_a_username_taken_elsewhere_falls_back_to_the_code(
    sysadmin, django_capture_on_commit_callbacks
):
    # Someone made "trangda.canbo" by hand for another commune.
    make_user("trangda.canbo", Role.COMMUNE_OFFICER, "02200")
    with django_capture_on_commit_callbacks(execute=True):
        accounts_provision(by=sysadmin, units=[unit("02209")], roles=[Role.COMMUNE_OFFICER])
    assert User.objects.get(unit__code="02209").username == "trangda-02209.canbo"


@pytest.mark.django_db
def test_disabling_every_account_of_a_unit_is_one_audited_action(
    client, sysadmin, officer_a, leader_a, officer_b, login
):
    login(sysadmin)
    refused = client.post(reverse("accounts:unit_disable"), {"unit": officer_a.unit_id})
    assert "Đánh dấu ô xác nhận" in refused.content.decode()
    assert User.objects.get(pk=officer_a.pk).is_active

    response = client.post(
        reverse("accounts:unit_disable"), {"unit": officer_a.unit_id, "confirm": "on"}
    )
    assert response.status_code == 302
    assert not User.objects.filter(unit=officer_a.unit, is_active=True).exists()
    assert User.objects.get(pk=officer_b.pk).is_active
    assert AuditEntry.objects.filter(action="account.disable").count() == 2
    entry = AuditEntry.objects.get(action="account.disable_unit")
    assert sorted(entry.detail["usernames"]) == ["leader.a", "officer.a"]
    # A locked account can no longer sign in.
    client.logout()
    assert (
        client.post(
            reverse("accounts:login"), {"username": "officer.a", "password": PASSWORD}
        ).status_code
        == 200
    )


@pytest.mark.django_db
def test_the_handover_expires_and_is_purged(
    client, sysadmin, login, django_capture_on_commit_callbacks
):
    login(sysadmin)
    _preview, job = provision(
        client,
        {"units": [unit("02209").pk], "roles": [Role.COMMUNE_LEADER]},
        django_capture_on_commit_callbacks,
    )
    job.refresh_from_db()
    pdf_name = job.params["files"]["pdf"]
    assert default_storage.exists(pdf_name)
    BulkJob.objects.filter(pk=job.pk).update(
        created_at=timezone.now() - timedelta(hours=25),
        finished_at=timezone.now() - timedelta(hours=25),
    )
    refused = client.get(reverse("accounts:handover_download", args=[job.pk, "pdf"]), follow=True)
    assert "đã hết hạn" in refused.content.decode()
    assert handovers_purge() == 1
    assert not default_storage.exists(pdf_name)
    assert handovers_purge() == 0


@pytest.mark.django_db
def test_a_second_provisioning_waits_for_the_running_one(client, sysadmin, login):
    login(sysadmin)
    data = {"units": [unit("02209").pk], "roles": [Role.COMMUNE_OFFICER], "confirm": "1"}
    # Without the worker (no on-commit run here), the first job stays queued.
    first = client.post(reverse("accounts:provision"), data)
    assert first.status_code == 302
    second = client.post(reverse("accounts:provision"), data)
    assert "đang chạy" in second.content.decode()
    assert BulkJob.objects.count() == 1


@pytest.mark.django_db
def test_the_handover_runs_province_then_each_district_with_its_communes(
    client, sysadmin, login, django_capture_on_commit_callbacks
):
    login(sysadmin)
    data = {
        "units": [unit(code).pk for code in ("02536", "076", "02209", "070", "08")],
        "roles": ALL_ROLES,
    }
    _preview, job = provision(client, data, django_capture_on_commit_callbacks)
    rows = list(load_workbook(io.BytesIO(download(client, job, "xlsx"))).active.values)[1:]
    assert [row[0] for row in rows] == ["08", "070", "02209", "02209", "076", "02536", "02536"]


@pytest.mark.django_db
def test_only_the_two_handover_formats_are_served(client, sysadmin, login):
    job = BulkJob.objects.create(
        kind="accounts_provision", commune=sysadmin.unit, created_by=sysadmin, items=[], total=0
    )
    login(sysadmin)
    assert client.get(f"/accounts/provision/{job.pk}/handover.csv").status_code == 404
