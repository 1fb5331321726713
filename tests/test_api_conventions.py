"""The API keeps the conventions partners know: every parameter and field described,
filters with their allowed values, RFC 9457 problem details for every error, an index,
list endpoints and pages of a size asked for, and one shape for each object."""

import csv

import pytest
from django.utils.text import slugify

from results.models import Region
from tests.conftest import SITE_URL
from tests.national_data import DATA, FILES

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


def library_regions():
    """The Library's twelve regions, as slugs, read from its constituencies file itself."""
    with open(DATA / FILES["constituencies"], encoding="utf-8") as csv_file:
        return sorted({slugify(row["Region name"]) for row in csv.DictReader(csv_file)})


def openapi(client):
    return client.get("/api/v1/openapi.json").json()


def resolved(document, schema):
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def undescribed(document):
    """Where a parameter or a schema's property has no description, or a value (not an
    object) no example, as `where: name`."""
    missing = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                if not parameter.get("description"):
                    missing.append(f"{method.upper()} {path}: parameter {parameter['name']}")
                # OpenAPI names a parameter's examples (a list is JSON Schema's, in `schema`).
                if not isinstance(parameter.get("examples"), dict):
                    missing.append(f"{method.upper()} {path}: example of {parameter['name']}")
    for name, schema in document["components"]["schemas"].items():
        if not schema.get("description"):
            missing.append(f"schema {name}")
        for field, spec in schema.get("properties", {}).items():
            if not spec.get("description"):
                missing.append(f"schema {name}: property {field}")
            if "examples" not in spec and not is_object(spec):
                missing.append(f"schema {name}: example of {field}")
    return missing


def is_object(spec):
    """Whether a property is an object or a list of them, whose own properties have
    examples."""
    options = [spec, spec.get("items", {}), *spec.get("anyOf", [])]
    return any("$ref" in option or "$ref" in option.get("items", {}) for option in options)


def problem(client, address, status, method="get", **params):
    response = getattr(client, method)(address, params)
    assert response.status_code == status, (address, response.content[:200])
    assert response["Content-Type"] == PROBLEM, address
    body = response.json()
    assert body["status"] == status and body["instance"] == address.split("?")[0]
    assert body["type"] == "about:blank" or body["type"].startswith(SITE_URL)
    return body


def test_every_parameter_and_property_is_described(client, db):
    assert undescribed(openapi(client)) == []


def test_the_filters_are_enums_in_the_schema(client, db):
    document = openapi(client)
    parameters = {
        parameter["name"]: resolved(document, parameter["schema"])
        for parameter in document["paths"]["/api/v1/constituencies"]["get"]["parameters"]
    }

    def allowed(name):
        schema = parameters[name]
        options = schema.get("anyOf", [schema])
        return next(resolved(document, option)["enum"] for option in options if "$ref" in option)

    assert allowed("nation") == ["england", "scotland", "wales", "northern-ireland"]
    assert allowed("outcome") == ["gain", "hold", "awaiting"]
    assert allowed("region") == library_regions()
    assert parameters["page_size"]["maximum"] == 650


def test_the_regions_enum_is_the_librarys_twelve(every_seat):
    assert sorted(Region.objects.values_list("slug", flat=True)) == library_regions()


def test_filter_values_are_case_insensitive(client, every_seat):
    lower = client.get("/api/v1/constituencies", {"nation": "wales", "outcome": "gain"}).json()
    upper = client.get("/api/v1/constituencies", {"nation": "Wales", "outcome": "GAIN"}).json()
    assert upper == lower and lower["count"] == 12
    london = client.get("/api/v1/constituencies", {"region": "London", "party": "Reform-UK"})
    assert london.status_code == 200 and london.json()["count"] == 0
    clacton = client.get("/api/v1/constituencies", {"party": "REFORM-UK"}).json()
    assert [seat["slug"] for seat in clacton["results"]][:2] == ["ashfield", "boston-and-skegness"]


def test_an_unknown_filter_value_is_a_422_naming_the_allowed_values(client, every_seat):
    body = problem(client, "/api/v1/constituencies?nation=atlantis", 422)
    assert body["title"] == "Unprocessable Content"
    assert body["errors"] == [
        {
            "in": "query",
            "parameter": "nation",
            "detail": "Input should be 'england', 'scotland', 'wales' or 'northern-ireland'",
        }
    ]
    assert body["detail"] == (
        "nation: Input should be 'england', 'scotland', 'wales' or 'northern-ireland'"
    )


def test_a_party_that_won_no_seat_is_a_404_naming_the_parties_that_did(client, every_seat):
    body = problem(client, "/api/v1/constituencies?party=atlantis", 404)
    assert body["title"] == "Not Found"
    assert body["detail"].startswith(
        "party: 'atlantis' names no party that won a seat or held one in 2019; one of: "
        "alliance-party-of-northern-ireland, conservative, "
    )
    assert ", reform-uk, " in body["detail"]


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


