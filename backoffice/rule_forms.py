"""The form of an isolation rule set (province health staff, /office/rules/)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.forms import DateField
from cases.models import RuleSet
from cases.services.rule_sets import EDITABLE_FIELDS
from core.forms import NfcFormMixin


class RuleSetForm(NfcFormMixin, forms.ModelForm):
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
