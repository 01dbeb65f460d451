"""The second step of an official's sign-in: enrol an authenticator app, or give a code."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from accounts import two_factor as second_factor
from accounts.models import Role
from accounts.selectors import get_user_for_manager
from core.access import roles_required, signed_in
from core.forms import NfcFormMixin
from core.qr import qr_svg


class CodeForm(NfcFormMixin, forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Mã xác thực"),
        max_length=32,
        help_text=gettext_lazy("6 chữ số trong ứng dụng xác thực, hoặc một mã dự phòng."),
        error_messages={"required": gettext_lazy("Vui lòng nhập mã xác thực.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
    )


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return ""


@signed_in
@require_http_methods(["GET", "POST"])
def two_factor(request):
    """Enrol (a QR code, then a first code) or verify; then on to the page asked for."""
    user = request.user
    if user.is_verified():
        return redirect(_next(request) or "accounts:home")
    form = CodeForm(request.POST or None)
    enrolled = second_factor.has_second_factor(user)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        try:
            if enrolled:
                second_factor.second_factor_verify(request=request, user=user, token=code)
            else:
                codes = second_factor.totp_enrolment_confirm(request=request, user=user, token=code)
        except ValidationError as exc:
            form.add_error("code", exc)
        else:
            if enrolled:
                return redirect(_next(request) or "accounts:home")
            return render(
                request,
                "accounts/two_factor_codes.html",
                {"codes": codes, "next": _next(request)},
            )
    if enrolled:
        return render(
            request, "accounts/two_factor_verify.html", {"form": form, "next": _next(request)}
        )
    enrolment = second_factor.totp_enrolment_start(user=user)
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "next": _next(request),
            "qr": qr_svg(enrolment.config_url, scale=5),
            "secret": " ".join(
                enrolment.secret[i : i + 4] for i in range(0, len(enrolment.secret), 4)
            ),
        },
    )


@roles_required(Role.SYSTEM_ADMIN, Role.DISTRICT_STAFF)
@require_POST
def user_reset_two_factor(request, pk: int):
    """A manager clears an official's authenticator (a lost phone); audited."""
    account = get_user_for_manager(request.user, pk)
    second_factor.second_factor_reset(user=account, by=request.user, request=request)
    messages.success(
        request,
        _("Đã xóa xác thực hai bước của %(name)s; lần đăng nhập tới sẽ đăng ký lại.")
        % {"name": account},
    )
    return redirect("accounts:user_edit", pk=account.pk)
