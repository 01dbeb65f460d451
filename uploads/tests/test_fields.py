import pytest
from django import forms
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import ImproperlyConfigured

from uploads.models import Upload
from uploads.services import upload_attach
from uploads.staging import SESSION_KEY
from uploads.tests import factories as f
from uploads.tests.sample_form import SampleDeclarationForm

pytestmark = pytest.mark.django_db


def submit(session, data=None, files=None):
    form = SampleDeclarationForm(data or {}, files or {}, session=session)
    form.is_valid()
    return form


def photo(name="que-test.jpg", seed=1):
    return f.uploaded(f.phone_jpeg(seed=seed), name=name)


def test_new_photo_is_stored_staged_and_returned_even_when_other_fields_fail():
    session = SessionStore()
    form = submit(session, {"full_name": ""}, {"test_photo": photo()})
    assert not form.is_valid()
    assert list(form.errors) == ["full_name"]
    upload = form.cleaned_data["test_photo"]
    assert isinstance(upload, Upload) and upload.kind == Upload.Kind.TEST_PHOTO
    assert session[SESSION_KEY] == [upload.token]

    html = str(form["test_photo"])
    assert "Đã tải lên: <strong>que-test.jpg</strong>" in html
    assert f'name="test_photo_token" value="{upload.token}"' in html
    assert f'src="/uploads/preview/{upload.token}/"' in html
    assert "Chọn ảnh khác" in html
    assert " required" not in html


def test_staged_token_is_accepted_without_uploading_again():
    session = SessionStore()
    first = submit(session, {"full_name": ""}, {"test_photo": photo()}).cleaned_data["test_photo"]
    form = submit(session, {"full_name": "Nguyễn Văn A", "test_photo_token": first.token})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["test_photo"] == first
    assert form.cleaned_data["id_photo"] is None
    assert Upload.objects.count() == 1


def test_a_new_photo_replaces_the_staged_one():
    session = SessionStore()
    first = submit(session, {}, {"test_photo": photo()}).cleaned_data["test_photo"]
    form = submit(
        session, {"full_name": "A", "test_photo_token": first.token}, {"test_photo": photo(seed=2)}
    )
    assert form.is_valid()
    assert form.cleaned_data["test_photo"] != first


def test_token_of_another_session_is_refused_and_its_name_not_shown():
    owner, stranger = SessionStore(), SessionStore()
    theirs = submit(owner, {}, {"test_photo": photo(name="CCCD-Tran-Thi-B.jpg")})
    token = theirs.cleaned_data["test_photo"].token

    form = submit(stranger, {"full_name": "Kẻ gian", "test_photo_token": token})
    assert not form.is_valid()
    assert "không còn dùng được" in form.errors["test_photo"][0]
    html = str(form["test_photo"])
    assert "CCCD-Tran-Thi-B" not in html and token not in html


def test_attached_upload_cannot_be_reused():
    session = SessionStore()
    upload = submit(session, {}, {"test_photo": photo()}).cleaned_data["test_photo"]
    upload_attach(upload=upload)
    form = submit(session, {"full_name": "A", "test_photo_token": upload.token})
    assert "test_photo" in form.errors


def test_token_staged_for_another_kind_of_photo_is_refused():
    session = SessionStore()
    id_photo = submit(session, {}, {"id_photo": photo()}).cleaned_data["id_photo"]
    form = submit(session, {"full_name": "A", "test_photo_token": id_photo.token})
    assert "test_photo" in form.errors


def test_required_photo_missing_gives_the_form_message():
    form = submit(SessionStore(), {"full_name": "A"})
    assert form.errors["test_photo"] == ["Vui lòng tải lên ảnh que test dương tính."]


def test_refused_file_shows_why_and_keeps_the_photo_staged_before():
    session = SessionStore()
    first = submit(session, {}, {"test_photo": photo()}).cleaned_data["test_photo"]
    form = submit(
        session,
        {"full_name": "A", "test_photo_token": first.token},
        {"test_photo": f.uploaded(b"%PDF-1.4 ...", name="ket-qua.jpg")},
    )
    assert "PDF" in form.errors["test_photo"][0]
    assert f'value="{first.token}"' in str(form["test_photo"])


def test_optional_photo_can_be_removed():
    session = SessionStore()
    staged = submit(session, {}, {"id_photo": photo()}).cleaned_data["id_photo"]
    assert "Bỏ ảnh này" in str(submit(session, {"id_photo_token": staged.token})["id_photo"])
    form = submit(
        session,
        {
            "full_name": "A",
            "test_photo_token": "",
            "id_photo_token": staged.token,
            "id_photo_clear": "1",
        },
        {"test_photo": photo(seed=3)},
    )
    assert form.is_valid()
    assert form.cleaned_data["id_photo"] is None
    assert staged.token not in str(form["id_photo"])


def test_session_keeps_a_bounded_list_of_tokens():
    session = SessionStore()
    for seed in range(22):
        submit(session, {}, {"id_photo": photo(seed=seed)})
    assert len(session[SESSION_KEY]) == 20


def test_form_without_a_session_fails_loudly():
    class NoSessionForm(forms.Form):
        from uploads.fields import StagedImageField

        photo = StagedImageField(kind=Upload.Kind.TEST_PHOTO)

    form = NoSessionForm({}, {"photo": photo()})
    with pytest.raises(ImproperlyConfigured):
        form.is_valid()


def test_unbound_form_renders_a_file_input_that_accepts_phone_photos():
    html = str(SampleDeclarationForm(session=SessionStore())["test_photo"])
    assert 'type="file"' in html and "image/heic" in html
    assert "Đã tải lên" not in html
