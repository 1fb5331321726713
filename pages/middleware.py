"""When the database is away, readers get a friendly 503 page instead of an error."""

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 10


class DatabaseUnavailableMiddleware:
    """Turn a lost database connection into `503 Service Unavailable`, with Retry-After.

    Django opens a new connection on the next request (CONN_HEALTH_CHECKS), so the site
    recovers by itself when the database returns.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, (OperationalError, InterfaceError)) or not is_connection_lost(
            exception
        ):
            return None
        log.error("database unavailable: %s", exception)
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response


def is_connection_lost(exception):
    """An error of reaching the database, not of a query (a lock or a bad statement)."""
    if isinstance(exception, InterfaceError):
        return True
    text = str(exception).lower()
    return any(
        sign in text
        for sign in (
            "connection",
            "could not connect",
            "server closed",
            "terminating",
            "unable to open database",
            "the database system is",
        )
    ) or isinstance(exception.__cause__, (ConnectionError, OSError))


class OpenDataCorsMiddleware:
    """Let any site's scripts read the open data (the JSON API and the CSV files): they
    are public and read-only, and no credentials go with them."""

    PREFIXES = ("/api/", "/data/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(self.PREFIXES) and request.method in ("GET", "HEAD"):
            response["Access-Control-Allow-Origin"] = "*"
        return response