def test_the_index_lists_every_endpoint(client, db):
    response = client.get("/api/v1/")
    assert response.status_code == 200
    index = response.json()
    assert index["openapi"] == f"{SITE_URL}/api/v1/openapi.json"
    assert index["docs"] == f"{SITE_URL}/api/v1/docs"
    assert index["data"] == f"{SITE_URL}/data/"
    assert "Open Parliament Licence v3.0" in index["licence"]
    endpoints = {endpoint["name"]: endpoint["url"] for endpoint in index["endpoints"]}
    assert endpoints["constituencies"] == f"{SITE_URL}/api/v1/constituencies"
    assert endpoints["constituency"] == f"{SITE_URL}/api/v1/constituencies/{{slug}}"
    for name in ["scoreboard", "parties", "party", "regions", "region", "counties", "declarations"]:
        assert name in endpoints


def test_every_party_region_and_county_in_a_list(client, every_seat):
    parties = client.get("/api/v1/parties").json()
    reform = next(party for party in parties if party["party"]["slug"] == "reform-uk")
    detail = client.get("/api/v1/parties/reform-uk").json()
    for figure in ["candidates", "votes", "share", "share_change", "seats", "gained", "lost"]:
        assert reform[figure] == detail[figure], figure
    assert reform["url"] == f"{SITE_URL}/api/v1/parties/reform-uk"
    assert (parties[0]["party"]["slug"], parties[0]["seats"]) == ("labour", 411)

    regions = client.get("/api/v1/regions").json()
    assert [region["slug"] for region in regions] == sorted(
        library_regions(), key=lambda slug: next(r["name"] for r in regions if r["slug"] == slug)
    )
    london = next(region for region in regions if region["slug"] == "london")
    assert (london["name"], london["nation"], london["seats"], london["seats_declared"]) == (
        "London",
        "England",
        75,
        75,
    )
    assert london["url"] == f"{SITE_URL}/api/v1/regions/london"
    assert london["page"] == f"{SITE_URL}/regions/london/"

    counties = client.get("/api/v1/counties").json()
    derbyshire = next(county for county in counties if county["slug"] == "derbyshire")
    assert derbyshire["page"] == f"{SITE_URL}/counties/derbyshire/"
    assert derbyshire["posts"] == f"{SITE_URL}/api/v1/counties/derbyshire/posts"
    assert derbyshire["seats"] == 11


def test_page_size_and_links_to_the_next_page(client, every_seat):
    first = client.get("/api/v1/constituencies", {"nation": "wales", "page_size": 10}).json()
    assert (first["count"], first["pages"], len(first["results"])) == (32, 4, 10)
    assert first["previous"] is None
    assert first["next"] == (f"{SITE_URL}/api/v1/constituencies?nation=wales&page_size=10&page=2")
    last = client.get(first["next"].replace("=2", "=4")).json()
    assert len(last["results"]) == 2 and last["next"] is None
    assert last["previous"] == (
        f"{SITE_URL}/api/v1/constituencies?nation=wales&page_size=10&page=3"
    )
    every = client.get("/api/v1/constituencies", {"page_size": 650}).json()
    assert (every["count"], every["pages"], len(every["results"])) == (650, 1, 650)
    body = problem(client, "/api/v1/constituencies?page_size=651", 422)
    assert body["errors"][0]["parameter"] == "page_size"
    assert body["errors"][0]["detail"] == "Input should be less than or equal to 650"


def test_a_party_has_one_shape_wherever_it_appears(client, every_seat):
    listed = client.get("/api/v1/constituencies", {"region": "east-midlands"}).json()
    kettering = next(seat for seat in listed["results"] if seat["slug"] == "kettering")
    detail = client.get("/api/v1/constituencies/kettering").json()
    assert kettering["gained_from"] == detail["gained_from"]
    assert kettering["gained_from"] == {
        "slug": "conservative",
        "name": "Conservative",
        "short_name": "CON",
        "colour": "#0087DC",
    }


def test_a_failure_is_a_problem_and_is_logged(client, seeded, monkeypatch, caplog):
    def broken(at):
        raise RuntimeError("the scoreboard is broken")

    monkeypatch.setattr("pages.api.fragments.scoreboard_at", broken)
    client.raise_request_exception = False
    body = problem(client, "/api/v1/scoreboard", 500)
    assert body["detail"] == "The API failed to answer; it has been logged."
    assert "the scoreboard is broken" in caplog.text


def test_what_the_schema_allows_is_answered(client, every_seat):
    # schemathesis found these answered 422, though the schema allowed them.
    assert client.get("/api/v1/declarations", {"since": ""}).status_code == 200
    assert len(client.get("/api/v1/declarations", {"since": ""}).json()) == 100
    leap_day = client.get("/api/v1/scoreboard", {"at": "2024-02-29T03:00"}).json()
    assert leap_day["seats_declared"] == 0  # before polls closed: when they closed
    body = problem(client, "/api/v1/scoreboard?at=2023-02-29T03:00", 422)
    assert body["errors"][0]["detail"].startswith("String should match pattern")


def test_a_region_not_yet_imported_is_a_404(client, seeded):
    body = problem(client, "/api/v1/constituencies?region=wales", 404)
    assert body["detail"] == "region: 'wales' is not imported yet; those imported: none."
