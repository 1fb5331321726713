"""The site's own middleware: a friendly 503 when the database is away, open data
readable from any site, and the headers and limits every request meets."""

import logging

from django.conf import settings
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


class PermissionsPolicyMiddleware:
    """Deny every browser feature the site does not use, on every response (static
    files too): a script injected into a page, or a page framing ours, gets none of
    them. Django has no setting for this header."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = ", ".join(f"{feature}=()" for feature in settings.PERMISSIONS_POLICY_DENIED)

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.policy)
        return response


class RequestBodyLimitMiddleware:
    """Answer `413 Content Too Large` to a body declared bigger than the path takes,
    before anything reads it. DATA_UPLOAD_MAX_MEMORY_SIZE only counts form fields once
    a form is parsed, and a reader URL's 405 would come after the whole body was read.
    Only the admin takes big bodies (photos). A body without Content-Length (chunked)
    is never read by Django, which reads as many bytes as that header says."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        admin = request.path_info.startswith("/admin/")
        limit = settings.ADMIN_REQUEST_BODY_LIMIT if admin else settings.REQUEST_BODY_LIMIT
        if declared > limit:
            detail = f"The request's body is {declared:,} bytes: at most {limit:,} are taken here."
            if request.path_info.startswith("/api/"):
                from pages.api import problem  # the API's errors are problem details

                response = problem(request, 413, detail)
            else:
                response = HttpResponse(
                    detail + "\n", status=413, content_type="text/plain; charset=utf-8"
                )
            response["Cache-Control"] = "no-store"
            # The rest of the body is never read: the connection cannot carry another request.
            response["Connection"] = "close"
            return response
        return self.get_response(request)


class AcceptEncodingMiddleware:
    """Rewrite `Accept-Encoding` to the codings the client accepts, for WhiteNoise, which
    looks for the name `gzip` or `br` and ignores weights: `gzip;q=0` (RFC 9110 §12.4.2,
    "not acceptable") would get the gzipped file."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        header = request.META.get("HTTP_ACCEPT_ENCODING")
        if header:
            request.META["HTTP_ACCEPT_ENCODING"] = ", ".join(accepted_codings(header))
        return self.get_response(request)


def accepted_codings(header):
    """The codings of an Accept-Encoding value with a weight above 0, in order."""
    codings = []
    for item in header.split(","):
        coding, *parameters = (part.strip() for part in item.split(";"))
        weight = 1.0
        for parameter in parameters:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    weight = float(value.strip())
                except ValueError:
                    weight = 0.0
        if coding and weight > 0:
            codings.append(coding.lower())
    return codings
