import time

from core.ratelimit import retry_when, seconds_left


def test_the_wait_is_until_the_fixed_window_ends(monkeypatch):
    monkeypatch.setattr(time, "time", lambda: 6_000 + 130.5)
    assert seconds_left(600) == 470
    when = retry_when(600)
    assert when["retry_after"] == 470 and when["retry_minutes"] == 8
