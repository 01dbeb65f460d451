"""The address of the client behind the site's own reverse proxies: the one home of it.

Every rate limit, the login lockout (django-axes, through AXES_CLIENT_IP_CALLABLE) and every
audit entry key on `client_address(request)`.

Each proxy appends to X-Forwarded-For the address that connected to it, so with
TRUSTED_PROXY_COUNT = N proxies in front of the application the last N entries were written
by them, and entry -N is the client as the outermost proxy saw it. Anything to its left was
sent by the client and is never used: a client must not choose its own address.
"""

import ipaddress

from django.conf import settings


def _address(value: str | None) -> str | None:
    """`value` as a canonical IP address, without a port; None when it is not one."""
    value = (value or "").strip()
    if value.startswith("[") and "]" in value:  # [2001:db8::1]:443
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # 203.0.113.7:5000
        value = value.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_address(request) -> str | None:
    """The client's IP address as text (e.g. "203.0.113.7"), or None without a request.

    With TRUSTED_PROXY_COUNT = 0, REMOTE_ADDR. With N > 0, the N-th entry from the right of
    X-Forwarded-For; when the header holds fewer than N entries or that entry is not an
    address (the request did not come through every proxy), REMOTE_ADDR again.
    """
    if request is None:
        return None
    remote = _address(request.META.get("REMOTE_ADDR"))
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if count <= 0:
        return remote
    hops = [h for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    if len(hops) < count:
        return remote
    return _address(hops[-count]) or remote
