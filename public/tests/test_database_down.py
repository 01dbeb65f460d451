"""When the database does not answer: a fast Vietnamese 503 that keeps what was typed."""

import pytest
from django.db import OperationalError
from django.db.backends import utils
from django.test import Client
from django.urls import reverse

from public.tests.flow import form_data


@pytest.fixture
def database_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection to server failed: Connection refused")

    def down():
        monkeypatch.setattr(utils.CursorWrapper, "execute", refuse)

    return down


@pytest.mark.django_db
def test_a_sent_declaration_comes_back_in_the_503_page_to_send_again(units, database_down):
    client = Client(raise_request_exception=False)
    client.post(reverse("public:declare_start"), {"consent": "on"})
    typed = form_data()
    database_down()
    response = client.post(reverse("public:declare_form"), typed)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Cache-Control"] == "no-store"
    page = response.content.decode()
    assert "Hệ thống đang tạm gián đoạn" in page and "Gửi lại" in page
    assert f'action="{reverse("public:declare_form")}"' in page
    assert 'name="full_name" value="Nguyễn Thị Hoa"' in page
    assert 'name="id_number" value="008190123456"' in page


@pytest.mark.django_db
def test_a_page_read_while_the_database_is_down_offers_to_try_again(database_down):
    database_down()
    response = Client(raise_request_exception=False).get(reverse("public:status"))
    assert response.status_code == 503
    assert f'href="{reverse("public:status")}"' in response.content.decode()


@pytest.mark.django_db
def test_a_password_is_never_written_back_into_the_page(database_down):
    database_down()
    response = Client(raise_request_exception=False).post(
        reverse("accounts:login"), {"username": "xa.a", "password": "Secret-123456"}
    )
    assert response.status_code == 503
    page = response.content.decode()
    assert 'value="xa.a"' in page and "Secret-123456" not in page


@pytest.mark.django_db
def test_other_errors_keep_the_500_page(monkeypatch):
    from core import views

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(views, "render", broken)
    response = Client(raise_request_exception=False).get(reverse("core:home"))
    assert response.status_code == 500
    assert "Hệ thống đang gặp sự cố" in response.content.decode()
