"""The citizen chooses SMS or Zalo on the declaration form (issue 13.5)."""

import pytest
from django.urls import reverse

from cases.models import Case
from notifications.models import Notification
from notifications.testing import fake_zns
from public.tests.flow import consent, declare, fill


@pytest.mark.django_db
def test_with_zalo_on_a_citizen_who_chooses_it_gets_the_tracking_code_by_zalo(
    client, units, settings, django_capture_on_commit_callbacks
):
    with fake_zns(settings) as zalo:
        consent(client)
        form = client.get(reverse("public:declare_form")).content.decode()
        assert "Nhận mã hồ sơ và kết quả qua" in form and "Tin nhắn Zalo" in form
        with django_capture_on_commit_callbacks(execute=True):
            declare(client, notify_channel="zalo")
    case = Case.objects.get()
    assert case.notify_channel == "zalo"
    notification = Notification.objects.get(kind="declaration_received")
    assert (notification.channel, notification.status) == ("zalo", "sent")
    [request] = zalo.requests
    assert request["json"]["phone"] == "84912345678"
    assert request["json"]["template_data"]["tracking_code"] == case.tracking_code


@pytest.mark.django_db
def test_with_zalo_on_the_choice_is_asked_and_kept_on_a_refusal(client, units, settings):
    with fake_zns(settings):
        consent(client)
        answer = fill(client, notify_channel="zalo", full_name="")
    text = answer.content.decode()
    assert answer.status_code == 200
    assert "full_name" in answer.context["form"].errors
    assert 'name="notify_channel" value="zalo" checked' in " ".join(text.split())


@pytest.mark.django_db
def test_with_zalo_off_the_form_asks_nothing_and_sms_goes(client, units):
    consent(client)
    assert "Tin nhắn Zalo" not in client.get(reverse("public:declare_form")).content.decode()
    declare(client, notify_channel="zalo")  # a stale form's choice changes nothing
    assert Case.objects.get().notify_channel == ""
    assert Notification.objects.get(kind="declaration_received").channel == "sms"
