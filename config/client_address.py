"""The address a request comes from, for locking out login guesses (django-axes).

Behind proxies that terminate TLS, REMOTE_ADDR is the nearest proxy's, the same for
every visitor: locking it would lock everyone out. Each trusted proxy appends the
address it saw to X-Forwarded-For, so the client is found by walking the header from
the right, one entry per trusted proxy, for as long as the address in hand is one of
TRUSTED_PROXY_ADDRESSES: an entry written by anyone else (a client reaching the app
server directly, or the part of the header the client sent) proves nothing.
"""

from ipaddress import ip_address, ip_network

from django.conf import settings


def is_trusted_proxy(address):
    """Whether `address` is one of TRUSTED_PROXY_ADDRESSES (addresses or networks)."""
    try:
        address = ip_address(address)
    except ValueError:
        return False
    return any(
        address in ip_network(proxy, strict=False) for proxy in settings.TRUSTED_PROXY_ADDRESSES
    )


def client_address(request):
    """The client's address: REMOTE_ADDR, or what the outermost trusted proxy saw."""
    address = request.META.get("REMOTE_ADDR")
    forwarded = [
        entry.strip()
        for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if entry.strip()
    ]
    for _ in range(settings.TRUSTED_PROXIES):
        if not forwarded or not is_trusted_proxy(address):
            break
        address = forwarded.pop()
    return address
