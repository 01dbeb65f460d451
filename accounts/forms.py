from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from accounts.models import ROLE_LEVEL, User
from accounts.provisioning import provisionable_roles
from accounts.selectors import manageable_roles, manageable_units
from core.forms import NfcFormMixin, NumberField, VietnameseTextField
from core.text import national_phone_digits
from units.models import Unit


class LoginForm(NfcFormMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "Tên đăng nhập hoặc mật khẩu không đúng. Sau nhiều lần sai, tài khoản sẽ bị tạm khóa "
            "trên thiết bị này."
        ),
        "inactive": _("Tài khoản này đã bị khóa. Vui lòng liên hệ quản trị hệ thống."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Tên đăng nhập")
        self.fields["password"].label = _("Mật khẩu")


def unit_label(unit: Unit) -> str:
    if unit.level == Unit.Level.COMMUNE and unit.parent and unit.parent.level != unit.level:
        return f"{unit.name} ({unit.parent.name}) - {unit.code}"
    return f"{unit.name} - {unit.code}"


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, unit: Unit) -> str:
        return unit_label(unit)


class UnitMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, unit: Unit) -> str:
        return unit_label(unit)


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
        choices=[("", _("Tất cả")), ("1", _("Đang hoạt động")), ("0", _("Đã khóa"))],
    )

    def __init__(self, *args, actor: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", _("Tất cả"))] + [
            (role.value, role.label) for role in manageable_roles(actor)
        ]


class ProvisionForm(NfcFormMixin, forms.Form):
    """Which units and roles get accounts: whole groups, one district's communes, or a list.

    Each role goes only to the units of its level (ROLE_LEVEL), so "every commune" and
    "every district" with all four roles give officers and leaders to the communes and
    staff accounts to the districts in one action.
    """

    GROUP_COMMUNES = "communes"
    GROUP_DISTRICTS = "districts"
    GROUP_PROVINCE = "province"

    groups = forms.MultipleChoiceField(
        label=_("Nhóm đơn vị"), required=False, widget=forms.CheckboxSelectMultiple
    )
    district = UnitChoiceField(
        label=_("Hoặc các xã của một huyện"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("(không chọn)"),
    )
    units = UnitMultipleChoiceField(
        label=_("Hoặc chọn từng đơn vị"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("Giữ phím Ctrl (hoặc Cmd) để chọn nhiều đơn vị."),
    )
    roles = forms.MultipleChoiceField(
        label=_("Vai trò"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Chọn ít nhất một vai trò.")},
    )

    def __init__(self, *args, actor: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.manageable = manageable_units(actor).select_related("parent")
        is_province = actor.unit is not None and actor.unit.level == Unit.Level.PROVINCE
        groups = [
            (
                self.GROUP_COMMUNES,
                _("Mọi xã, phường của tỉnh") if is_province else _("Mọi xã, phường của huyện"),
            )
        ]
        if self.manageable.filter(level=Unit.Level.DISTRICT).exists():
            groups.append((self.GROUP_DISTRICTS, _("Mọi huyện, thành phố thuộc tỉnh")))
        if is_province:
            groups.append((self.GROUP_PROVINCE, _("Sở Y tế (cấp tỉnh)")))
        self.fields["groups"].choices = groups
        self.fields["district"].queryset = self.manageable.filter(level=Unit.Level.DISTRICT)
        if not self.fields["district"].queryset.exists():
            del self.fields["district"]
        self.fields["units"].queryset = self.manageable
        self.fields["roles"].choices = [(r.value, r.label) for r in provisionable_roles(actor)]

    def clean(self):
        cleaned = super().clean()
        chosen = self.chosen_units(cleaned)
        if not chosen and not {"groups", "district", "units"} & set(self.errors):
            self.add_error("groups", _("Chọn ít nhất một nhóm đơn vị, một huyện hoặc một đơn vị."))
        elif chosen and cleaned.get("roles"):
            levels = {unit.level for unit in chosen}
            if not any(ROLE_LEVEL[role] in levels for role in cleaned["roles"]):
                self.add_error(
                    "roles",
                    _(
                        "Các vai trò đã chọn không hợp với cấp của đơn vị đã chọn: cán bộ và "
                        "lãnh đạo xã cho xã, cán bộ cấp huyện cho huyện, Sở Y tế cho tỉnh."
                    ),
                )
        cleaned["unit_list"] = chosen
        return cleaned

    def chosen_units(self, cleaned) -> list[Unit]:
        groups = set(cleaned.get("groups") or [])
        chosen: dict[int, Unit] = {}
        levels = {
            self.GROUP_COMMUNES: Unit.Level.COMMUNE,
            self.GROUP_DISTRICTS: Unit.Level.DISTRICT,
            self.GROUP_PROVINCE: Unit.Level.PROVINCE,
        }
        for group in groups:
            for unit in self.manageable.filter(level=levels[group]):
                chosen[unit.pk] = unit
        if district := cleaned.get("district"):
            for unit in self.manageable.filter(level=Unit.Level.COMMUNE, district=district):
                chosen[unit.pk] = unit
        for unit in cleaned.get("units") or []:
            chosen[unit.pk] = unit
        return sorted(chosen.values(), key=lambda u: u.code)


class DisableUnitForm(NfcFormMixin, forms.Form):
    unit = UnitChoiceField(label=_("Đơn vị"), queryset=Unit.objects.none())
    confirm = forms.BooleanField(
        label=_("Tôi xác nhận khóa mọi tài khoản của đơn vị này"),
        error_messages={"required": _("Đánh dấu ô xác nhận để khóa các tài khoản.")},
    )

    def __init__(self, *args, actor: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = manageable_units(actor).select_related("parent")


class DigestForm(NfcFormMixin, forms.Form):
    """The official's choice of morning digest (accounts.services.user_digest_set)."""

    digest_email = forms.BooleanField(label=_("Nhận qua email"), required=False)
    digest_sms = forms.BooleanField(label=_("Nhận qua SMS"), required=False)
