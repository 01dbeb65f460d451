from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from audit.actions import action_choices
from core.forms import NfcFormMixin
from reports.exports.exporters import CASE_STATUS_FILTERS
from units.models import Unit

MAX_PERIOD_DAYS = 366


def unit_choices(user) -> list[tuple[int, str]]:
    """The user's unit and every unit inside it, districts before their communes."""
    units = Unit.objects.within(user.unit).select_related("district").order_by("code")
    by_level = {Unit.Level.PROVINCE: 0, Unit.Level.DISTRICT: 1, Unit.Level.COMMUNE: 2}
    ordered = sorted(
        units,
        key=lambda u: (
            0 if u.level == Unit.Level.PROVINCE else 1,
            (u.district.code if u.district else u.code) if u.level != Unit.Level.PROVINCE else "",
            by_level[u.level],
            u.code,
        ),
    )
    return [(u.pk, ("— " if u.level == Unit.Level.COMMUNE else "") + u.name) for u in ordered]


class UnitForm(NfcFormMixin, forms.Form):
    don_vi = forms.TypedChoiceField(label=_("Đơn vị"), coerce=int)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["don_vi"].choices = unit_choices(user)
        self.fields["don_vi"].initial = user.unit_id

    def clean_don_vi(self):
        pk = self.cleaned_data["don_vi"]
        unit = Unit.objects.within(self.user.unit).filter(pk=pk).first()
        if unit is None:
            raise forms.ValidationError(_("Đơn vị không thuộc phạm vi của bạn."))
        return unit


class PeriodMixin:
    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("tu_ngay"), cleaned.get("den_ngay")
        if start and end and start > end:
            self.add_error("den_ngay", _("Ngày kết thúc phải từ ngày bắt đầu trở đi."))
        if start and end and (end - start).days > MAX_PERIOD_DAYS:
            self.add_error("den_ngay", _("Khoảng thời gian tối đa là 366 ngày."))
        return cleaned


class CaseListExportForm(PeriodMixin, UnitForm):
    trang_thai = forms.ChoiceField(
        label=_("Trạng thái"),
        choices=[(key, label) for key, (label, _q) in CASE_STATUS_FILTERS.items()],
        initial="open",
    )
    tu_ngay = forms.DateField(
        label=_("Khai báo từ ngày"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    den_ngay = forms.DateField(
        label=_("đến ngày"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    nguy_hiem = forms.BooleanField(label=_("Chỉ hồ sơ có dấu hiệu nguy hiểm"), required=False)

    def params(self) -> dict:
        data = self.cleaned_data
        return {
            "status": data["trang_thai"],
            "date_from": data["tu_ngay"].isoformat() if data.get("tu_ngay") else "",
            "date_to": data["den_ngay"].isoformat() if data.get("den_ngay") else "",
            "danger_only": bool(data.get("nguy_hiem")),
        }


class DailySummaryForm(UnitForm):
    ngay = forms.DateField(label=_("Ngày"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ngay"].initial = timezone.localdate()

    def clean_ngay(self):
        day = self.cleaned_data["ngay"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("Ngày báo cáo không được sau hôm nay."))
        return day

    def params(self) -> dict:
        return {"day": self.cleaned_data["ngay"].isoformat()}


class ServiceLevelForm(PeriodMixin, UnitForm):
    tu_ngay = forms.DateField(label=_("Từ ngày"), widget=forms.DateInput(attrs={"type": "date"}))
    den_ngay = forms.DateField(label=_("Đến ngày"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["tu_ngay"].initial = today - timedelta(days=6)
        self.fields["den_ngay"].initial = today

    def params(self) -> dict:
        return {
            "date_from": self.cleaned_data["tu_ngay"].isoformat(),
            "date_to": self.cleaned_data["den_ngay"].isoformat(),
        }


class AuditFilterForm(NfcFormMixin, forms.Form):
    tai_khoan = forms.CharField(
        label=pgettext_lazy("the person acting", "Tài khoản"), required=False, max_length=150
    )
    hanh_dong = forms.ChoiceField(
        label=_("Hành động"),
        required=False,
        choices=action_choices,
        error_messages={"invalid_choice": _("Vui lòng chọn hành động trong danh sách.")},
    )
    tu_ngay = forms.DateField(
        label=_("Từ ngày"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    den_ngay = forms.DateField(
        label=_("Đến ngày"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    doi_tuong = forms.CharField(
        label=_("Đối tượng (loại, mã hoặc tên)"), required=False, max_length=200
    )

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "user": data["tai_khoan"],
            "action": data["hanh_dong"],
            "date_from": data["tu_ngay"].isoformat() if data.get("tu_ngay") else "",
            "date_to": data["den_ngay"].isoformat() if data.get("den_ngay") else "",
            "object": data["doi_tuong"],
        }
