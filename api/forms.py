from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from api.services import TOKEN_ROLES
from core.forms import NfcFormMixin
from units.models import Unit


class TokenForm(NfcFormMixin, forms.Form):
    """A new API key: who uses it, as which role of which unit, until when."""

    name = forms.CharField(
        label=_("Tên hệ thống sử dụng khóa"),
        max_length=100,
        help_text=_("Ví dụ: Phòng xét nghiệm Bệnh viện Đa khoa tỉnh."),
    )
    role = forms.ChoiceField(
        label=_("Vai trò"), choices=[(r.value, r.label) for r in Role if r in TOKEN_ROLES]
    )
    unit = forms.ModelChoiceField(label=_("Đơn vị"), queryset=Unit.objects.none())
    expires_on = forms.DateField(
        label=_("Hết hạn ngày"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["unit"].queryset = units
        self.fields["expires_on"].initial = timezone.localdate() + timedelta(days=90)
