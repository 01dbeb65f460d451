import re

import pytest
from django.urls import reverse

from cases.models import Case
from notifications.backends import FileSMSBackend
from public.tests.flow import consent, fill


@pytest.mark.django_db
def test_when_required_the_phone_is_proven_with_a_code_before_sending(
    client, units, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.PHONE_VERIFICATION_REQUIRED = True
    settings.SMS_BACKEND = "notifications.backends.FileSMSBackend"
    settings.SMS_FILE_PATH = str(tmp_path / "sms.log")
    consent(client)
    fill(client)
    key = client.session["declaration"]["key"]
    response = client.post(reverse("public:declare_check"), {"key": key})
    assert response["Location"] == reverse("public:declare_phone")
    assert not Case.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("public:declare_phone"), {"action": "send"})
    (sms,) = FileSMSBackend().read()
    assert sms["to"] == "0912345678"
    code = re.search(r"\b(\d{6})\b", sms["text"]).group(1)

    wrong = client.post(
        reverse("public:declare_phone"),
        {"action": "verify", "code": "000000" if code != "000000" else "111111"},
    )
    assert "Mã không đúng" in wrong.content.decode()
    right = client.post(reverse("public:declare_phone"), {"action": "verify", "code": code})
    assert right["Location"] == reverse("public:declare_check")
    sent = client.post(reverse("public:declare_check"), {"key": key})
    assert sent["Location"] == reverse("public:declare_done")
    assert Case.objects.count() == 1


@pytest.mark.django_db
def test_without_the_setting_no_code_is_asked(client, units, settings):
    settings.PHONE_VERIFICATION_REQUIRED = False
    consent(client)
    fill(client)
    key = client.session["declaration"]["key"]
    response = client.post(reverse("public:declare_check"), {"key": key})
    assert response["Location"] == reverse("public:declare_done")
    assert Case.objects.count() == 1
