"""Households declared together are grouped in the commune's inbox and accepted together
(issue 13 part 3), through the bulk accept job; each member gets their own decision."""

import re
import uuid

import pytest
from django.urls import reverse

from cases.choices import Status
from cases.models import Case
from cases.services import MemberDeclaration, household_declare
from cases.testing import declaration_values, make_case
from jobs.models import BulkJob

INBOX = reverse("backoffice:inbox")


def household(commune, names=("Nguyễn Thị Hoa", "Trần Văn Bình", "Trần Minh Khang")):
    """The cases of a household sent together from the public form."""
    members = [
        MemberDeclaration(
            commune=commune, values=declaration_values(full_name=name, phone="0912345678")
        )
        for name in names
    ]
    return [r.case for r in household_declare(members=members, submission_key=uuid.uuid4())]


@pytest.mark.django_db
def test_a_household_is_grouped_and_accepted_together(client, login, officer_a, commune_a):
    before = make_case(commune_a, full_name="Lê Văn Sáu")
    members = household(commune_a)
    after = make_case(commune_a, full_name="Phạm Thị Bảy")
    login(officer_a)
    html = client.get(INBOX).content.decode()
    # The three rows are together, each tagged, and the first offers to accept them all.
    order = [
        html.index(name) for name in ("Lê Văn Sáu", *[m.full_name for m in members], "Phạm Thị Bảy")
    ]
    assert order == sorted(order)
    assert html.count("Khai báo cùng hộ: 3 người") == 3
    assert html.count("Tiếp nhận cả hộ (3 người)") == 1
    # They share the phone by design: that is no hint of a duplicate among them.
    assert "Trùng số điện thoại" not in html
    form = re.search(r'<form[^>]*class="household-accept".*?</form>', html, re.S).group(0)
    ids = sorted(int(pk) for pk in re.findall(r'name="case" value="([0-9]+)"', form))
    assert ids == sorted(m.pk for m in members)

    response = client.post(
        reverse("backoffice:bulk"),
        {"action": "accept", "scope": "selected", "case": ids, "next": INBOX},
    )
    job = BulkJob.objects.get()
    assert response["Location"] == reverse("backoffice:job", args=[job.pk])
    assert job.total == 3
    client.post(reverse("backoffice:job_confirm", args=[job.pk]))
    statuses = dict(Case.objects.values_list("pk", "status"))
    assert all(statuses[m.pk] == Status.ACCEPTED for m in members)
    assert statuses[before.pk] == statuses[after.pk] == Status.SUBMITTED


@pytest.mark.django_db
def test_another_commune_does_not_see_the_household(client, login, officer_b, commune_a):
    household(commune_a)
    login(officer_b)
    html = client.get(INBOX).content.decode()
    assert "Khai báo cùng hộ" not in html and "Tiếp nhận cả hộ" not in html


@pytest.mark.django_db
def test_a_household_with_one_member_left_to_review_offers_no_group_accept(
    client, login, officer_a, leader_a, commune_a
):
    from cases.services import case_accept

    members = household(commune_a, names=("Nguyễn Thị Hoa", "Trần Văn Bình"))
    case_accept(case=members[0], by=leader_a)
    login(officer_a)
    html = client.get(INBOX).content.decode()
    assert "Khai báo cùng hộ: 2 người" in html
    assert "Tiếp nhận cả hộ" not in html
