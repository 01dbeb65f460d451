import itertools
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from cases.choices import Status
from cases.models import CaseEvent
from cases.testing import make_case
from reports.disclosure import HIDDEN, SMALL, protect
from reports.summaries import summaries_rebuild


def feasible_values(cells, total, k, bound):
    """Every value each small cell can take, given what the page shows (brute force)."""
    hidden = [key for key, c in cells.items() if c.state != "shown"]
    shown_sum = sum(c.value for c in cells.values() if c.state == "shown")
    ranges = [range(1, k) if cells[key].state == SMALL else range(k, bound) for key in hidden]
    possible = {key: set() for key in hidden if cells[key].state == SMALL}
    for combo in itertools.product(*ranges):
        if shown_sum + sum(combo) == total:
            for key, value in zip(hidden, combo, strict=True):
                if key in possible:
                    possible[key].add(value)
    return possible


@given(st.lists(st.integers(min_value=0, max_value=14), min_size=1, max_size=5))
@settings(max_examples=300, deadline=None)
def test_no_small_count_can_be_worked_out_from_a_published_total(values):
    k = 5
    data = dict(enumerate(values))
    total = sum(values)
    result = protect(data, total=total, k=k)
    for key, c in result.cells.items():
        assert c.value == data[key]
        if 0 < c.value < k:
            assert c.state == SMALL
    if result.total.state == "shown":
        possible = feasible_values(result.cells, total, k, bound=total + 1)
        for key, seen in possible.items():
            assert seen == set(range(1, k)), (values, key, seen)
    else:
        assert result.total.state in (SMALL, HIDDEN)


def test_one_small_cell_next_to_a_total_gets_a_complement():
    result = protect({"a": 2, "b": 40, "c": 9, "d": 0}, total=51, k=5)
    # 51 - 40 - 0 = 11 = a + c: with c hidden, a could be anything from 1 to 4.
    assert {key: c.text for key, c in result.cells.items()} == {
        "a": "<5",
        "b": "40",
        "c": "ẩn",
        "d": "0",
    }
    assert result.total.text == "51"


@pytest.fixture
def quiet_district(commune_a, commune_b, officer_a, officer_b):
    """Yesterday: Tràng Đà had 12 new cases, Sơn Dương 2 (a small count)."""
    for _ in range(12):
        make_case(commune_a, status=Status.ACCEPTED, by=officer_a)
    for _ in range(2):
        make_case(commune_b, status=Status.ACCEPTED, by=officer_b)
    CaseEvent.objects.update(at=timezone.now() - timedelta(days=1))
    summaries_rebuild()


def numbers_in_cells(html: str) -> list[str]:
    return re.findall(r'<td class="num[^"]*">([^<]*)</td>', html) + re.findall(
        r'class="stat__value">([^<]*)<', html
    )


@pytest.mark.django_db
def test_the_public_page_shows_no_count_below_the_threshold(client, quiet_district):
    response = client.get(reverse("reports:public_statistics"))
    assert response.status_code == 200
    html = response.content.decode()
    values = numbers_in_cells(html)
    assert values, "the page shows figures"
    for text in values:
        if text.strip() in ("&lt;5", "ẩn"):
            continue
        number = int(text.replace(".", ""))
        assert number == 0 or number >= 5, text
    assert "&lt;5" in html  # Sơn Dương's 2
    # Sơn Dương's 2 cannot be recomputed from the province total and the other districts.
    district_rows = html.split("Theo huyện")[1].split("</table>")[0]
    assert district_rows.count("ẩn") >= 1


@pytest.mark.django_db
def test_the_threshold_is_a_setting(client, quiet_district, settings):
    settings.PUBLIC_MIN_COUNT = 20
    html = client.get(reverse("reports:public_statistics")).content.decode()
    assert "&lt;20" in html and ">12<" not in html
