from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import provisioning, services
from accounts.forms import (
    DigestForm,
    DisableUnitForm,
    LoginForm,
    ProvisionForm,
    UserFilterForm,
    UserForm,
)
from accounts.models import DIGEST_ROLES, Role, User
from accounts.selectors import (
    can_manage_accounts,
    get_provision_job,
    get_user_for_manager,
    manageable_users,
    provision_jobs,
)
from core.access import public, roles_required, signed_in
from jobs import runner

# Where each role lands after signing in; later features register their own pages here.
ROLE_LANDING = {
    Role.SYSTEM_ADMIN: "accounts:user_list",
    Role.PROVINCE_HEALTH: "reports:dashboard",
    Role.DISTRICT_STAFF: "reports:dashboard",
    Role.COMMUNE_LEADER: "backoffice:inbox",
    Role.COMMUNE_OFFICER: "backoffice:inbox",
}

login = public(
    auth_views.LoginView.as_view(
        template_name="accounts/login.html",
        authentication_form=LoginForm,
        redirect_authenticated_user=True,
    )
)
logout = signed_in(auth_views.LogoutView.as_view())


@signed_in
def home(request):
    """Send each official to the first page of their role."""
    user = request.user
    if user.must_change_password:
        return redirect("accounts:password_change")
    try:
        return redirect(reverse(ROLE_LANDING[user.role]))
    except (KeyError, NoReverseMatch):
        return redirect("accounts:workspace")


@signed_in
def workspace(request):
    """The official's own page: role, unit, the units below it and what they can do."""
    user = request.user
    children = user.unit.children.order_by("code") if user.unit_id else []
    return render(
        request,
        "accounts/workspace.html",
        {"children": children, "can_manage_accounts": can_manage_accounts(user)},
    )


