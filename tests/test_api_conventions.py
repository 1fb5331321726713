"""The API keeps the conventions partners know: every parameter and field described,
filters with their allowed values, RFC 9457 problem details for every error, an index,
list endpoints and pages of a size asked for, and one shape for each object."""

import pytest

from tests.conftest import SITE_URL

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


def openapi(client):
    return client.get("/api/v1/openapi.json").json()


def resolved(document, schema):
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def problem(client, address, status, method="get", **params):
    response = getattr(client, method)(address, params)
    assert response.status_code == status, (address, response.content[:200])
    assert response["Content-Type"] == PROBLEM, address
    body = response.json()
    assert body["status"] == status and body["instance"] == address.split("?")[0]
    assert body["type"] == "about:blank" or body["type"].startswith(SITE_URL)
    return body


def test_every_error_is_a_problem(client, every_seat):
    assert problem(client, "/api/v1/constituencies/atlantis", 404) == {
        "type": "about:blank",
        "title": "Not Found",
        "status": 404,
        "detail": "No constituency 'atlantis'.",
        "instance": "/api/v1/constituencies/atlantis",
    }
    body = problem(client, "/api/v1/constituencies?page=abc", 422)
    assert body["errors"] == [
        {
            "in": "query",
            "parameter": "page",
            "detail": "Input should be a valid integer, unable to parse string as an integer",
        }
    ]
    body = problem(client, "/api/v1/constituencies?page=99", 404)
    assert body["detail"] == "No page 99: there are 7 pages of 100."
    body = problem(client, "/api/v1/scoreboard?at=2024-02-31T03:00", 422)
    assert body["errors"][0]["parameter"] == "at"


def test_an_unknown_address_under_the_api_is_a_problem_not_a_page(client, db):
    for address in ["/api/v1/nothing", "/api/v1/constituencies/kettering/candidates"]:
        body = problem(client, address, 404)
        assert body["detail"] == "Nothing at this address: the API's index is /api/v1/."


def test_a_method_not_allowed_is_a_problem_with_allow(client, every_seat):
    response = client.post("/api/v1/scoreboard")
    assert response.status_code == 405 and response["Content-Type"] == PROBLEM
    assert response["Allow"] == "GET, HEAD"
    assert response.json()["instance"] == "/api/v1/scoreboard"


def test_the_schema_documents_problems(client, db):
    document = openapi(client)
    answers = document["paths"]["/api/v1/constituencies"]["get"]["responses"]
    assert set(answers) >= {"200", "404", "422"}
    assert list(answers["422"]["content"]) == [PROBLEM]
    assert resolved(document, answers["422"]["content"][PROBLEM]["schema"])["required"] == [
        "type",
        "title",
        "status",
        "detail",
        "instance",
    ]


def test_a_failure_is_a_problem_and_is_logged(client, seeded, monkeypatch, caplog):
    def broken(at):
        raise RuntimeError("the scoreboard is broken")

    monkeypatch.setattr("pages.api.fragments.scoreboard_at", broken)
    client.raise_request_exception = False
    body = problem(client, "/api/v1/scoreboard", 500)
    assert body["detail"] == "The API failed to answer; it has been logged."
    assert "the scoreboard is broken" in caplog.text
