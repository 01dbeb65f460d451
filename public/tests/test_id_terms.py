"""The ID papers a citizen may declare with are those in force on the day (issue 14 item 25).

Rule: cases.choices.ID_TERMS (Law on Identification 26/2023/QH15): "Căn cước" and "số định
danh cá nhân" from 1/7/2024; the 9-digit "chứng minh nhân dân" only until 31/12/2024.
"""

from datetime import date

import pytest
from django.urls import reverse

from cases.models import Case
from core.tests.clock import set_local_clock
from documents.composition import person_for
from public.tests.flow import consent, declare, fill


@pytest.mark.django_db
def test_today_the_form_offers_the_identity_card_and_no_old_9_digit_id(client, units, monkeypatch):
    set_local_clock(monkeypatch, "2026-11-29 09:00")
    consent(client)
    page = client.get(reverse("public:declare_form")).content.decode()
    assert "Căn cước (số định danh cá nhân, 12 số)" in page
    assert "Căn cước công dân" not in page
    assert "Chứng minh nhân dân" not in page
    refused = fill(client, id_type="cmnd", id_number="012345678")
    assert refused.status_code == 200
    assert "id_type" in refused.context["form"].errors
    # Nothing typed is lost on the refusal.
    assert 'value="012345678"' in refused.content.decode()


@pytest.mark.django_db
def test_before_it_expired_the_9_digit_id_was_offered_and_checked(client, units, monkeypatch):
    set_local_clock(monkeypatch, "2024-11-20 09:00")
    consent(client)
    page = client.get(reverse("public:declare_form")).content.decode()
    assert "Chứng minh nhân dân (9 số)" in page
    refused = fill(client, id_type="cmnd", id_number="12345")
    assert "Số chứng minh nhân dân gồm đúng 9 chữ số." in " ".join(
        refused.context["form"].errors["id_number"]
    )


@pytest.mark.django_db
def test_documents_name_the_id_paper_by_the_day_of_issue(client, units, monkeypatch):
    set_local_clock(monkeypatch, "2026-11-29 09:00")
    declare(client)
    case = Case.objects.get()
    assert person_for(case, date(2026, 11, 29)).id_label == "Số định danh cá nhân"
    assert person_for(case, date(2024, 3, 1)).id_label == "Số căn cước công dân"
