from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.selectors import manageable_roles, manageable_units
from core.forms import NfcFormMixin, NumberField, VietnameseTextField
from core.text import national_phone_digits
from units.models import Unit


class LoginForm(NfcFormMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "Tên đăng nhập hoặc mật khẩu không đúng. Sau nhiều lần sai, tài khoản sẽ bị tạm khoá "
            "trên thiết bị này."
        ),
        "inactive": _("Tài khoản này đã bị khoá. Vui lòng liên hệ quản trị hệ thống."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Tên đăng nhập")
        self.fields["password"].label = _("Mật khẩu")


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, unit: Unit) -> str:
        if unit.level == Unit.Level.COMMUNE and unit.parent and unit.parent.level != unit.level:
            return f"{unit.name} ({unit.parent.name}) - {unit.code}"
        return f"{unit.name} - {unit.code}"


class UserForm(NfcFormMixin, forms.Form):
    username = forms.RegexField(
        label=_("Tên đăng nhập"),
        regex=r"^[a-z0-9._-]{3,150}$",
        help_text=_("Chữ thường không dấu, số, dấu chấm, gạch ngang; ví dụ trangda.canbo"),
        error_messages={
            "invalid": _("Tên đăng nhập chỉ gồm chữ thường không dấu, số, dấu chấm, gạch ngang.")
        },
    )
    full_name = VietnameseTextField(label=_("Họ và tên"), max_length=150)
    role = forms.ChoiceField(label=_("Vai trò"))
    unit = UnitChoiceField(label=_("Đơn vị"), queryset=Unit.objects.none())
    job_title = forms.CharField(label=_("Chức vụ"), max_length=100, required=False)
    phone = NumberField(
        label=_("Số điện thoại"),
        normalize=national_phone_digits,
        required=False,
        validators=[
            RegexValidator(
                r"^0[0-9]{9}$", _("Số điện thoại gồm 10 chữ số, bắt đầu bằng 0."), code="invalid"
            )
        ],
    )
    email = forms.EmailField(label=_("Thư điện tử"), required=False)

    def __init__(self, *args, actor: User, instance: User | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance = instance
        self.fields["role"].choices = [("", "---------")] + [
            (role.value, role.label) for role in manageable_roles(actor)
        ]
        self.fields["unit"].queryset = manageable_units(actor).select_related("parent")
        if instance is not None:
            self.fields["username"].disabled = True
            self.initial.update(
                {
                    "username": instance.username,
                    "full_name": instance.full_name,
                    "role": instance.role,
                    "unit": instance.unit_id,
                    "job_title": instance.job_title,
                    "phone": instance.phone,
                    "email": instance.email,
                }
            )

    def clean_username(self):
        username = self.cleaned_data["username"]
        if self.instance is None and User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("Tên đăng nhập này đã có người dùng."))
        return username

    def clean(self):
        cleaned = super().clean()
        role, unit = cleaned.get("role"), cleaned.get("unit")
        if role and unit:
            from accounts.models import ROLE_LEVEL

            if unit.level != ROLE_LEVEL[role]:
                self.add_error(
                    "unit",
                    _("Vai trò này phải gắn với đơn vị cấp %(level)s.")
                    % {"level": Unit.Level(ROLE_LEVEL[role]).label},
                )
        return cleaned


class UserFilterForm(NfcFormMixin, forms.Form):
    q = forms.CharField(label=_("Tìm theo tên, tên đăng nhập"), required=False)
    role = forms.ChoiceField(label=_("Vai trò"), required=False)
    active = forms.ChoiceField(
        label=_("Trạng thái"),
        required=False,
        choices=[("", _("Tất cả")), ("1", _("Đang hoạt động")), ("0", _("Đã khoá"))],
    )

    def __init__(self, *args, actor: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", _("Tất cả"))] + [
            (role.value, role.label) for role in manageable_roles(actor)
        ]