@signed_in
def password_change(request):
    form = PasswordChangeForm(request.user, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.user_change_own_password(
            user=request.user, new_password=form.cleaned_data["new_password1"], request=request
        )
        update_session_auth_hash(request, request.user)
        messages.success(request, _("Đã đổi mật khẩu."))
        return redirect("accounts:home")
    return render(request, "accounts/password_change.html", {"form": form})


@roles_required(*DIGEST_ROLES)
@require_http_methods(["GET", "POST"])
def digest_settings(request):
    """ "Thông báo hằng ngày": the official turns their morning digest on or off."""
    user = request.user
    initial = {"digest_email": user.digest_email, "digest_sms": user.digest_sms}
    form = DigestForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_digest_set(
                user=user,
                email=form.cleaned_data["digest_email"],
                sms=form.cleaned_data["digest_sms"],
                request=request,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã lưu lựa chọn nhận bản tin hằng ngày."))
            return redirect("accounts:digest_settings")
    return render(
        request,
        "accounts/digest_settings.html",
        {"form": form, "digest_hour": getattr(settings, "DIGEST_HOUR", 7)},
    )


def _require_manager(request):
    if not can_manage_accounts(request.user):
        raise PermissionDenied


@roles_required(Role.SYSTEM_ADMIN, Role.DISTRICT_STAFF)
def user_list(request):
    _require_manager(request)
    filters = UserFilterForm(request.GET or None, actor=request.user)
    users = manageable_users(request.user)
    if filters.is_valid():
        if q := filters.cleaned_data["q"].strip():
            users = users.filter(
                Q(username__icontains=q) | Q(full_name__icontains=q) | Q(unit__name__icontains=q)
            )
        if role := filters.cleaned_data["role"]:
            users = users.filter(role=role)
        if active := filters.cleaned_data["active"]:
            users = users.filter(is_active=active == "1")
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/user_list.html", {"filters": filters, "page": page})


@roles_required(Role.SYSTEM_ADMIN, Role.DISTRICT_STAFF)
def user_create(request):
    _require_manager(request)
    form = UserForm(request.POST if request.method == "POST" else None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            user, password = services.user_create(
                by=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return render(
                request,
                "accounts/temporary_password.html",
                {"account": user, "password": password, "created": True},
            )
    return render(request, "accounts/user_form.html", {"form": form})


@roles_required(Role.SYSTEM_ADMIN, Role.DISTRICT_STAFF)
def user_edit(request, pk: int):
    _require_manager(request)
    account = get_user_for_manager(request.user, pk)
    form = UserForm(
        request.POST if request.method == "POST" else None, actor=request.user, instance=account
    )
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "username"}
        try:
            services.user_update(by=request.user, user=account, request=request, **data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("Đã lưu tài khoản %(username)s.") % {"username": account.username}
            )
            return redirect("accounts:user_list")
    return render(request, "accounts/user_form.html", {"form": form, "account": account})


@require_POST
@roles_required(Role.SYSTEM_ADMIN, Role.DISTRICT_STAFF)
def user_set_active(request, pk: int):
    _require_manager(request)
    account = get_user_for_manager(request.user, pk)
    active = request.POST.get("active") == "1"
    try:
        services.user_set_active(by=request.user, user=account, active=active, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            (
                _("Đã mở khóa tài khoản %(username)s.")
                if active
                else _("Đã khóa tài khoản %(username)s.")
            )
            % {"username": account.username},
        )
    return redirect("accounts:user_edit", pk=account.pk)


@require_POST
@roles_required(Role.SYSTEM_ADMIN, Role.DISTRICT_STAFF)
def user_reset_password(request, pk: int):
    _require_manager(request)
    account = get_user_for_manager(request.user, pk)
    password = services.user_reset_password(by=request.user, user=account, request=request)
    return render(
        request, "accounts/temporary_password.html", {"account": account, "password": password}
    )


# --- Accounts for many units at once ------------------------------------------------------


@roles_required(Role.SYSTEM_ADMIN, Role.DISTRICT_STAFF)
@require_http_methods(["GET", "POST"])
def provision(request):
    """Choose units and roles, see what would be created, then confirm (a background job)."""
    _require_manager(request)
    form = ProvisionForm(request.POST or None, actor=request.user)
    plan = None
    if request.method == "POST" and form.is_valid():
        units, roles = form.cleaned_data["unit_list"], form.cleaned_data["roles"]
        if "confirm" in request.POST:
            try:
                job = provisioning.accounts_provision(
                    by=request.user, units=units, roles=roles, request=request
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                return redirect("accounts:provision_job", pk=job.pk)
        plan = provisioning.accounts_provision_plan(by=request.user, units=units, roles=roles)
    return render(
        request,
        "accounts/provision.html",
        {
            "form": form,
            "plan": plan,
            "disable_form": DisableUnitForm(actor=request.user),
            "jobs": provision_jobs(request.user)[:10],
        },
    )


def _provision_context(job):
    existing = User.objects.filter(pk__in=job.params.get("existing", [])).select_related("unit")
    kind = runner.kind_or_none(job.kind)
    labels = (kind.outcome_labels or {}) if kind else {}
    outcomes = job.params.get("outcomes", {})
    return {
        "job": job,
        "outcomes": [(labels[code], outcomes[code]) for code in labels if code in outcomes],
        "existing": existing.order_by("unit__code", "username"),
        "blocked": job.params.get("blocked", []),
        "files": job.params.get("files", {}),
        "expires_at": provisioning.handover_expires_at(job),
        "expired": timezone.now() > provisioning.handover_expires_at(job),
    }


@roles_required(Role.SYSTEM_ADMIN, Role.DISTRICT_STAFF)
@require_GET
def provision_job(request, pk: int):
    _require_manager(request)
    job = get_provision_job(request.user, pk)
    return render(request, "accounts/provision_job.html", _provision_context(job))


@roles_required(Role.SYSTEM_ADMIN, Role.DISTRICT_STAFF)
@require_GET
def provision_progress(request, pk: int):
    """The progress block alone, polled by htmx while the job runs."""
    _require_manager(request)
    job = get_provision_job(request.user, pk)
    return render(request, "accounts/_provision_progress.html", _provision_context(job))


@roles_required(Role.SYSTEM_ADMIN, Role.DISTRICT_STAFF)
@require_GET
def handover_download(request, pk: int, fmt: str):
    _require_manager(request)
    if fmt not in ("pdf", "xlsx"):
        raise Http404
    job = get_provision_job(request.user, pk)
    try:
        handle, name = provisioning.handover_open(
            by=request.user, job=job, fmt=fmt, request=request
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("accounts:provision_job", pk=job.pk)
    content_type = "application/pdf" if fmt == "pdf" else provisioning.XLSX_TYPE
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)
    response["Cache-Control"] = "no-store"
    return response


@roles_required(Role.SYSTEM_ADMIN, Role.DISTRICT_STAFF)
@require_POST
def unit_disable(request):
    """Lock every account of one unit (a commune merged away, staff replaced at once)."""
    _require_manager(request)
    form = DisableUnitForm(request.POST, actor=request.user)
    if form.is_valid():
        unit = form.cleaned_data["unit"]
        users = services.unit_accounts_disable(by=request.user, unit=unit, request=request)
        messages.success(
            request,
            _("Đã khóa %(count)s tài khoản của %(unit)s.") % {"count": len(users), "unit": unit},
        )
        return redirect("accounts:provision")
    return render(
        request,
        "accounts/provision.html",
        {
            "form": ProvisionForm(actor=request.user),
            "plan": None,
            "disable_form": form,
            "jobs": provision_jobs(request.user)[:10],
        },
    )
