"""Test helpers of core: requests as they reach the application through reverse proxies."""

PROXY_ADDRESS = "10.9.9.9"


def through_proxy(client_address: str, *, forwarded: str = "", proxies: int = 1) -> dict:
    """The request headers (WSGI environ keys) of a request from `client_address` passed on by
    `proxies` reverse proxies, each appending the address that connected to it, as nginx's
    `proxy_add_x_forwarded_for` does. `forwarded` is an X-Forwarded-For the client sent
    itself (a forgery, as far as the site is concerned)."""
    hops = [h for h in [forwarded, client_address] if h]
    for n in range(1, proxies):
        hops.append(f"10.9.9.{n}")  # the inner proxies, each seen by the next one
    return {"REMOTE_ADDR": PROXY_ADDRESS, "HTTP_X_FORWARDED_FOR": ", ".join(hops)}
