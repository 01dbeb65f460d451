"""A declaration-like form used by the tests, as the public forms will use the field."""

from django import forms
from django.http import HttpResponse
from django.shortcuts import render

from core.access import public
from uploads.fields import StagedImageField, StagedUploadsFormMixin
from uploads.models import Upload


class SampleDeclarationForm(StagedUploadsFormMixin, forms.Form):
    full_name = forms.CharField(label="Họ và tên", error_messages={"required": "Nhập họ tên."})
    test_photo = StagedImageField(
        kind=Upload.Kind.TEST_PHOTO,
        label="Ảnh que test",
        error_messages={"required": "Vui lòng tải lên ảnh que test dương tính."},
    )
    id_photo = StagedImageField(kind=Upload.Kind.ID_PHOTO, label="Ảnh CCCD", required=False)


@public
def declaration_sample(request):
    form = SampleDeclarationForm(
        request.POST or None, request.FILES or None, session=request.session
    )
    if request.method == "POST" and form.is_valid():
        photo, id_photo = form.cleaned_data["test_photo"], form.cleaned_data["id_photo"]
        return HttpResponse(f"ok {photo.token} {id_photo.token if id_photo else '-'}")
    return render(request, "uploads/tests/sample_form.html", {"form": form})
