"""The case forms of officers: manual enrolment and corrections (fields in cases.forms)."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.forms import CaseFieldsForm, PlainNameConfirmMixin
from documents.services import DocumentsAction
from uploads.fields import StagedImageField, StagedUploadsFormMixin
from uploads.models import Upload

__all__ = ["CaseFieldsForm", "CorrectionForm", "EnrolmentForm"]


class EnrolmentForm(PlainNameConfirmMixin, StagedUploadsFormMixin, CaseFieldsForm):
    """An officer enters a case heard on the phone or read from a lab list."""

    test_photo = StagedImageField(
        kind=Upload.Kind.TEST_PHOTO,
        label=_("Ảnh kết quả xét nghiệm dương tính (không bắt buộc)"),
        required=False,
    )
    id_photo = StagedImageField(
        kind=Upload.Kind.ID_PHOTO, label=_("Ảnh giấy tờ tùy thân (không bắt buộc)"), required=False
    )
    # One key per form shown: a double click or a retried POST finds the first answer.
    submission_key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)


class CorrectionForm(PlainNameConfirmMixin, CaseFieldsForm):
    """The correctable fields of a case, prefilled, with the reason for the change."""

    reason = forms.CharField(
        label=_("Lý do sửa"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Chỉ cán bộ đọc. Ví dụ: người dân gọi điện báo sai ngày sinh."),
    )
    # The values the form showed, signed (backoffice.views.case.case_correct): only what
    # the official changed from them is applied.
    seen = forms.CharField(widget=forms.HiddenInput, required=False)
    # Shown when the case has issued documents (documents.services.case_correct_with_documents).
    documents_action = forms.ChoiceField(
        label=_("Nếu thông tin sửa có trong văn bản đã ban hành"),
        choices=[
            (
                DocumentsAction.REPLACE,
                _("Thu hồi văn bản đó và dự thảo văn bản thay thế (ghi rõ thay thế văn bản nào)"),
            ),
            (DocumentsAction.LATER, _("Chỉ sửa hồ sơ; lãnh đạo xã thu hồi, thay thế văn bản sau")),
        ],
        widget=forms.RadioSelect,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("check_test_age", False)
        super().__init__(*args, **kwargs)
