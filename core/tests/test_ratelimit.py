from datetime import UTC, datetime, timedelta

import pytest

from core.models import RateCounter
from core.ratelimit import hit, peek, ratelimit_purge


@pytest.mark.django_db
def test_attempts_are_counted_per_identity_up_to_the_limit(settings):
    settings.RATELIMIT_ENABLED = True
    assert [hit("t", "10.0.0.1", limit=3, window=60) for _ in range(4)] == [True, True, True, False]
    assert hit("t", "10.0.0.2", limit=3, window=60)  # another address has its own count
    assert hit("other", "10.0.0.1", limit=3, window=60)  # another scope too
    assert not peek("t", "10.0.0.1", limit=3, window=60)
    assert peek("t", "10.0.0.2", limit=3, window=60)


@pytest.mark.django_db
def test_switched_off_or_anonymous_identities_are_not_limited(settings):
    settings.RATELIMIT_ENABLED = False
    assert all(hit("t", "x", limit=1, window=60) for _ in range(3))
    settings.RATELIMIT_ENABLED = True
    assert all(hit("t", "", limit=1, window=60) for _ in range(3))


@pytest.mark.django_db
def test_ended_windows_are_purged(settings):
    settings.RATELIMIT_ENABLED = True
    hit("t", "a", limit=1, window=60)
    RateCounter.objects.create(
        key="old", count=9, expires_at=datetime.now(tz=UTC) - timedelta(seconds=1)
    )
    assert ratelimit_purge() == 1
    assert list(RateCounter.objects.values_list("key", flat=True)) != ["old"]
