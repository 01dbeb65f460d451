"""Who the client is behind the deployment's reverse proxies.

Each proxy in front of the application appends the address it received the request from to
X-Forwarded-For (nginx: `proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for`, see
deploy/nginx/khaibaof0.conf). With TRUSTED_PROXY_COUNT = N proxies of our own, the N-th
address from the right was written by the outermost of them and is the client; everything
left of it came from the client and may be forged. With N = 0 the header is ignored and the
peer's address (REMOTE_ADDR) is the client.

django-axes calls `client_address` (AXES_CLIENT_IP_CALLABLE) for its lockout, and through it
`audit.services.client_ip` serves the audit trail and the public rate limits: one answer for
all three.
"""

import ipaddress

from django.conf import settings


def client_address(request) -> str | None:
    """The client's IP address as text (`"203.0.113.7"`), or None when the request has none;
    an X-Forwarded-For shorter than TRUSTED_PROXY_COUNT or with an invalid entry at the
    trusted position is not believed, and the peer's address is given instead."""
    remote = request.META.get("REMOTE_ADDR") or None
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if count <= 0:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [hop for hop in hops if hop]
    if len(hops) < count:
        return remote
    candidate = hops[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
