from core.tests.clock import set_local_clock
from uploads.models import stored_name


def test_a_photo_uploaded_just_after_midnight_on_the_first_is_filed_under_the_new_month(
    monkeypatch,
):
    # 00:30 on 1 December in Vietnam is still 30 November in UTC.
    set_local_clock(monkeypatch, "2026-12-01 00:30")
    assert stored_name(None, "a.jpg").startswith("uploads/2026/12/")
