import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from PIL import Image

from uploads.models import Upload
from uploads.services import upload_attach, upload_create
from uploads.tests import factories as f
from uploads.views import serve_upload

pytestmark = [pytest.mark.django_db, pytest.mark.urls("uploads.tests.urls")]

FORM_URL = "/__test__/declaration/"


def staged_token(response) -> str:
    match = re.search(r'name="test_photo_token" value="([^"]+)"', response.content.decode())
    assert match, "the re-rendered form carries the staged photo"
    return match.group(1)


def assert_private_image_headers(response):
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Disposition"].startswith("inline")


def test_citizen_does_not_upload_again_after_a_form_error(client):
    response = client.post(
        FORM_URL, {"full_name": "", "test_photo": f.uploaded(f.phone_jpeg(), name="que-test.jpg")}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Nhập họ tên." in page
    assert "Đã tải lên: <strong>que-test.jpg</strong>" in page
    token = staged_token(response)

    preview = client.get(reverse("uploads:preview", args=[token]))
    assert preview.status_code == 200
    assert_private_image_headers(preview)
    thumbnail = Image.open(io.BytesIO(preview.content))
    assert thumbnail.format == "JPEG" and max(thumbnail.size) <= 320

    done = client.post(FORM_URL, {"full_name": "Nguyễn Văn A", "test_photo_token": token})
    assert done.content.decode() == f"ok {token} -"


def test_file_name_is_escaped_when_shown(client):
    response = client.post(
        FORM_URL, {"test_photo": f.uploaded(f.phone_jpeg(), name="<b onmouseover=x>.jpg")}
    )
    page = response.content.decode()
    assert "<b onmouseover" not in page
    assert "&lt;b onmouseover=x&gt;.jpg" in page


def test_another_browser_can_neither_preview_nor_use_the_photo(client):
    token = staged_token(client.post(FORM_URL, {"test_photo": f.uploaded(f.phone_jpeg())}))
    stranger = Client()
    assert stranger.get(reverse("uploads:preview", args=[token])).status_code == 404
    response = stranger.post(FORM_URL, {"full_name": "B", "test_photo_token": token})
    assert response.status_code == 200
    assert "không còn dùng được" in response.content.decode()


def test_preview_is_gone_once_a_case_claims_the_photo(client):
    token = staged_token(client.post(FORM_URL, {"test_photo": f.uploaded(f.phone_jpeg())}))
    upload_attach(upload=Upload.objects.get(token=token))
    assert client.get(reverse("uploads:preview", args=[token])).status_code == 404


def test_preview_of_an_unknown_token_is_404(client):
    assert client.get(reverse("uploads:preview", args=["nothing-here"])).status_code == 404


def test_refused_file_is_explained_on_the_form(client):
    response = client.post(
        FORM_URL,
        {"full_name": "A", "test_photo": f.uploaded(b"<html><script></script></html>")},
    )
    assert response.status_code == 200
    assert "trang web" in response.content.decode()
    assert Upload.objects.count() == 0


def test_serve_upload_sends_the_stored_jpeg_with_private_headers():
    upload = upload_create(file=f.uploaded(f.phone_jpeg()), kind=Upload.Kind.ID_PHOTO)
    response = serve_upload(upload)
    assert_private_image_headers(response)
    with upload.file.open("rb") as stored:
        assert b"".join(response.streaming_content) == stored.read()


def test_serve_upload_answers_404_when_the_file_is_missing():
    from django.http import Http404

    upload = upload_create(file=f.uploaded(f.phone_jpeg()), kind=Upload.Kind.ID_PHOTO)
    upload.file.storage.delete(upload.file.name)
    with pytest.raises(Http404):
        serve_upload(upload)
