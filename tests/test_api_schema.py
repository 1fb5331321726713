"""The API keeps to its own OpenAPI schema, whatever it is asked (schemathesis): no 500,
every answer's status, type and body as documented."""

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import override_settings
from hypothesis import HealthCheck, settings

# schemathesis calls the application as http://localhost, in the test's own thread, over
# plain HTTP (middleware reads its settings once, when the application is made).
AS_SCHEMATHESIS_ASKS = {"ALLOWED_HOSTS": ["localhost"], "SECURE_SSL_REDIRECT": False}

with override_settings(**AS_SCHEMATHESIS_ASKS):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())


@pytest.fixture(autouse=True)
def served_as_localhost(settings):
    for name, value in AS_SCHEMATHESIS_ASKS.items():
        setattr(settings, name, value)


@pytest.fixture(autouse=True)
def connection_kept_between_requests():
    """The test's transaction lives on the connection, so each request must not close it
    at its end, as Django does when serving (and as its own test client also prevents);
    SQLite in memory never closes, PostgreSQL would."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_keeps_to_its_schema(case, every_seat):
    # The WSGI client does not unzip: ask for the plain body (gzip has tests of its own).
    # Every check: a value the schema allows is answered 2xx, or 404 where it names
    # nothing (a party that won no seat), never 422.
    case.call_and_validate(headers={"Accept-Encoding": "identity"})
