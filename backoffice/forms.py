"""Forms of the commune back office: inbox filters, case decisions, bulk actions, imports."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from backoffice.case_forms import CorrectionForm, EnrolmentForm
from backoffice.import_columns import MAX_BYTES
from backoffice.selectors import Tab
from cases.choices import Outcome, RejectReason
from core.forms import NfcFormMixin
from core.widgets import LargeSelect
from units.models import Unit
from units.selectors import commune_choices

__all__ = [
    "AcceptForm",
    "BulkActionForm",
    "CloseForm",
    "ConfirmRecoveryForm",
    "CorrectionForm",
    "EnrolmentForm",
    "ImportUploadForm",
    "InboxFilterForm",
    "RefuseRecoveryForm",
    "RejectForm",
    "TransferForm",
]


class InboxFilterForm(NfcFormMixin, forms.Form):
    tab = forms.ChoiceField(choices=Tab.CHOICES, required=False, widget=forms.HiddenInput)
    q = forms.CharField(
        label=_("Tìm theo họ tên, số điện thoại, số giấy tờ hoặc mã hồ sơ"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )

    def values(self) -> tuple[str, str]:
        if not self.is_valid():
            return Tab.REVIEW, ""
        return self.cleaned_data["tab"] or Tab.REVIEW, self.cleaned_data["q"].strip()


# Who reads a note field, said under every one of them (issue 14 item 7): an internal note
# (CaseEvent.reason) stays with the staff, a message (CaseEvent.message) reaches the citizen.
INTERNAL = _("Ghi chú nội bộ: chỉ cán bộ đọc, người dân không thấy.")


def _note(label, required=False, help_text=""):
    return forms.CharField(
        label=label,
        max_length=1000,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CaseActionForm(NfcFormMixin, forms.Form):
    """A decision on one case, carrying the Case.version the official saw: the service
    refuses it when the case changed since (cases.lifecycle.CaseChanged)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)


class AcceptForm(CaseActionForm):
    note = _note(_("Ghi chú nội bộ (không bắt buộc)"), help_text=INTERNAL)


class RejectForm(CaseActionForm):
    reason = forms.ChoiceField(
        label=_("Lý do từ chối tiếp nhận"),
        choices=RejectReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Vui lòng chọn lý do từ chối tiếp nhận.")},
    )
    note = _note(
        _("Giải thích thêm"),
        help_text=_("Người dân đọc được lý do và giải thích này trên trang tra cứu."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("reason") == RejectReason.OTHER and not cleaned.get("note", "").strip():
            self.add_error("note", _("Vui lòng ghi rõ lý do khác."))
        return cleaned


class TransferForm(CaseActionForm):
    to_commune = forms.TypedChoiceField(
        label=_("Chuyển đến xã, phường"),
        widget=LargeSelect,
        coerce=int,
        empty_value=None,
        error_messages={"required": _("Vui lòng chọn xã nhận hồ sơ.")},
    )
    note = _note(
        _("Lý do chuyển"),
        required=True,
        help_text=_(
            "Chỉ cán bộ hai xã đọc, người dân không thấy. Ví dụ: người mắc đang ở nhà con gái "
            "tại thôn 5, xã Kim Phú."
        ),
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"].error_messages["required"] = _("Vui lòng ghi lý do chuyển.")
        self.province = case.province
        self.fields["to_commune"].choices = commune_choices(case.province, exclude=case.commune_id)

    def clean_to_commune(self):
        pk = self.cleaned_data["to_commune"]
        commune = Unit.objects.filter(
            pk=pk, province=self.province, level=Unit.Level.COMMUNE
        ).first()
        if commune is None:
            raise ValidationError(_("Vui lòng chọn xã trong danh sách."))
        return commune


class CloseForm(CaseActionForm):
    outcome = forms.ChoiceField(
        label=_("Kết quả"),
        choices=[
            (Outcome.HOSPITALISED, Outcome.HOSPITALISED.label),
            (Outcome.DIED, Outcome.DIED.label),
            (Outcome.MOVED_AWAY, Outcome.MOVED_AWAY.label),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Vui lòng chọn kết quả.")},
    )
    note = _note(
        _("Ghi chú nội bộ (không bắt buộc)"),
        help_text=_(
            "Chỉ cán bộ đọc; người dân thấy kết quả đã chọn. Ví dụ: chuyển Bệnh viện Đa khoa tỉnh."
        ),
    )


class ConfirmRecoveryForm(CaseActionForm):
    note = _note(_("Ghi chú nội bộ (không bắt buộc)"), help_text=INTERNAL)


class RefuseRecoveryForm(CaseActionForm):
    reason = _note(
        _("Lý do chưa xác nhận"),
        required=True,
        help_text=_("Người dân đọc được lý do này; ghi rõ cần làm gì tiếp, ví dụ test lại."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].error_messages["required"] = _(
            "Vui lòng ghi lý do để người dân biết cần làm gì."
        )


class BulkActionForm(NfcFormMixin, forms.Form):
    action = forms.ChoiceField(
        label=_("Việc cần làm"),
        choices=[("accept", _("Tiếp nhận")), ("reject", _("Từ chối tiếp nhận"))],
        error_messages={"required": _("Vui lòng chọn việc cần làm.")},
    )
    reason = forms.ChoiceField(
        label=_("Lý do (khi từ chối tiếp nhận)"),
        choices=[("", _("Chọn lý do"))] + list(RejectReason.choices),
        required=False,
    )
    # Accepting: an internal note; rejecting: the explanation the citizen reads.
    note = forms.CharField(
        label=_("Ghi chú"),
        help_text=_(
            "Khi tiếp nhận: ghi chú nội bộ, chỉ cán bộ đọc. Khi từ chối tiếp nhận: người dân đọc "
            "được lý do và ghi chú này."
        ),
        max_length=1000,
        required=False,
    )
    # "selected": the ticked cases; "all": every case awaiting review that the filter shows.
    scope = forms.ChoiceField(choices=[("selected", "selected"), ("all", "all")])
    case = forms.TypedMultipleChoiceField(coerce=int, required=False)
    q = forms.CharField(max_length=100, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Any id may be posted; the service keeps only the user's own awaiting cases.
        self.fields["case"].valid_value = lambda value: str(value).isdigit()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == "reject":
            if not cleaned.get("reason"):
                self.add_error("reason", _("Vui lòng chọn lý do từ chối tiếp nhận."))
            elif cleaned["reason"] == RejectReason.OTHER and not cleaned.get("note", "").strip():
                self.add_error("note", _("Vui lòng ghi rõ lý do khác."))
        if cleaned.get("scope") == "selected" and not cleaned.get("case"):
            raise ValidationError(_("Vui lòng đánh dấu ít nhất một hồ sơ."))
        return cleaned


class ImportUploadForm(NfcFormMixin, forms.Form):
    file = forms.FileField(
        label=_("Tệp Excel (.xlsx)"),
        help_text=_("Dùng tệp mẫu; tối đa 5.000 dòng và 5 MB."),
        error_messages={"required": _("Vui lòng chọn tệp .xlsx để tải lên.")},
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise ValidationError(_("Tệp lớn hơn 5 MB; vui lòng chia thành nhiều tệp."))
        return upload


class CallNoteForm(NfcFormMixin, forms.Form):
    """The optional note of a call to a person who did not report."""

    note = forms.CharField(
        label=_("Ghi chú cuộc gọi (không bắt buộc)"),
        help_text=INTERNAL,
        max_length=500,
        required=False,
    )
