"""The declared fields of a case and their checks, shared by every way a case is entered:
the public declaration, an officer's enrolment, an Excel row, a correction."""

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases import rules
from cases.choices import (
    CMND_VALID_UNTIL,
    Comorbidity,
    IdType,
    Sex,
    Symptom,
    TestType,
    id_type_choices,
)
from cases.models import RuleSet
from cases.validators import (
    clean_person_name,
    normalize_phone,
    validate_cccd,
    validate_cmnd,
    validate_passport,
    validate_social_insurance,
)
from core.forms import DecimalCommaField, NfcFormMixin, NumberField, VietnameseTextField
from core.text import has_vietnamese_diacritics

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"]
VACCINE_DOSE_CHOICES = [
    (0, _("Chưa tiêm")),
    (1, _("1 mũi")),
    (2, _("2 mũi")),
    (3, _("3 mũi")),
    (4, _("4 mũi trở lên")),
]


CONDITIONALLY_REQUIRED = {
    "id_number": _("bắt buộc nếu có giấy tờ"),
    "guardian_name": _("bắt buộc nếu chưa có giấy tờ"),
    "guardian_id_number": _("bắt buộc nếu chưa có giấy tờ"),
    "guardian_phone": _("bắt buộc nếu chưa có giấy tờ"),
}


class DateField(forms.DateField):
    """A date typed as dd/mm/yyyy or picked in the browser's date picker."""

    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", DATE_INPUT_FORMATS)
        kwargs.setdefault(
            "error_messages",
            {"invalid": _("Ngày không hợp lệ; ghi theo dạng ngày/tháng/năm, ví dụ 25/03/2022.")},
        )
        super().__init__(**kwargs)


def not_future(value: date | None, message) -> None:
    if value and value > timezone.localdate():
        raise ValidationError(message, code="future")


def _numeric(attrs=None):
    return forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", **(attrs or {})})


