"""The citizen's forms: infection declaration, status lookup, recovery declaration."""

import copy
import functools

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cases.choices import IdType, Symptom, TestedBy, TestType
from cases.forms import CaseFieldsForm, DateField, PlainNameConfirmMixin, not_future
from cases.validators import normalize_phone
from core.forms import NfcFormMixin, NumberField
from core.widgets import LargeSelect
from notifications.channels import phone_channel_choices
from units.models import Unit
from units.selectors import (
    commune_choices,
    commune_of_province,
    deployed_province,
    province_districts,
)
from uploads.fields import StagedImageField, StagedUploadsFormMixin
from uploads.models import Upload


def missing_answer_message(field: forms.Field):
    """What a missing answer says next to its field, by the kind of answer: "chọn" for a
    choice, "đánh dấu" for a box to tick, "điền" for text. It never repeats the field's
    label, which stands above it and before it in the error summary (issue 14 item 26)."""
    widget = field.widget
    if isinstance(widget, forms.CheckboxSelectMultiple) or isinstance(
        field, forms.MultipleChoiceField
    ):
        return _("Vui lòng chọn ít nhất một mục.")
    if isinstance(field, forms.BooleanField):
        return _("Vui lòng đánh dấu ô này.")
    if isinstance(field, forms.FileField):
        return _("Vui lòng chọn tệp.")
    if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
        return _("Vui lòng chọn một mục.")
    return _("Vui lòng điền mục này.")


