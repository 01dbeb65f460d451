"""The form of an isolation rule set (province health staff, /office/rules/)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.choices import Symptom
from cases.forms import DateField
from cases.models import RuleSet
from cases.services.rule_sets import EDITABLE_FIELDS
from core.forms import NfcFormMixin


class RuleSetForm(NfcFormMixin, forms.ModelForm):
    danger_symptoms = forms.MultipleChoiceField(
        label=_("Triệu chứng là dấu hiệu nguy hiểm"),
        choices=Symptom.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Khai báo hoặc báo cáo hằng ngày có một trong các triệu chứng này: hồ sơ vào danh "
            "sách «Dấu hiệu nguy hiểm» và cán bộ xã được báo ngay."
        ),
        error_messages={"required": _("Vui lòng chọn ít nhất một triệu chứng nguy hiểm.")},
    )
    effective_from = DateField(
        label=_("Áp dụng cho ca dương tính từ ngày"),
        help_text=_("Áp dụng cho người có kết quả dương tính từ ngày này; sớm nhất là ngày mai."),
    )

    class Meta:
        model = RuleSet
        fields = EDITABLE_FIELDS
        widgets = {"legal_basis": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "legal_basis": _("Ví dụ: Quyết định số 587/QĐ-BYT ngày 05/3/2022 của Bộ Y tế."),
            "isolation_days": _("Ngày có kết quả dương tính là ngày thứ nhất."),
        }

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in EDITABLE_FIELDS}
