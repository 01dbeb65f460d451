"""The citizen's forms: infection declaration, status lookup, recovery declaration."""

from datetime import date, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from cases import rules
from cases.choices import Comorbidity, IdType, Sex, Symptom, TestedBy, TestType
from cases.validators import (
    clean_person_name,
    normalize_phone,
    validate_cccd,
    validate_cmnd,
    validate_passport,
    validate_social_insurance,
)
from units.models import Unit
from units.selectors import (
    commune_choices,
    commune_of_province,
    deployed_province,
    province_districts,
)
from uploads.fields import StagedImageField, StagedUploadsFormMixin
from uploads.models import Upload

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"]
ADULT_AGE = 18


class DateField(forms.DateField):
    """A date typed as dd/mm/yyyy or picked in the phone's date picker."""

    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", DATE_INPUT_FORMATS)
        kwargs.setdefault(
            "error_messages",
            {"invalid": _("Ngày không hợp lệ; ghi theo dạng ngày/tháng/năm, ví dụ 25/03/2022.")},
        )
        super().__init__(**kwargs)


def _not_future(value: date | None, message) -> None:
    if value and value > timezone.localdate():
        raise ValidationError(message, code="future")


class FriendlyRequiredMixin:
    """ "Vui lòng điền «Họ và tên»." instead of a generic "This field is required"."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if (
                field.error_messages.get("required")
                == forms.Field.default_error_messages["required"]
            ):
                field.error_messages["required"] = format_lazy(
                    _("Vui lòng điền mục «{label}»."), label=field.label
                )


class DeclarationForm(FriendlyRequiredMixin, StagedUploadsFormMixin, forms.Form):
    full_name = forms.CharField(
        label=_("Họ và tên"), max_length=100, help_text=_("Viết có dấu, ví dụ Nguyễn Thị Hoa.")
    )
    date_of_birth = DateField(label=_("Ngày sinh"))
    sex = forms.ChoiceField(label=_("Giới tính"), choices=Sex.choices, widget=forms.RadioSelect)
    id_type = forms.ChoiceField(
        label=_("Loại giấy tờ"),
        choices=IdType.choices,
        widget=forms.RadioSelect,
        initial=IdType.CCCD,
    )
    id_number = forms.CharField(
        label=_("Số giấy tờ"),
        max_length=20,
        required=False,
        help_text=_("Số CCCD 12 chữ số, số CMND 9 chữ số hoặc số hộ chiếu."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    guardian_name = forms.CharField(label=_("Họ tên người giám hộ"), max_length=100, required=False)
    guardian_id_number = forms.CharField(
        label=_("Số CCCD/CMND của người giám hộ"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    guardian_phone = forms.CharField(
        label=_("Số điện thoại của người giám hộ"),
        max_length=16,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"}),
    )
    phone = forms.CharField(
        label=_("Số điện thoại di động"),
        max_length=16,
        help_text=_("Mã hồ sơ và kết quả sẽ được gửi tới số này."),
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(
        label=_("Thư điện tử (không bắt buộc)"),
        required=False,
        error_messages={"invalid": _("Địa chỉ thư điện tử không hợp lệ, ví dụ ten@gmail.com.")},
    )
    commune = forms.TypedChoiceField(
        label=_("Xã, phường, thị trấn nơi đang ở"),
        coerce=int,
        empty_value=None,
        error_messages={"required": _("Vui lòng chọn xã, phường, thị trấn nơi bạn đang ở.")},
    )
    village = forms.CharField(label=_("Thôn, bản, tổ dân phố"), max_length=100)
    house_number = forms.CharField(
        label=_("Số nhà, đường (không bắt buộc)"), max_length=150, required=False
    )
    workplace = forms.CharField(
        label=_("Nơi làm việc (không bắt buộc)"),
        max_length=200,
        required=False,
        help_text=_("Dùng cho giấy nghỉ ốm hưởng bảo hiểm xã hội."),
    )
    social_insurance_number = forms.CharField(
        label=_("Mã số bảo hiểm xã hội (không bắt buộc)"),
        max_length=10,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    test_type = forms.ChoiceField(
        label=_("Loại xét nghiệm"), choices=TestType.choices, widget=forms.RadioSelect
    )
    test_place = forms.CharField(
        label=_("Nơi xét nghiệm (không bắt buộc)"),
        max_length=200,
        required=False,
        help_text=_("Ví dụ: tại nhà, Trạm Y tế xã, Bệnh viện Đa khoa tỉnh."),
    )
    positive_test_date = DateField(label=_("Ngày xét nghiệm dương tính"))
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
    vaccine_doses = forms.TypedChoiceField(
        label=_("Số mũi vắc xin COVID-19 đã tiêm"),
        coerce=int,
        choices=[
            (0, _("Chưa tiêm")),
            (1, _("1 mũi")),
            (2, _("2 mũi")),
            (3, _("3 mũi")),
            (4, _("4 mũi trở lên")),
        ],
    )
    last_dose_date = DateField(label=_("Ngày tiêm mũi gần nhất (không bắt buộc)"), required=False)
    symptoms = forms.MultipleChoiceField(
        label=_("Triệu chứng hiện có"),
        choices=Symptom.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Nếu có khó thở, đau ngực, lơ mơ hoặc tím tái: gọi ngay Trạm Y tế hoặc 115."),
    )
    symptom_onset_date = DateField(
        label=_("Ngày bắt đầu có triệu chứng (không bắt buộc)"), required=False
    )
    spo2 = forms.IntegerField(
        label=_("SpO2 đo được (%) (không bắt buộc)"),
        required=False,
        min_value=50,
        max_value=100,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "min_value": _("SpO2 từ 50 đến 100."),
            "max_value": _("SpO2 từ 50 đến 100."),
        },
    )
    breathing_rate = forms.IntegerField(
        label=_("Nhịp thở (lần/phút) (không bắt buộc)"),
        required=False,
        min_value=5,
        max_value=120,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    temperature = forms.DecimalField(
        label=_("Nhiệt độ (°C) (không bắt buộc)"),
        required=False,
        min_value=34,
        max_value=43,
        max_digits=3,
        decimal_places=1,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.1"}),
    )
    comorbidities = forms.MultipleChoiceField(
        label=_("Bệnh nền"),
        choices=Comorbidity.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    pregnant = forms.BooleanField(label=_("Đang mang thai"), required=False)
    household_size = forms.IntegerField(
        label=_("Số người trong hộ gia đình (không bắt buộc)"),
        required=False,
        min_value=1,
        max_value=99,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    def __init__(self, *args, province: Unit | None = None, communes_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.province = province or deployed_province()
        self.fields["commune"].choices = commune_choices(self.province)
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
            self.order_fields(
                [*list(self.fields)[: list(self.fields).index("commune")], "district"]
            )
            if communes_url:
                self.fields["district"].widget.attrs.update(
                    {"hx-get": communes_url, "hx-target": "#id_commune", "hx-swap": "innerHTML"}
                )

    # Field checks -------------------------------------------------------------------

    def clean_full_name(self):
        return clean_person_name(self.cleaned_data["full_name"])

    def clean_guardian_name(self):
        value = self.cleaned_data["guardian_name"]
        return clean_person_name(value) if value.strip() else ""

    def clean_date_of_birth(self):
        value = self.cleaned_data["date_of_birth"]
        _not_future(value, _("Ngày sinh không được sau ngày hôm nay."))
        if value.year < timezone.localdate().year - 120:
            raise ValidationError(_("Ngày sinh không hợp lệ."))
        return value

    def clean_phone(self):
        return normalize_phone(self.cleaned_data["phone"])

    def clean_guardian_phone(self):
        value = self.cleaned_data["guardian_phone"]
        return normalize_phone(value) if value.strip() else ""

    def clean_social_insurance_number(self):
        return validate_social_insurance(self.cleaned_data["social_insurance_number"])

    def clean_commune(self):
        commune = commune_of_province(self.province, self.cleaned_data["commune"])
        if commune is None:
            raise ValidationError(_("Vui lòng chọn xã, phường, thị trấn trong danh sách."))
        return commune

    def clean_positive_test_date(self):
        value = self.cleaned_data["positive_test_date"]
        _not_future(value, _("Ngày xét nghiệm không được sau ngày hôm nay."))
        oldest, _newest = rules.positive_test_window(
            rule_set=rules.rule_set_for(value), today=timezone.localdate()
        )
        if value < oldest:
            raise ValidationError(
                _(
                    "Kết quả xét nghiệm đã quá %(days)s ngày, không còn khai báo trực tuyến được. "
                    "Vui lòng liên hệ Trạm Y tế xã."
                )
                % {"days": (timezone.localdate() - oldest).days},
                code="too_old",
            )
        return value

    def clean_last_dose_date(self):
        value = self.cleaned_data["last_dose_date"]
        _not_future(value, _("Ngày tiêm không được sau ngày hôm nay."))
        return value

    def clean_symptom_onset_date(self):
        value = self.cleaned_data["symptom_onset_date"]
        _not_future(value, _("Ngày bắt đầu có triệu chứng không được sau ngày hôm nay."))
        return value

    # Cross-field checks ---------------------------------------------------------------

    def clean(self):
        cleaned = super().clean()
        self._clean_identity(cleaned)
        district, commune = cleaned.get("district"), cleaned.get("commune")
        if district and commune and commune.district_id != district.pk:
            self.add_error(
                "commune",
                _("%(commune)s không thuộc %(district)s.")
                % {"commune": commune.name, "district": district.name},
            )
        birth = cleaned.get("date_of_birth")
        if birth:
            for name in ("positive_test_date", "last_dose_date", "symptom_onset_date"):
                if cleaned.get(name) and cleaned[name] < birth:
                    self.add_error(name, _("Ngày này không thể trước ngày sinh."))
        if cleaned.get("vaccine_doses") == 0 and cleaned.get("last_dose_date"):
            self.add_error(
                "last_dose_date", _("Bạn chọn «Chưa tiêm»; vui lòng bỏ trống ngày tiêm.")
            )
        if cleaned.get("pregnant") and cleaned.get("sex") == Sex.MALE:
            self.add_error("pregnant", _("Chỉ đánh dấu mang thai với người khai báo giới tính nữ."))
        return cleaned

    def _clean_identity(self, cleaned):
        id_type, number = cleaned.get("id_type"), (cleaned.get("id_number") or "").strip()
        birth, sex = cleaned.get("date_of_birth"), cleaned.get("sex")
        if id_type == IdType.NONE:
            cleaned["id_number"] = ""
            if birth and (timezone.localdate() - birth) >= timedelta(days=365 * ADULT_AGE + 4):
                self.add_error(
                    "id_type",
                    _("Người từ 18 tuổi vui lòng khai báo số CCCD, CMND hoặc hộ chiếu."),
                )
            for name, message in (
                ("guardian_name", _("Trẻ em chưa có giấy tờ: vui lòng ghi họ tên người giám hộ.")),
                ("guardian_id_number", _("Vui lòng ghi số CCCD/CMND của người giám hộ.")),
                ("guardian_phone", _("Vui lòng ghi số điện thoại của người giám hộ.")),
            ):
                if not cleaned.get(name) and name not in self.errors:
                    self.add_error(name, message)
            guardian_id = (cleaned.get("guardian_id_number") or "").strip()
            if guardian_id:
                try:
                    cleaned["guardian_id_number"] = (
                        validate_cccd(guardian_id, date_of_birth=None, sex=None)
                        if len(guardian_id) == 12
                        else validate_cmnd(guardian_id)
                    )
                except ValidationError as exc:
                    self.add_error("guardian_id_number", exc)
            return
        if not number:
            if id_type:
                self.add_error("id_number", _("Vui lòng ghi số giấy tờ."))
            return
        try:
            if id_type == IdType.CCCD:
                cleaned["id_number"] = validate_cccd(number, date_of_birth=birth, sex=sex)
            elif id_type == IdType.CMND:
                cleaned["id_number"] = validate_cmnd(number)
            elif id_type == IdType.PASSPORT:
                cleaned["id_number"] = validate_passport(number)
        except ValidationError as exc:
            self.add_error("id_number", exc)

    def case_values(self) -> dict:
        """The cleaned values in the shape cases.services.case_declare takes."""
        values = dict(self.cleaned_data)
        for name in ("commune", "district", "test_photo", "id_photo"):
            values.pop(name, None)
        return values


class ConsentForm(forms.Form):
    consent = forms.BooleanField(
        label=_("Tôi đã đọc và đồng ý để cơ quan y tế và chính quyền xử lý dữ liệu cá nhân trên."),
        error_messages={"required": _("Bạn cần đồng ý để gửi khai báo.")},
    )


class PhoneCodeForm(forms.Form):
    code = forms.RegexField(
        label=_("Mã xác nhận (6 chữ số)"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={
            "invalid": _("Mã xác nhận gồm 6 chữ số."),
            "required": _("Vui lòng nhập mã xác nhận."),
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class LookupForm(FriendlyRequiredMixin, forms.Form):
    tracking_code = forms.CharField(
        label=_("Mã hồ sơ"),
        max_length=20,
        help_text=_("Ví dụ TQ-7K3M-9QXH, trong tin nhắn đã gửi."),
        widget=forms.TextInput(
            attrs={"autocapitalize": "characters", "autocomplete": "off", "spellcheck": "false"}
        ),
    )
    secret = forms.CharField(
        label=_("Số giấy tờ đã khai báo"),
        max_length=20,
        help_text=_(
            "Số CCCD, CMND hoặc hộ chiếu; trẻ em chưa có giấy tờ: số điện thoại người giám hộ."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}),
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
        _not_future(value, _("Ngày xét nghiệm không được sau ngày hôm nay."))
        return value