class CaseFieldsForm(NfcFormMixin, forms.Form):
    """Every declared field of a case, checked as the public form checks it."""

    required_message = _("Vui lòng nhập thông tin này.")
    # Said after "the test is older than N days" (citizens are sent to the health station).
    too_old_hint = _("không còn tiếp nhận được.")

    full_name = VietnameseTextField(label=_("Họ và tên"), max_length=100)
    date_of_birth = DateField(label=_("Ngày sinh"))
    sex = forms.ChoiceField(label=_("Giới tính"), choices=Sex.choices, widget=forms.RadioSelect)
    id_type = forms.ChoiceField(
        label=_("Loại giấy tờ"),
        choices=IdType.choices,
        widget=forms.RadioSelect,
        initial=IdType.CCCD,
    )
    id_number = NumberField(
        label=_("Số giấy tờ"),
        max_length=20,
        required=False,
        help_text=_("Số định danh cá nhân 12 chữ số (in trên thẻ căn cước) hoặc số hộ chiếu."),
        widget=_numeric(),
    )
    guardian_name = VietnameseTextField(
        label=_("Họ tên người giám hộ hoặc người thân"), max_length=100, required=False
    )
    guardian_id_number = NumberField(
        label=_("Số định danh cá nhân của người giám hộ hoặc người thân"),
        max_length=20,
        required=False,
        widget=_numeric(),
    )
    guardian_phone = NumberField(
        normalize=normalize_phone,
        label=_("Số điện thoại của người giám hộ hoặc người thân"),
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}),
    )
    phone = NumberField(
        normalize=normalize_phone,
        label=_("Số điện thoại di động"),
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}),
    )
    email = forms.EmailField(
        label=_("Thư điện tử"),
        required=False,
        error_messages={"invalid": _("Địa chỉ thư điện tử không hợp lệ, ví dụ ten@gmail.com.")},
    )
    village = VietnameseTextField(label=_("Thôn, bản, tổ dân phố"), max_length=100)
    house_number = VietnameseTextField(label=_("Số nhà, đường"), max_length=150, required=False)
    workplace = forms.CharField(label=_("Nơi làm việc"), max_length=200, required=False)
    social_insurance_number = NumberField(
        label=_("Mã số bảo hiểm xã hội"), max_length=10, required=False, widget=_numeric()
    )
    test_type = forms.ChoiceField(
        label=_("Loại xét nghiệm"), choices=TestType.choices, widget=forms.RadioSelect
    )
    test_place = forms.CharField(label=_("Nơi xét nghiệm"), max_length=200, required=False)
    positive_test_date = DateField(label=_("Ngày xét nghiệm dương tính"))
    # Starts on the blank choice: a list opening on "Chưa tiêm" sent that answer for
    # anyone who skipped it, and the isolation length depends on it (issue 14 item 21).
    vaccine_doses = forms.TypedChoiceField(
        label=_("Số mũi vắc xin COVID-19 đã tiêm"),
        coerce=int,
        empty_value=None,
        choices=[("", _("Chọn số mũi"))] + VACCINE_DOSE_CHOICES,
        error_messages={
            "required": _("Vui lòng chọn một mục (chọn «Chưa tiêm» nếu chưa tiêm mũi nào).")
        },
    )
    last_dose_date = DateField(label=_("Ngày tiêm mũi gần nhất"), required=False)
    symptoms = forms.MultipleChoiceField(
        label=_("Triệu chứng"),
        choices=Symptom.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    symptom_onset_date = DateField(label=_("Ngày bắt đầu có triệu chứng"), required=False)
    spo2 = forms.IntegerField(
        label=_("SpO2 (%)"),
        required=False,
        min_value=50,
        max_value=100,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "min_value": _("SpO2 từ 50 đến 100."),
            "max_value": _("SpO2 từ 50 đến 100."),
            "invalid": _("SpO2 là một số từ 50 đến 100."),
        },
    )
    breathing_rate = forms.IntegerField(
        label=_("Nhịp thở (lần/phút)"),
        required=False,
        min_value=5,
        max_value=120,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    temperature = DecimalCommaField(
        label=_("Nhiệt độ (°C)"),
        required=False,
        min_value=34,
        max_value=43,
        max_digits=3,
        decimal_places=1,
        help_text=_("Ví dụ 38,2"),
        error_messages={
            "invalid": _("Nhiệt độ là một số, ví dụ 38,2."),
            "min_value": _("Nhiệt độ từ 34 đến 43 °C."),
            "max_value": _("Nhiệt độ từ 34 đến 43 °C."),
            "max_digits": _("Nhiệt độ ghi một chữ số sau dấu phẩy, ví dụ 38,2."),
            "max_decimal_places": _("Nhiệt độ ghi một chữ số sau dấu phẩy, ví dụ 38,2."),
            "max_whole_digits": _("Nhiệt độ từ 34 đến 43 °C."),
        },
    )
    comorbidities = forms.MultipleChoiceField(
        label=_("Bệnh nền"),
        choices=Comorbidity.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    pregnant = forms.BooleanField(label=_("Đang mang thai"), required=False)
    household_size = forms.IntegerField(
        label=_("Số người trong hộ gia đình"),
        required=False,
        min_value=1,
        max_value=99,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    def __init__(
        self,
        *args,
        check_test_age: bool = True,
        rule_sets: dict[date, RuleSet] | None = None,
        record_date: date | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        # The ID papers in force on the day the record was made (today for a new one):
        # cases.choices.ID_TERMS. A correction of an older record keeps its own papers.
        self.record_date = record_date or timezone.localdate()
        self.fields["id_type"].choices = id_type_choices(self.record_date)
        if self.record_date <= CMND_VALID_UNTIL:
            self.fields["id_number"].help_text = _(
                "Số căn cước công dân 12 chữ số, số chứng minh nhân dân 9 chữ số hoặc số hộ chiếu."
            )
        # Required or not by the answer about papers (_clean_identity): marked as required,
        # saying when (core/_field.html shows `required_when`), so that no required answer
        # goes unmarked (issue 14 item 21).
        for name, when in CONDITIONALLY_REQUIRED.items():
            if name in self.fields:
                self.fields[name].required_when = when
        # A correction of an old case must not fail because its test is old by now.
        self.check_test_age = check_test_age
        # Shared between the rows of one Excel sheet: one query per test date, not per row.
        self.rule_sets = rule_sets if rule_sets is not None else {}
        default = str(forms.Field.default_error_messages["required"])
        for field in self.fields.values():
            if str(field.error_messages.get("required")) == default:
                field.error_messages["required"] = self.required_message

    def _rule_set(self, on: date) -> RuleSet:
        if on not in self.rule_sets:
            self.rule_sets[on] = rules.rule_set_for(on)
        return self.rule_sets[on]

    def clean_full_name(self):
        return clean_person_name(self.cleaned_data["full_name"])

    def clean_guardian_name(self):
        value = self.cleaned_data["guardian_name"]
        return clean_person_name(value) if value.strip() else ""

    def clean_date_of_birth(self):
        value = self.cleaned_data["date_of_birth"]
        not_future(value, _("Ngày sinh không được sau ngày hôm nay."))
        if value.year < timezone.localdate().year - 120:
            raise ValidationError(_("Ngày sinh không hợp lệ."), code="too_old")
        return value

    def clean_social_insurance_number(self):
        return validate_social_insurance(self.cleaned_data["social_insurance_number"])

    def clean_positive_test_date(self):
        value = self.cleaned_data["positive_test_date"]
        not_future(value, _("Ngày xét nghiệm không được sau ngày hôm nay."))
        if self.check_test_age:
            today = timezone.localdate()
            oldest, _newest = rules.positive_test_window(
                rule_set=self._rule_set(value), today=today
            )
            if value < oldest:
                raise ValidationError(
                    _("Kết quả xét nghiệm đã quá %(days)s ngày, %(hint)s")
                    % {"days": (today - oldest).days, "hint": self.too_old_hint},
                    code="too_old",
                )
        return value

    def clean_last_dose_date(self):
        value = self.cleaned_data["last_dose_date"]
        not_future(value, _("Ngày tiêm không được sau ngày hôm nay."))
        return value

    def clean_symptom_onset_date(self):
        value = self.cleaned_data["symptom_onset_date"]
        not_future(value, _("Ngày bắt đầu có triệu chứng không được sau ngày hôm nay."))
        return value

    def clean(self):
        cleaned = super().clean()
        self._clean_identity(cleaned)
        birth = cleaned.get("date_of_birth")
        if birth:
            for name in ("positive_test_date", "last_dose_date", "symptom_onset_date"):
                if cleaned.get(name) and cleaned[name] < birth:
                    self.add_error(name, _("Ngày này không thể trước ngày sinh."))
        if cleaned.get("vaccine_doses") == 0 and cleaned.get("last_dose_date"):
            self.add_error("last_dose_date", _("Đã chọn «Chưa tiêm»; vui lòng bỏ trống ngày tiêm."))
        if cleaned.get("pregnant") and cleaned.get("sex") == Sex.MALE:
            self.add_error("pregnant", _("Chỉ đánh dấu mang thai với người giới tính nữ."))
        return cleaned

    def _clean_identity(self, cleaned):
        id_type, number = cleaned.get("id_type"), (cleaned.get("id_number") or "").strip()
        birth, sex = cleaned.get("date_of_birth"), cleaned.get("sex")
        if id_type == IdType.NONE:
            # A child, or an adult without papers (an elderly parent), is declared with the
            # name, ID and phone of a guardian or relative (issue 13 part 3).
            cleaned["id_number"] = ""
            adult = birth and rules.age_on(birth, timezone.localdate()) >= rules.ADULT_AGE
            who = _("Người chưa có giấy tờ") if adult else _("Trẻ em chưa có giấy tờ")
            for name, message in (
                (
                    "guardian_name",
                    _("%(who)s: cần họ tên người giám hộ hoặc người thân khai báo thay.")
                    % {"who": who},
                ),
                (
                    "guardian_id_number",
                    _("Cần số định danh cá nhân của người giám hộ hoặc người thân."),
                ),
                ("guardian_phone", _("Cần số điện thoại của người giám hộ hoặc người thân.")),
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
                self.add_error("id_number", _("Vui lòng điền mục này."))
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
        """The cleaned declared values, in the shape cases.services takes."""
        return {name: self.cleaned_data[name] for name in CaseFieldsForm.base_fields}


class PlainNameConfirmMixin:
    """A name typed without any Vietnamese mark ("nguyen van an") is asked about once.

    Names are printed on decisions exactly as typed, so such a name is refused with a
    request to write it with its marks, or to tick the box shown under it that confirms it
    is right as written (a foreign name, a name really written so); the box is the field
    `<name>_confirmed`. Names that are empty, or unchanged from the form's initial value
    (a correction of other fields), are not asked about.
    Source: issue 14 item 21; the check is core.text.has_vietnamese_diacritics.
    """

    plain_name_fields = ("full_name", "guardian_name")
    PLAIN_NAME_CODE = "plain_name"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.plain_name_fields:
            self.fields[f"{name}_confirmed"] = forms.BooleanField(
                label=_("Tôi xác nhận họ tên trên viết đúng, không có dấu."), required=False
            )

    def clean(self):
        cleaned = super().clean()
        for name in self.plain_name_fields:
            value = cleaned.get(name)
            confirmed = cleaned.get(f"{name}_confirmed") or (
                # A correction leaves a name as it was: it was confirmed when written.
                value == self.initial.get(name)
            )
            if value and not has_vietnamese_diacritics(value) and not confirmed:
                self.add_error(
                    name,
                    ValidationError(
                        _(
                            "«%(name)s» chưa có dấu. Họ tên được in trên quyết định đúng "
                            "như đã viết: vui lòng viết có dấu (ví dụ Nguyễn Văn An), hoặc "
                            "đánh dấu ô xác nhận ngay dưới đây nếu tên đúng là không có dấu."
                        ),
                        params={"name": value},
                        code=self.PLAIN_NAME_CODE,
                    ),
                )
        return cleaned

    @property
    def plain_names_asked(self) -> dict[str, bool]:
        """{field name: True} for the names whose confirmation box is shown: asked now, or
        already ticked (a draft shown again keeps its box)."""
        if not self.is_bound:
            return {}
        asked = {}
        for name in self.plain_name_fields:
            box = f"{name}_confirmed"
            errors = self.errors.as_data().get(name, [])
            ticked = self[box].value()
            if ticked or any(e.code == self.PLAIN_NAME_CODE for e in errors):
                asked[name] = True
        return asked
