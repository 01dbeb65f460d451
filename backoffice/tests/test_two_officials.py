"""Two officials on one case (issue 14, items 13 and 14): each page's action and correction
carries what the official saw, and a case changed since is refused with what changed, by
whom and when; a case that left the commune says where it went."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from cases.choices import EventKind, Status
from cases.models import Case, CaseEvent
from cases.services import case_accept, case_correct, case_transfer
from cases.testing import at_once, make_case

REPEAT = 8


def url(name, case):
    return reverse(f"backoffice:{name}", args=[case.pk])


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def page_version(client: Client, case: Case) -> str:
    """The version the action forms of the case page carry."""
    html = client.get(url("case", case)).content.decode()
    versions = set(re.findall(r'name="version" value="([0-9]+)"', html))
    assert len(versions) == 1, versions
    return versions.pop()


def correction_form(client: Client, case: Case) -> dict[str, object]:
    """The correction form's fields as the page fills them in (the values it shows)."""
    response = client.get(url("case_correct", case))
    form = response.context["form"]
    data: dict[str, object] = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None:
            data[name] = ""
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif isinstance(value, list):
            data[name] = value
        else:
            shown = field.widget.format_value(value)
            data[name] = "" if shown is None else shown
    return data


# Item 13: a correction form opened earlier ----------------------------------------------


@pytest.mark.django_db
def test_an_older_correction_form_keeps_a_colleagues_correction(
    client, login, commune_a, officer_a, leader_a
):
    case = make_case(commune_a, phone="0912000001", village="Thôn Cũ")
    login(officer_a)
    form = correction_form(client, case)  # opened before the leader's correction
    case_correct(case=case, by=leader_a, changes={"phone": "0987000002"}, reason="Gọi lại")

    form.update(village="Thôn Mới", reason="Người dân báo đổi chỗ ở")
    response = client.post(url("case_correct", case), form)

    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.phone, case.village) == ("0987000002", "Thôn Mới")
    officers = CaseEvent.objects.filter(case=case, kind=EventKind.CORRECTED, actor=officer_a)
    assert [set(e.data["changes"]) for e in officers] == [{"village"}]


@pytest.mark.django_db
def test_a_field_both_changed_is_refused_with_both_values_then_kept_on_purpose(
    client, login, commune_a, officer_a, leader_a
):
    case = make_case(commune_a, phone="0912000001")
    login(officer_a)
    form = correction_form(client, case)
    case_correct(case=case, by=leader_a, changes={"phone": "0987000002"}, reason="Gọi lại")

    form.update(phone="0977000003", reason="Người dân đọc lại số")
    response = client.post(url("case_correct", case), form)

    html = response.content.decode()
    assert response.status_code == 200
    assert "0987000002" in html and "0977000003" in html
    assert leader_a.full_name in html
    assert "Người dân đọc lại số" in html  # nothing typed is lost
    case.refresh_from_db()
    assert case.phone == "0987000002"

    # Saving again, having seen both, keeps the officer's number deliberately.
    again = {**form, "seen": response.context["form"]["seen"].value()}
    assert client.post(url("case_correct", case), again).status_code == 302
    case.refresh_from_db()
    assert case.phone == "0977000003"


@pytest.mark.django_db(transaction=True)
def test_two_corrections_at_once_of_different_fields_both_stay(
    commune_a, officer_a, leader_a, seeded_rules
):
    for round_ in range(REPEAT):
        case = make_case(commune_a, phone="0912000001", village="Thôn Cũ")
        officer, leader = signed_in(officer_a), signed_in(leader_a)
        officer_form, leader_form = correction_form(officer, case), correction_form(leader, case)
        officer_form.update(village=f"Thôn {round_}", reason="Đổi chỗ ở")
        leader_form.update(phone="0987000002", reason="Gọi lại")

        answers = at_once(
            lambda f=officer_form, c=case, o=officer: o.post(url("case_correct", c), f),
            lambda f=leader_form, c=case, ld=leader: ld.post(url("case_correct", c), f),
        )

        assert [a.status_code for a in answers] == [302, 302]
        case.refresh_from_db()
        assert (case.phone, case.village) == ("0987000002", f"Thôn {round_}")