class FriendlyRequiredMixin:
    """A missing answer says what to do ("Vui lòng chọn một mục.") instead of a generic
    "This field is required": `missing_answer_message`."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        generic = {
            str(forms.Field.default_error_messages["required"]),
            str(getattr(self, "required_message", "")),
        }
        for field in self.fields.values():
            if str(field.error_messages.get("required")) in generic:
                field.error_messages["required"] = missing_answer_message(field)


# What a citizen reads differs from an officer's form: optional fields say so, and a few
# fields explain why they are asked.
CITIZEN_TEXTS = {
    "full_name": (None, _("Viết có dấu, ví dụ Nguyễn Thị Hoa.")),
    "phone": (None, _("Mã hồ sơ và kết quả sẽ được gửi tới số này.")),
    "email": (_("Thư điện tử (không bắt buộc)"), None),
    "house_number": (_("Số nhà, đường (không bắt buộc)"), None),
    "workplace": (
        _("Nơi làm việc (không bắt buộc)"),
        _("Dùng cho giấy nghỉ ốm hưởng bảo hiểm xã hội."),
    ),
    "social_insurance_number": (_("Mã số bảo hiểm xã hội (không bắt buộc)"), None),
    "test_place": (
        _("Nơi xét nghiệm (không bắt buộc)"),
        _("Ví dụ: tại nhà, Trạm Y tế xã, Bệnh viện Đa khoa tỉnh."),
    ),
    "last_dose_date": (_("Ngày tiêm mũi gần nhất (không bắt buộc)"), None),
    "symptoms": (
        _("Triệu chứng hiện có"),
        _("Nếu có khó thở, đau ngực, lơ mơ hoặc tím tái: gọi ngay Trạm Y tế hoặc 115."),
    ),
    "symptom_onset_date": (_("Ngày bắt đầu có triệu chứng (không bắt buộc)"), None),
    "spo2": (_("SpO2 đo được (%) (không bắt buộc)"), None),
    "breathing_rate": (_("Nhịp thở (lần/phút) (không bắt buộc)"), None),
    "temperature": (_("Nhiệt độ (°C) (không bắt buộc)"), None),
    "household_size": (_("Số người trong hộ gia đình (không bắt buộc)"), None),
}


class CommuneChoiceField(forms.TypedChoiceField):
    """The commune <select>: its ~150 choices are built only to be shown (a callable), and
    a sent value is checked by the form's `clean_commune` through the per-process unit
    cache (units.selectors.commune_of_province) rather than by walking the choices: on the
    public form's busiest request, that walk was a fifth of the form's own work."""

    def valid_value(self, value) -> bool:
        return True


class DeclarationForm(
    PlainNameConfirmMixin, FriendlyRequiredMixin, StagedUploadsFormMixin, CaseFieldsForm
):
    """The citizen's infection declaration: the case's fields, where they live, the photos.

    `household_ids` maps the ID numbers of the other members of the same household
    submission to their names: a person is declared once per submission."""

    too_old_hint = _("không còn khai báo trực tuyến được. Vui lòng liên hệ Trạm Y tế xã.")

    commune = CommuneChoiceField(
        label=_("Xã, phường nơi đang ở"),
        widget=LargeSelect,
        coerce=int,
        empty_value=None,
        error_messages={"required": _("Vui lòng chọn một xã, phường trong danh sách.")},
    )
    test_photo = StagedImageField(
        kind=Upload.Kind.TEST_PHOTO,
        label=_("Ảnh kết quả xét nghiệm dương tính"),
        help_text=_(
            "Chụp rõ que/khay test có ghi họ tên và ngày xét nghiệm, hoặc phiếu kết quả. "
            "Ảnh JPEG, PNG, WebP hoặc HEIC, tối đa 10 MB."
        ),
    )
    id_photo = StagedImageField(
        kind=Upload.Kind.ID_PHOTO, label=_("Ảnh giấy tờ tùy thân (không bắt buộc)"), required=False
    )

    def __init__(
        self,
        *args,
        province: Unit | None = None,
        communes_url: str = "",
        household_ids: dict[str, str] | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.household_ids = household_ids or {}
        for name, (label, help_text) in CITIZEN_TEXTS.items():
            if label:
                self.fields[name].label = label
            if help_text:
                self.fields[name].help_text = help_text
        self.fields["phone"].widget.attrs["autocomplete"] = "tel"
        # SMS or Zalo (issue 13.5): asked only when there is a choice (Zalo is on).
        if len(channels := phone_channel_choices()) > 1:
            self.fields["notify_channel"] = forms.ChoiceField(
                label=_("Nhận mã hồ sơ và kết quả qua"),
                choices=channels,
                initial=channels[0][0],
                widget=forms.RadioSelect,
                error_messages={"required": _("Vui lòng chọn cách nhận thông báo.")},
            )
        self.province = province or deployed_province()
        self.fields["commune"].choices = functools.partial(commune_choices, self.province)
        districts = province_districts(self.province) if self.province else []
        if districts:
            # Narrows the commune list when JavaScript runs; without it the commune list is
            # grouped by district and this choice is only checked for consistency.
            self._districts = {d.pk: d for d in districts}
            self.fields["district"] = forms.TypedChoiceField(
                label=_("Huyện, thành phố"),
                choices=[("", _("Tất cả huyện, thành phố"))] + [(d.pk, d.name) for d in districts],
                coerce=lambda pk: self._districts[int(pk)],
                empty_value=None,
                required=False,
            )
            if communes_url:
                self.fields["district"].widget.attrs.update(
                    {"hx-get": communes_url, "hx-target": "#id_commune", "hx-swap": "innerHTML"}
                )

    def case_values(self) -> dict:
        values = super().case_values()
        if "notify_channel" in self.cleaned_data:
            values["notify_channel"] = self.cleaned_data["notify_channel"]
        return values

    def clean_commune(self):
        commune = commune_of_province(self.province, self.cleaned_data["commune"])
        if commune is None:
            raise ValidationError(_("Vui lòng chọn xã, phường trong danh sách."))
        return commune

    def clean(self):
        cleaned = super().clean()
        district, commune = cleaned.get("district"), cleaned.get("commune")
        if district and commune and commune.district_id != district.pk:
            self.add_error(
                "commune",
                _("%(commune)s không thuộc %(district)s.")
                % {"commune": commune.name, "district": district.name},
            )
        number = cleaned.get("id_number")
        if number and cleaned.get("id_type") != IdType.NONE and number in self.household_ids:
            self.add_error(
                "id_number",
                _("Số giấy tờ này đã khai cho %(name)s trong lần khai báo này.")
                % {"name": self.household_ids[number]},
            )
        return cleaned


class ConsentForm(NfcFormMixin, forms.Form):
    consent = forms.BooleanField(
        label=_("Tôi đã đọc và đồng ý để cơ quan y tế và chính quyền xử lý dữ liệu cá nhân trên."),
        error_messages={"required": _("Bạn cần đồng ý để gửi khai báo.")},
    )


class PhoneCodeForm(NfcFormMixin, forms.Form):
    code = forms.RegexField(
        label=_("Mã xác nhận (6 chữ số)"),
        regex=r"^\s*[0-9]{6}\s*$",
        error_messages={
            "invalid": _("Mã xác nhận gồm 6 chữ số."),
            "required": _("Vui lòng nhập mã xác nhận."),
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class LookupForm(FriendlyRequiredMixin, NfcFormMixin, forms.Form):
    tracking_code = forms.CharField(
        label=_("Mã hồ sơ"),
        max_length=20,
        help_text=_("Ví dụ TQ-7K3M-9QXH, trong tin nhắn đã gửi."),
        widget=forms.TextInput(
            attrs={"autocapitalize": "characters", "autocomplete": "off", "spellcheck": "false"}
        ),
    )
    secret = NumberField(
        label=_("Số giấy tờ đã khai báo"),
        max_length=20,
        help_text=_(
            "Số định danh cá nhân, số hộ chiếu hoặc số giấy tờ khác đã khai báo; người chưa có giấy tờ: số điện thoại người giám hộ "
            "hoặc người thân đã khai báo thay."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}),
    )


class CodeResendForm(FriendlyRequiredMixin, NfcFormMixin, forms.Form):
    """Forgot the tracking code: the ID number and the phone declared (the code goes to
    that phone, never to the screen)."""

    secret = copy.deepcopy(LookupForm.base_fields["secret"])
    phone = NumberField(
        label=_("Số điện thoại đã khai báo"),
        max_length=20,
        normalize=normalize_phone,
        help_text=_("Mã hồ sơ sẽ được gửi bằng tin nhắn tới số này nếu khớp với hồ sơ."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )


class RecoveryForm(StagedUploadsFormMixin, LookupForm):
    negative_test_date = DateField(label=_("Ngày xét nghiệm âm tính"))
    test_type = forms.ChoiceField(
        label=_("Loại xét nghiệm"), choices=TestType.choices, widget=forms.RadioSelect
    )
    tested_by = forms.ChoiceField(
        label=_("Người thực hiện xét nghiệm"), choices=TestedBy.choices, widget=forms.RadioSelect
    )
    result_photo = StagedImageField(
        kind=Upload.Kind.RECOVERY_PHOTO,
        label=_("Ảnh kết quả xét nghiệm âm tính"),
        help_text=_(
            "Chụp rõ que/khay test có ghi họ tên và ngày. Ảnh JPEG, PNG, WebP hoặc HEIC, tối đa 10 MB."
        ),
    )
    remaining_symptoms = forms.MultipleChoiceField(
        label=_("Triệu chứng còn lại (nếu có)"),
        choices=Symptom.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def clean_negative_test_date(self):
        value = self.cleaned_data["negative_test_date"]
        not_future(value, _("Ngày xét nghiệm không được sau ngày hôm nay."))
        return value


def _citizen_copy(name: str, label, help_text=None) -> forms.Field:
    """A field of the declaration form (cases.forms.CaseFieldsForm) with a citizen's label."""
    field = copy.deepcopy(CaseFieldsForm.base_fields[name])
    field.label = label
    field.help_text = help_text or ""
    return field


class DailyReportForm(NfcFormMixin, forms.Form):
    """The detailed daily self-monitoring report (the one-tap "fine" report has no form).

    The danger signs are the rule set's (cases.rules.danger_signs); the service checks that
    something was reported."""

    symptoms = _citizen_copy(
        "symptoms",
        _("Triệu chứng hôm nay"),
        _("Chọn tất cả những gì bạn đang có."),
    )
    temperature = _citizen_copy(
        "temperature", _("Nhiệt độ (°C) (nếu đo được)"), _("Ví dụ 37,8 hoặc 37.8.")
    )
    breathing_rate = _citizen_copy(
        "breathing_rate",
        _("Nhịp thở (lần/phút) (nếu đếm được)"),
        _("Đếm số lần lồng ngực nhô lên trong 1 phút khi ngồi yên."),
    )
    spo2 = _citizen_copy(
        "spo2", _("SpO2 (%) (nếu có máy đo)"), _("Số hiện trên máy kẹp ngón tay, ví dụ 97.")
    )
