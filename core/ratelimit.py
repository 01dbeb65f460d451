"""Fixed-window counters in the shared cache (the database cache by default, so that every
app server counts together). Used to slow down automated submissions and lookups."""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache


def _key(scope: str, ident: str, window: int) -> str:
    bucket = int(time.time() // window)
    digest = hashlib.sha256(f"{scope}:{ident}".encode()).hexdigest()[:32]
    return f"rl:{scope}:{digest}:{bucket}"


def hit(scope: str, ident: str, *, limit: int, window: int) -> bool:
    """Count one attempt; False when `ident` has used up `limit` attempts in this window."""
    if not getattr(settings, "RATELIMIT_ENABLED", True) or not ident:
        return True
    key = _key(scope, ident, window)
    if cache.add(key, 1, timeout=window + 1):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window + 1)
        return True
    return count <= limit


def peek(scope: str, ident: str, *, limit: int, window: int) -> bool:
    """Whether `ident` still has attempts left, without counting one."""
    if not getattr(settings, "RATELIMIT_ENABLED", True) or not ident:
        return True
    return (cache.get(_key(scope, ident, window)) or 0) < limit