@pytest.mark.django_db(transaction=True)
def test_two_corrections_at_once_of_one_field_one_wins_the_other_sees_both(
    commune_a, officer_a, leader_a, seeded_rules
):
    for _ in range(REPEAT):
        case = make_case(commune_a, phone="0912000001")
        officer, leader = signed_in(officer_a), signed_in(leader_a)
        officer_form, leader_form = correction_form(officer, case), correction_form(leader, case)
        officer_form.update(phone="0977000003", reason="Đọc lại số")
        leader_form.update(phone="0987000002", reason="Gọi lại")

        answers = at_once(
            lambda f=officer_form, c=case, o=officer: o.post(url("case_correct", c), f),
            lambda f=leader_form, c=case, ld=leader: ld.post(url("case_correct", c), f),
        )

        assert sorted(a.status_code for a in answers) == [200, 302]
        loser = next(a for a in answers if a.status_code == 200).content.decode()
        assert "0977000003" in loser and "0987000002" in loser
        assert CaseEvent.objects.filter(case=case, kind=EventKind.CORRECTED).count() == 1


# Item 14: decisions taken on an old view -------------------------------------------------


@pytest.mark.django_db
def test_a_transfer_from_a_page_opened_before_the_accept_is_refused_with_who_and_when(
    client, login, commune_a, commune_b, officer_a, leader_a
):
    case = make_case(commune_a)
    login(officer_a)
    version = page_version(client, case)
    case_accept(case=case, by=leader_a)

    response = client.post(
        url("case_transfer", case),
        {"to_commune": commune_b.pk, "note": "Ở nhà con gái", "version": version},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "đã thay đổi" in html and leader_a.full_name in html
    assert str(Status.ACCEPTED.label) in html
    assert "Ở nhà con gái" in html  # the note typed is kept
    case.refresh_from_db()
    assert (case.status, case.commune_id) == (Status.ACCEPTED, commune_a.pk)


@pytest.mark.django_db
def test_acting_on_a_case_that_left_the_commune_says_where_it_went(
    client, login, commune_a, commune_b, officer_a, leader_a
):
    case = make_case(commune_a)
    login(officer_a)
    version = page_version(client, case)
    case_transfer(case=case, by=leader_a, to_commune=commune_b, note="Ở xã khác")

    response = client.post(url("case_accept", case), {"note": "", "version": version}, follow=True)

    html = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("backoffice:transferred")
    assert commune_b.name in html and leader_a.full_name in html
    response = client.get(url("case_correct", case), follow=True)
    assert commune_b.name in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == Status.TRANSFERRED


@pytest.mark.django_db(transaction=True)
def test_a_transfer_and_an_accept_at_once_one_wins_the_other_is_told(
    commune_a, commune_b, officer_a, leader_a, seeded_rules
):
    for _ in range(REPEAT):
        case = make_case(commune_a)
        officer, leader = signed_in(officer_a), signed_in(leader_a)
        seen_officer, seen_leader = page_version(officer, case), page_version(leader, case)

        transfer, accept = at_once(
            lambda c=case, v=seen_officer, o=officer: o.post(
                url("case_transfer", c),
                {"to_commune": commune_b.pk, "note": "Ở nhà con gái", "version": v},
                follow=True,
            ),
            lambda c=case, v=seen_leader, ld=leader: ld.post(
                url("case_accept", c), {"note": "", "version": v}, follow=True
            ),
        )

        case.refresh_from_db()
        transfers = CaseEvent.objects.filter(case=case, kind=EventKind.TRANSFERRED).count()
        accepts = CaseEvent.objects.filter(case=case, kind=EventKind.ACCEPTED).count()
        assert transfers + accepts == 1
        won, lost = (transfer, accept) if transfers else (accept, transfer)
        winner = officer_a if transfers else leader_a
        assert "Đã " in won.content.decode()
        told = lost.content.decode()
        assert winner.full_name in told
        assert "đã thay đổi" in told or commune_b.name in told
