"""The address a request comes from, for locking out login guesses (django-axes).

Behind proxies that terminate TLS, REMOTE_ADDR is the nearest proxy's, the same for
every visitor: locking it would lock everyone out. Each trusted proxy appends the
address it saw to X-Forwarded-For, so the client is the entry TRUSTED_PROXIES from the
right; entries further left were written by the client and prove nothing.
"""

from django.conf import settings


def client_address(request):
    """The client's address: REMOTE_ADDR, or what the outermost trusted proxy saw."""
    address = request.META.get("REMOTE_ADDR")
    proxies = settings.TRUSTED_PROXIES
    if proxies:
        forwarded = [
            entry.strip()
            for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if entry.strip()
        ]
        if len(forwarded) >= proxies:
            address = forwarded[-proxies]
    return address
