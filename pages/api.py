"""The JSON API, /api/v1/: every figure on the site, read-only, documented by its OpenAPI
schema (/api/v1/openapi.json) and browsable at /api/v1/docs.

django-ninja: the schemas below are typed (pydantic), and the OpenAPI document and the
validation of each parameter follow from them, so what is documented is what is served.
Figures come from the same query methods as the pages (results.scoreboard, pages.seats,
pages.filters), and each answer is kept by the HTTP cache and purged with the pages
(pages.http_cache): each operation says what it shows as tags, as the pages do. Every
error is problem details (RFC 9457, application/problem+json): 422 naming each
parameter that does not validate, 404 for nothing by that name or at that address, 405
for a method other than GET or HEAD, 500 (logged) if the API fails.
"""

import functools
import json
import logging
from datetime import datetime
from enum import StrEnum
from http import HTTPStatus
from typing import Annotated, Literal

from django.core.paginator import Paginator
from django.core.signals import got_request_exception
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect, QueryDict
from django.shortcuts import get_object_or_404
from django.urls import URLPattern, re_path, reverse
from ninja import Field, NinjaAPI, Path, Query, Schema
from ninja.errors import HttpError, ValidationError
from pydantic import BeforeValidator, create_model

from liveblog.changes import due_posts_release_everywhere
from liveblog.models import LivePage, Post
from pages import fragments, params
from pages import invalidation as tags
from pages.filters import NATIONS, OUTCOMES, parties_with_seats, seats_filtered
from pages.http_cache import reader_page
from pages.parties import GAIN, HOLD, LOSS, SECOND, party_seats
from pages.seats import (
    all_seats,
    kept_parties,
    read_seats,
    seats_of_place,
    tallies_of_seats,
    turnout,
)
from results import arithmetic
from results.links import page_url
from results.models import (
    ChangeAction,
    ChangeCounter,
    ChangeKind,
    ChangeRecord,
    Constituency,
    Party,
    Region,
    Result,
    ResultSource,
)
from results.provenance import provenance_of
from results.scoreboard import headline_parties, standings_from
from results.times import to_the_second

logger = logging.getLogger("django.request")

# A moment: a time of election night (`03:00`), or a date and time in ISO 8601 (UK time
# unless it gives a zone). Empty is the present, as on the pages. The pattern allows
# only real dates and times (no 31 February, 29 February in leap years alone, years
# from 1 as Python's), so that every value it allows names a moment: a partner learns
# from the schema what is valid, and schemathesis holds the API to it.
YEAR = r"(000[1-9]|00[1-9]\d|0[1-9]\d{2}|[1-9]\d{3})"
LEAP_YEAR = r"(\d{2}(0[48]|[2468][048]|[13579][26])|([2468][048]|[13579][26]|0[48])00)"
DATE = (
    rf"({YEAR}-((0[1-9]|1[0-2])-(0[1-9]|1\d|2[0-8])|(0[13-9]|1[0-2])-(29|30)"
    rf"|(0[13578]|1[02])-31)|{LEAP_YEAR}-02-29)"
)
TIME = r"([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,6})?)?"
ZONE = r"(Z|[+-]([01]\d|2[0-3]):[0-5]\d)"
ISO = rf"{DATE}T{TIME}{ZONE}?"
MOMENT = rf"^(([01]?\d|2[0-3]):[0-5]\d|{ISO})?$"
ISO_MOMENT = rf"^({ISO})?$"
At = Annotated[
    str | None,
    Query(
        None,
        pattern=MOMENT,
        description="A moment of the night to replay: a time of election night (`03:00`: "
        "from 22:00 on polling day, the morning after before it), or a date and time in "
        "ISO 8601, UK time unless it names a zone. Before polls closed is when they closed; "
        "from now on is now. Empty: now.",
        examples=["03:00", "2024-07-06T18:00"],
    ),
]
Since = Annotated[
    str | None,
    Query(
        None,
        pattern=ISO_MOMENT,
        description="Declared after this moment, ISO 8601: 2024-07-05T03:00 (empty: no "
        "moment, the latest declarations).",
        examples=["2024-07-05T03:00"],
    ),
]


# What a slug may hold (django.utils.text.slugify's ASCII), or an ONS code. Anything
# else is refused before a query: PostgreSQL takes no NUL in a string.
SLUG = r"^[-_A-Za-z0-9]+$"


def slug_of(what, example):
    """A path parameter naming a `what` by its slug."""
    return Annotated[
        str,
        Path(
            pattern=SLUG,
            description=f"The {what}'s slug, as its page's address has it.",
            examples=[example],
        ),
    ]


SeatSlug = slug_of("constituency", "kettering")
RegionSlug = slug_of("nation's or English region", "london")
PartySlug = slug_of("party", "reform-uk")
CountySlug = slug_of("county", "derbyshire")
PostSince = Annotated[
    int | None,
    Query(
        None,
        description="Only the posts published after this post (its `id`); 404 if it is not "
        "a published post of this county's.",
        examples=[73],
    ),
]

SEATS_PER_PAGE = 100
DECLARATIONS_LIMIT = 100
POSTS_LIMIT = 50
PROBLEM = "application/problem+json"
LICENCE = (
    "The House of Commons Library's figures: Open Parliament Licence v3.0. The site's own "
    "(the live pages, the declaration times it recorded): see /data/."
)


class DocumentedAPI(NinjaAPI):
    """django-ninja, whose OpenAPI document says an error is application/problem+json,
    and gives a parameter's examples as OpenAPI 3.1 asks: by name (pydantic lists them)."""

    def get_openapi_schema(self, **kwargs):
        schema = super().get_openapi_schema(**kwargs)
        for operations in schema["paths"].values():
            for operation in operations.values():
                for status, answer in operation["responses"].items():
                    if int(status) >= 400 and "content" in answer:
                        answer["content"] = {PROBLEM: next(iter(answer["content"].values()))}
                for parameter in operation.get("parameters", []):
                    if isinstance(parameter.get("examples"), list):
                        parameter["examples"] = {
                            str(value): {"value": value} for value in parameter["examples"]
                        }
        return schema


api = DocumentedAPI(
    title="UK general election 2024 results",
    version="1",
    description=(
        "Every figure on the site, read-only: the national scoreboard, every seat with its "
        "candidates, regions, parties, declarations and the live blogs' posts. Figures "
        "from the House of Commons Library (Open Parliament Licence v3.0) and the 2019 "
        "notional results of Rallings & Thrasher. Shares and changes are percentages and "
        "percentage points to two places, rounded half up; times are ISO 8601 in UK time. "
        "Answers are cached, and change with every declaration: see /data/."
    ),
    urls_namespace="api",
)


# Made, not declared: its first field is named `in`, as OpenAPI names where a parameter is.
ParameterError = create_model(
    "ParameterError",
    __base__=Schema,
    __doc__="One parameter that did not validate, in a problem's `errors`.",
    **{
        "in": (
            str,
            Field(description="Where the parameter is: `query` or `path`.", examples=["query"]),
        ),
        "parameter": (str, Field(description="The parameter's name.", examples=["nation"])),
        "detail": (
            str,
            Field(
                description="What was wrong with its value, with the values allowed where "
                "they are few.",
                examples=["Input should be 'england', 'scotland', 'wales' or 'northern-ireland'"],
            ),
        ),
    },
)


class Problem(Schema):
    """An error, as problem details (RFC 9457), served as application/problem+json: every
    error the API answers has this shape."""

    type: str = Field(
        description="A URI naming the kind of problem; `about:blank`: the status says it.",
        examples=["about:blank"],
    )
    title: str = Field(description="The status in words.", examples=["Not Found"])
    status: int = Field(description="The HTTP status code.", examples=[404])
    detail: str = Field(
        description="What went wrong with this request, in words.",
        examples=["No constituency 'atlantis'."],
    )
    instance: str = Field(
        description="The path of the request that failed.",
        examples=["/api/v1/constituencies/atlantis"],
    )
    errors: list[ParameterError] | None = Field(
        None,
        description="For a 422: each parameter that did not validate.",
        examples=[[{"in": "query", "parameter": "page", "detail": "Input should be ..."}]],
    )


# The answers every operation may give besides its own, each a Problem.
PROBLEMS = {404: Problem, 422: Problem, 500: Problem}


def problem(request, status, detail, errors=None):
    """An error as problem details (RFC 9457)."""
    body = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "instance": request.path,
    }
    if errors:
        body["errors"] = errors
    return HttpResponse(json.dumps(body), status=status, content_type=PROBLEM)


@api.exception_handler(ValidationError)
def invalid(request, error):
    """422, naming each parameter and what was wrong: `page: Input should be a valid
    integer`."""
    errors = [
        {
            "in": problem_["loc"][0],
            "parameter": ".".join(str(part) for part in problem_["loc"][1:]),
            "detail": problem_["msg"],
        }
        for problem_ in error.errors
    ]
    detail = "; ".join(f"{each['parameter']}: {each['detail']}" for each in errors)
    return problem(request, 422, detail, errors)


def invalid_parameter(name, error):
    """A 422 for the query parameter `name`, whose value the schema could not refuse."""
    return ValidationError([{"loc": ("query", name), "msg": str(error)}])


@api.exception_handler(HttpError)
def refused(request, error):
    return problem(request, error.status_code, str(error))


@api.exception_handler(Http404)
def not_found(request, error):
    return problem(request, 404, str(error) or "Not found.")


@api.exception_handler(Exception)
def failed(request, error):
    """500, logged and signalled as Django does for any view, but a problem still."""
    got_request_exception.send(sender=None, request=request)
    logger.error(
        "Internal Server Error: %s",
        request.path,
        exc_info=error,
        extra={"status_code": 500, "request": request},
    )
    return problem(request, 500, "The API failed to answer; it has been logged.")


class PartyRef(Schema):
    """A party, wherever one appears: in a seat, a list or the scoreboard."""

    slug: str = Field(
        description="Its slug, as in /api/v1/parties/{slug}; made from its name.",
        examples=["labour"],
    )
    name: str = Field(description="Its name.", examples=["Labour"])
    short_name: str = Field(description="Its abbreviation, as in verdicts.", examples=["LAB"])
    colour: str = Field(description="Its colour on the site, hex RGB.", examples=["#E4003B"])


class SeatsRow(Schema):
    """A line of the scoreboard: a party's seats and their change since 2019."""

    label: str = Field(
        description="The line's label: the party's name, or a group (`Independents`).",
        examples=["Labour"],
    )
    party: PartyRef | None = Field(description="The party, if the line is one party's.")
    seats: int = Field(
        description="Seats won; the Speaker's seat is counted with Labour's.", examples=[412]
    )
    change: int = Field(
        description="Change in seats since 2019 (notional results on the 2024 boundaries).",
        examples=[211],
    )


class PartyVotes(Schema):
    """A party's votes and seats in an area (the country, a region)."""

    party: PartyRef = Field(description="The party.")
    candidates: int = Field(description="Its candidates standing there.", examples=[631])
    votes: int = Field(description="Its votes in the seats declared.", examples=[9708716])
    share: float = Field(
        description="Its share of the valid votes in the seats declared, percent (2 places).",
        examples=[33.7],
    )
    share_change: float | None = Field(
        description="Change in share since 2019 (notional), percentage points; null where "
        "it stood nowhere there in 2019.",
        examples=[1.62],
    )
    seats: int = Field(description="Seats it won.", examples=[411])
    gained: int = Field(description="Of them, seats gained from another party.", examples=[218])
    lost: int = Field(description="Seats it held in 2019 (notional) and lost.", examples=[7])


class Turnout(Schema):
    """Turnout in the seats declared, and its change since 2019 in the same seats."""

    valid_votes: int = Field(description="Valid votes in the seats declared.", examples=[28809340])
    electorate: int = Field(description="Their electorate.", examples=[48253193])
    share: float | None = Field(
        description="Valid votes as a percentage of the electorate; null before any seat "
        "with an electorate declared.",
        examples=[59.7],
    )
    change: float | None = Field(
        description="Change since 2019 (notional, the same seats), percentage points.",
        examples=[-7.61],
    )


class ProjectedSeats(Schema):
    """A party's seats in the projection."""

    party: str = Field(
        description="The party's name, as the projection labels it: a label, not a PartyRef.",
        examples=["Labour"],
    )
    seats: int = Field(description="Its projected seats.", examples=[320])


class ProjectionOut(Schema):
    """The projection of the final seats from those declared, as the home page shows it."""

    method: str = Field(description="How it is projected.", examples=["seat model"])
    seats_declared: int = Field(description="The seats declared it rests on.", examples=[44])
    seats: list[ProjectedSeats] = Field(description="Each party's projected seats, most first.")


class Scoreboard(Schema):
    """The national scoreboard, as the home page shows it."""

    at: datetime | None = Field(
        description="The moment replayed (`at`), UK time; null: now.",
        examples=["2024-07-05T03:00:00+01:00"],
    )
    source: str = Field(
        description="`computed`: from the results declared, which is always what is shown.",
        examples=["computed"],
    )
    headline: str = Field(
        description="The scoreboard in a sentence.",
        examples=["Labour majority of 174: 412 seats against 238 for all other parties."],
    )
    total_seats: int = Field(description="Seats in the House of Commons.", examples=[650])
    seats_for_majority: int = Field(description="Seats needed for a majority.", examples=[326])
    seats_declared: int = Field(description="Seats declared.", examples=[650])
    seats_to_go: int = Field(description="Seats still to declare.", examples=[0])
    seats: list[SeatsRow] = Field(description="Each party's seats, most first.")
    parties: list[PartyVotes] = Field(description="Each party's votes and seats, most seats first.")
    other_votes: int = Field(
        description="Votes of the parties not listed in `parties` (none are left out).",
        examples=[0],
    )
    valid_votes: int = Field(description="Valid votes in the seats declared.", examples=[28809340])
    turnout: Turnout = Field(description="Turnout in the seats declared.")
    projection: ProjectionOut | None = Field(
        description="The projection, where the home page shows one; null otherwise."
    )


class SeatSummary(Schema):
    """A seat in a list (every seat, a region's): a summary of /constituencies/{slug}."""

    slug: str = Field(
        description="Its slug, as in /api/v1/constituencies/{slug}.", examples=["kettering"]
    )
    name: str = Field(description="Its name.", examples=["Kettering"])
    ons_code: str | None = Field(description="Its ONS code.", examples=["E14001311"])
    region: str | None = Field(
        description="The name of its English region or nation.", examples=["East Midlands"]
    )
    nation: str | None = Field(description="The nation it is in.", examples=["England"])
    declared: bool = Field(description="Whether it has declared (by `at`).", examples=[True])
    winner: str | None = Field(
        description="The winner's name; null before it declares.", examples=["Rosie Wrighting"]
    )
    party: PartyRef | None = Field(description="The winner's party; null before it declares.")
    outcome: str | None = Field(
        description="`GAIN` or `HOLD`, against the 2019 notional result; null before it declares.",
        examples=["GAIN"],
    )
    gained_from: PartyRef | None = Field(
        description="The party that held it in 2019 (notionally), for a gain; null otherwise."
    )
    majority: int | None = Field(
        description="Votes between the winner and the runner-up; null before it declares.",
        examples=[3820],
    )
    declared_at: datetime | None = Field(
        description="When it declared, UK time; null before it declares or if unknown.",
        examples=["2024-07-05T06:42:00+01:00"],
    )
    declared_at_approximate: bool = Field(
        ...,
        description="True where the source gives the declaration time only roughly "
        "(Inverness, Skye and West Ross-shire: about 18:00 on 6 July); false before it "
        "declares.",
        examples=[False],
    )


class SeatPage(Schema):
    """A page of seats."""

    count: int = Field(description="Seats chosen by the filters, on every page.", examples=[650])
    page: int = Field(description="This page, from 1.", examples=[1])
    pages: int = Field(description="Pages of `page_size` seats.", examples=[7])
    next: str | None = Field(
        description="The next page's absolute address; null on the last page.",
        examples=["https://results.example/api/v1/constituencies?page_size=100&page=2"],
    )
    previous: str | None = Field(
        description="The previous page's absolute address; null on the first page.",
        examples=[None],
    )
    results: list[SeatSummary] = Field(description="The page's seats, by name.")


class RegisteredPartyOut(Schema):
    """A party on the Electoral Commission's register, as a candidate stood for it."""

    name: str = Field(
        ...,
        description="The party on the Electoral Commission's register that the candidate "
        "stood for, as the House of Commons Library names it",
        examples=["Labour and Co-operative"],
    )
    ec_id: str = Field(
        ..., description="Its Electoral Commission id", examples=["PP53"], pattern=r"^PP\d+$"
    )
    adjunct_ec_id: str | None = Field(
        ...,
        description="For a joint description, the Electoral Commission id of the second "
        "party (the Co-operative Party's); null otherwise",
        examples=["PP119"],
    )


class Candidate(Schema):
    """A candidate in a seat, with their votes."""

    id: int = Field(
        ...,
        description="The candidacy's own id on this site, kept by every import: one person "
        "standing in one seat",
        examples=[2179],
    )
    dc_person_id: int | None = Field(
        ...,
        description="Democracy Club's id of the person (candidates.democracyclub.org.uk/"
        "person/{id}); null where the source gives none (the seed documents)",
        examples=[84777],
    )
    mnis_id: int | None = Field(
        ...,
        description="Parliament's Members' Names Information Service id, for an MP or "
        "former MP; null for others",
        examples=[5331],
    )
    registered_party: RegisteredPartyOut | None = Field(
        ...,
        description="The registered party the candidate stood for, beside `party`, the party "
        "this site counts them with; null for an independent, the Speaker, or a candidate "
        "from the seed documents",
    )
    name: str = Field(description="The candidate's name.", examples=["Rosie Wrighting"])
    party: PartyRef = Field(description="The party they stood for.")
    votes: int = Field(description="Votes; 0 before the seat declares.", examples=[18009])
    share: float = Field(description="Share of the seat's valid votes, percent.", examples=[35.85])
    share_change: float | None = Field(
        description="Change in their party's share since 2019 (notional), percentage points; "
        "null where it did not stand in 2019.",
        examples=[8.94],
    )
    sitting_mp: bool = Field(description="Whether they were the seat's MP.", examples=[False])
    elected: bool = Field(description="Whether they won the seat.", examples=[True])


class Source(Schema):
    """Where a result's figures came from."""

    kind: Literal[tuple(ResultSource.values)] = Field(
        ...,
        description="Where the figures came from: a seed page of the night, the House of "
        "Commons Library's results file, or the results desk, which ranks above both.",
        examples=["national"],
    )
    document: str | None = Field(
        ...,
        description="The file the figures are in; null for the desk's.",
        examples=["HoC-GE2024-results-by-constituency.csv"],
    )
    line: int | None = Field(
        ...,
        description="The line of that file the seat's figures start on (for the Library's "
        "CSV, its row as a spreadsheet numbers it, the header being row 1).",
        examples=[314],
    )
    edition: str | None = Field(
        ...,
        description="The Library's edition of its files.",
        examples=["updated 12 September 2024"],
    )
    entered_by: str | None = Field(
        ..., description="The desk member who last entered the figures.", examples=["dana"]
    )
    entered_at: datetime | None = Field(
        ...,
        description="When the desk member entered them, UK time.",
        examples=["2024-07-05T09:14:07+01:00"],
    )
    note: str | None = Field(
        ...,
        description="Where another source gave a figure otherwise: what it gave, and why "
        "the figure here was chosen.",
        examples=[
            "The seed page gave turnout as 64.30%; the site shows the Library's 63.30% "
            "(valid votes as a share of the electorate)."
        ],
    )


class Seat(Schema):
    """A seat with every candidate and its result's figures."""

    slug: str = Field(description="Its slug.", examples=["kettering"])
    name: str = Field(description="Its name.", examples=["Kettering"])
    ons_code: str | None = Field(description="Its ONS code.", examples=["E14001311"])
    region: str | None = Field(
        description="The name of its English region or nation.", examples=["East Midlands"]
    )
    nation: str | None = Field(description="The nation it is in.", examples=["England"])
    county: str | None = Field(
        description="The county whose live page covers it, if one does.",
        examples=["Northamptonshire"],
    )
    held_2019: PartyRef | None = Field(
        description="The party that won it in 2019, notionally on the 2024 boundaries."
    )
    declared: bool = Field(description="Whether it has declared.", examples=[True])
    verdict: str | None = Field(
        description="The result in short: winner's party, gain or hold, and from whom.",
        examples=["LAB GAIN FROM CON"],
    )
    outcome: str | None = Field(
        description="`GAIN` or `HOLD`, against the 2019 notional result.", examples=["GAIN"]
    )
    gained_from: PartyRef | None = Field(description="For a gain, the party that held it in 2019.")
    winner: str | None = Field(description="The winner's name.", examples=["Rosie Wrighting"])
    majority: int | None = Field(
        description="Votes between the winner and the runner-up.", examples=[3820]
    )
    majority_share: float | None = Field(
        description="The majority as a percentage of the valid votes.", examples=[7.6]
    )
    electorate: int | None = Field(description="Its electorate.", examples=[79360])
    valid_votes: int | None = Field(description="Valid votes cast.", examples=[50231])
    invalid_votes: int | None = Field(description="Ballots rejected.", examples=[152])
    turnout: float | None = Field(
        description="Valid votes as a percentage of the electorate.", examples=[63.3]
    )
    turnout_change: float | None = Field(
        description="Change in turnout since 2019 (notional), percentage points.",
        examples=[-5.03],
    )
    swing: float | None = Field(
        description="Butler swing from the runner-up to the winner since 2019, percentage "
        "points; null where the Speaker is among them.",
        examples=[20.49],
    )
    declared_at: datetime | None = Field(
        description="When it declared, UK time.", examples=["2024-07-05T06:42:00+01:00"]
    )
    corrected_at: datetime | None = Field(
        description="When its result was last corrected, UK time; null if never.",
        examples=[None],
    )
    candidates: list[Candidate] = Field(description="Every candidate, most votes first.")
    declared_at_approximate: bool | None = Field(
        ...,
        description="True where the source gives the declaration time only roughly "
        "(Inverness, Skye and West Ross-shire: about 18:00 on 6 July); null awaiting.",
        examples=[False],
    )
    source: Source | None = Field(
        ..., description="Where the result's figures came from; null awaiting its declaration."
    )


class RegionFigures(Schema):
    """A nation or English region: its parties' votes and seats, and its seats."""

    slug: str = Field(description="Its slug.", examples=["london"])
    name: str = Field(description="Its name.", examples=["London"])
    nation: str = Field(description="The nation it is in, or is.", examples=["England"])
    seats: int = Field(description="Its seats.", examples=[75])
    seats_declared: int = Field(description="Those declared (by `at`).", examples=[75])
    parties: list[PartyVotes] = Field(description="Each party's votes and seats there.")
    valid_votes: int = Field(description="Valid votes in its seats declared.", examples=[3333982])
    turnout: Turnout = Field(description="Turnout in its seats declared.")
    constituencies: list[SeatSummary] = Field(description="Its seats, by name.")


class PartyFigures(Schema):
    """A party's night: its figures, and the seats it gained, lost, held and came second in."""

    party: PartyRef = Field(description="The party.")
    candidates: int = Field(description="Its candidates.", examples=[609])
    votes: int = Field(description="Its votes in the seats declared.", examples=[4117610])
    share: float | None = Field(
        description="Its share of the valid votes, percent; null if it stood nowhere.",
        examples=[14.29],
    )
    share_change: float | None = Field(
        description="Change in share since 2019 (notional), percentage points.", examples=[12.28]
    )
    seats: int = Field(description="Seats won.", examples=[5])
    gained: int = Field(description="Seats gained.", examples=[5])
    lost: int = Field(description="Seats held in 2019 (notional) and lost.", examples=[0])
    second_places: int = Field(description="Seats where it came second.", examples=[98])
    gains: list[str] = Field(
        description="The slugs of the seats it gained.", examples=[["clacton"]]
    )
    losses: list[str] = Field(description="The slugs of the seats it lost.", examples=[[]])
    holds: list[str] = Field(description="The slugs of the seats it held.", examples=[[]])
    seconds: list[str] = Field(
        description="The slugs of the seats where it came second.", examples=[["aberafan-maesteg"]]
    )
    registered_parties: list[RegisteredPartyOut] = Field(
        ...,
        description="The registered parties its candidates stood for, most candidacies "
        "first (the Green Party: Green, Scottish Green Party, Green Party Northern Ireland); "
        "empty for independents, and where no source gives Electoral Commission ids",
    )


class PostOut(Schema):
    """A published post of a county's live page."""

    id: int = Field(description="Its id: `since` for newer posts.", examples=[73])
    url: str = Field(
        description="Its page on the site.", examples=["/counties/derbyshire/posts/73/"]
    )
    title: str = Field(description="Its title.", examples=["Counting under way"])
    published_at: datetime = Field(
        description="When it was published, UK time.", examples=["2024-07-05T01:03:00+01:00"]
    )
    edited_at: datetime | None = Field(
        description="When it was last edited, UK time; null if never.", examples=[None]
    )
    corrected_at: datetime | None = Field(
        description="When it was corrected (taken down, changed and shown again), UK time; "
        "null if never.",
        examples=[None],
    )
    breaking: bool = Field(description="Whether it is breaking news.", examples=[False])
    pinned: bool = Field(description="Whether it is pinned at the top.", examples=[False])
    byline: str = Field(description="Who wrote it.", examples=["Owen Bradley"])
    text: str = Field(description="Its text, plain.", examples=["Turnout looks high here."])
    constituencies: list[str] = Field(
        description="The slugs of the seats it is about.", examples=[["south-derbyshire"]]
    )


class Declared(Schema):
    """A declaration, in the list of them."""

    constituency: str = Field(description="The seat's slug.", examples=["kettering"])
    name: str = Field(description="The seat's name.", examples=["Kettering"])
    verdict: str = Field(description="The result in short.", examples=["LAB GAIN FROM CON"])
    winner: str = Field(description="The winner's name.", examples=["Rosie Wrighting"])
    party: PartyRef = Field(description="The winner's party.")
    majority: int = Field(description="The winner's majority, votes.", examples=[3820])
    declared_at: datetime | None = Field(
        description="When it declared, UK time; null if unknown.",
        examples=["2024-07-05T06:42:00+01:00"],
    )
    declared_at_approximate: bool = Field(
        ...,
        description="True where the source gives the declaration time only roughly "
        "(Inverness, Skye and West Ross-shire: about 18:00 on 6 July).",
        examples=[False],
    )
    corrected_at: datetime | None = Field(
        description="When it was last corrected, UK time; null if never.", examples=[None]
    )


def party_ref(party):
    if party is None:
        return None
    return {
        "slug": party.slug,
        "name": party.name,
        "short_name": party.short_name,
        "colour": party.colour,
    }


def registered_party_out(registered):
    return {
        "name": registered.name,
        "ec_id": registered.ec_id,
        "adjunct_ec_id": registered.adjunct_ec_id or None,
    }


def number(value):
    return None if value is None else float(value)


def party_votes(row):
    return {
        "party": party_ref(row.party),
        "candidates": row.candidates,
        "votes": row.votes,
        "share": float(row.share),
        "share_change": number(row.share_change),
        "seats": row.seats,
        "gained": row.gained,
        "lost": row.lost,
    }


def turnout_figures(figures):
    return {
        "valid_votes": figures.valid_votes,
        "electorate": figures.electorate,
        "share": float(arithmetic.percentage(figures.valid_votes, figures.electorate))
        if figures.electorate
        else None,
        "change": number(
            arithmetic.change_in_share(
                figures.valid_votes,
                figures.electorate,
                figures.notional_valid_votes,
                figures.notional_electorate,
            )
        ),
    }


def uk_time(value):
    """A moment in UK time, to the second, as the pages show it."""
    return None if value is None else to_the_second(value)


def moment(value):
    """`?at=` as the pages read it: clamped to the night and to the present."""
    try:
        return params.parse_at(value) if value else None
    except ValueError as error:
        raise invalid_parameter("at", error) from error


def seat_summary(seat):
    """A seat from pages.seats.all_seats."""
    return {
        "slug": seat.slug,
        "name": seat.name,
        "ons_code": seat.ons_code or None,
        "region": seat.region_name or None,
        "nation": seat.nation or None,
        "declared": seat.declared,
        "winner": seat.winner or None,
        "party": {
            "slug": seat.party_slug,
            "name": seat.party,
            "short_name": seat.party_short_name,
            "colour": seat.colour,
        }
        if seat.declared
        else None,
        "outcome": seat.outcome or None,
        "gained_from": {
            "slug": seat.gained_from_slug,
            "name": seat.gained_from,
            "short_name": seat.gained_from_short_name,
            "colour": seat.gained_from_colour,
        }
        if seat.gained_from_slug
        else None,
        "majority": seat.majority if seat.declared else None,
        "declared_at": uk_time(seat.declared_at),
        "declared_at_approximate": seat.declared and seat.declared_at_approximate,
    }


class Endpoint(Schema):
    """One operation of the API, in the index."""

    name: str = Field(description="The operation's name.", examples=["constituency"])
    url: str = Field(
        description="Its absolute address, `{slug}` standing for a path parameter.",
        examples=["https://results.example/api/v1/constituencies/{slug}"],
    )
    summary: str = Field(
        description="What it answers, in a line.",
        examples=[
            "A seat with every candidate, its result and figures, or its candidates awaiting."
        ],
    )


class Index(Schema):
    """What the API offers, and where it is documented."""

    title: str = Field(description="The API's name.", examples=["UK general election 2024 results"])
    endpoints: list[Endpoint] = Field(description="Every operation, in the schema's order.")
    openapi: str = Field(
        description="The OpenAPI 3.1 document.",
        examples=["https://results.example/api/v1/openapi.json"],
    )
    docs: str = Field(
        description="The same, to read and try in a browser.",
        examples=["https://results.example/api/v1/docs"],
    )
    data: str = Field(
        description="The page for data users: the CSV downloads, their columns and the licence.",
        examples=["https://results.example/data/"],
    )
    licence: str = Field(
        description="Under what terms the figures may be used.", examples=[LICENCE]
    )


@api.get("/", response={200: Index, **PROBLEMS}, url_name="index")
def index(request):
    """What the API offers: every operation's address, the documentation and licence."""
    document = api.get_openapi_schema()
    site = request.build_absolute_uri("/").removesuffix("/")  # which would quote `{slug}`
    return {
        "title": api.title,
        "endpoints": [
            {
                "name": operation["operationId"].removeprefix(OPERATION_PREFIX),
                "url": f"{site}{path}",
                "summary": " ".join(operation.get("description", "").split()),
            }
            for path, operations in document["paths"].items()
            for operation in operations.values()
            if operation["operationId"] != f"{OPERATION_PREFIX}index"
        ],
        "openapi": request.build_absolute_uri(reverse("api:openapi-json")),
        "docs": request.build_absolute_uri(reverse("api:openapi-view")),
        "data": request.build_absolute_uri(reverse("pages:data")),
        "licence": LICENCE,
    }


OPERATION_PREFIX = f"{__name__.replace('.', '_')}_"


@api.get("/scoreboard", response={200: Scoreboard, **PROBLEMS}, url_name="scoreboard")
def scoreboard(request, at: At = None):
    """The national scoreboard, now or (`at`) as it stood at a moment of the night."""
    at = moment(at)
    headline = fragments.scoreboard_at(at)
    if headline is None:
        raise HttpError(404, "No election.")
    standings, votes = fragments.standings_at(at)
    parties, others = headline_parties(standings, votes, threshold=0)
    return {
        "at": uk_time(at),
        "source": headline.source,
        "headline": headline.headline,
        "total_seats": headline.total_seats,
        "seats_for_majority": headline.seats_for_majority,
        "seats_declared": headline.seats_declared,
        "seats_to_go": headline.seats_to_go,
        "seats": [
            {
                "label": row.label,
                "party": party_ref(row.party),
                "seats": row.seats,
                "change": row.change,
            }
            for row in headline.rows
        ],
        "parties": [party_votes(row) for row in parties],
        "other_votes": others.votes if others else 0,
        "valid_votes": votes,
        "turnout": turnout_figures(turnout(all_seats(at))),
        "projection": projection_out(fragments.projected_at(at)),
    }


def projection_out(projected):
    """The projection as the home page shows it, or None where the page shows none."""
    if projected is None or not projected.is_shown:
        return None
    return {
        "method": projected.projection.method.label,
        "seats_declared": projected.projection.declared,
        "seats": [{"party": name, "seats": seats} for name, seats in projected.rows],
    }


def choices(name, slugs, description):
    """An enum of `slugs` for the OpenAPI schema, whose description names what they are."""
    chosen = StrEnum(name, {slug.upper().replace("-", "_"): slug for slug in slugs})
    chosen.__doc__ = description
    return chosen


def lowercase(value):
    return value.lower() if isinstance(value, str) else value


# Filters are case-insensitive (`Wales` is `wales`): what the pages' slugs are.
AnyCase = BeforeValidator(lowercase)
Nation = choices("Nation", NATIONS, "A nation of the UK, by its slug.")
Outcome = choices(
    "Outcome",
    OUTCOMES,
    "Declared and a gain from the party that held the seat in 2019 (notionally), declared "
    "and a hold, or awaiting its declaration.",
)
# The House of Commons Library's 12 regions: England's nine and the other three nations,
# fixed by the ONS for this election. The schema is built once, so they are listed
# here rather than read; tests check the list against the Library's file.
Regions = choices(
    "Regions",
    [
        "east-midlands",
        "east-of-england",
        "london",
        "north-east",
        "north-west",
        "northern-ireland",
        "scotland",
        "south-east",
        "south-west",
        "wales",
        "west-midlands",
        "yorkshire-and-the-humber",
    ],
    "An English region or one of the other three nations, by its slug.",
)
# A party is not an enum: parties are the database's, and the schema is built once.
# A slug that names no party that won or held a seat is answered 404, naming those that
# did, as an address naming nothing is.
PARTY_SLUG = r"^[-A-Za-z0-9]{1,120}$"
# Every seat of the House in one answer at most: every page reads the whole list of
# seats (kept: pages.seats.all_seats), so a larger page costs its JSON alone (about
# 250 kB for 650), and no partner has to page through the country.
PAGE_SIZE_LIMIT = 650


class SeatFilters(Schema):
    """The filters of every seat, and its pages."""

    nation: Annotated[Nation | None, AnyCase] = Field(
        None, description="Seats in this nation (case-insensitive).", examples=["wales"]
    )
    region: Annotated[Regions | None, AnyCase] = Field(
        None,
        description="Seats in this English region or nation (case-insensitive).",
        examples=["east-midlands"],
    )
    party: Annotated[str | None, AnyCase] = Field(
        None,
        pattern=PARTY_SLUG,
        description="Seats won by this party, by its slug (case-insensitive); its former "
        "slug still names it. 404 for a party that won no seat and held none in 2019.",
        examples=["labour"],
    )
    held: Annotated[str | None, AnyCase] = Field(
        None,
        pattern=PARTY_SLUG,
        description="Seats this party held in 2019 (notionally), by its slug "
        "(case-insensitive). 404 for a party that won no seat and held none in 2019.",
        examples=["conservative"],
    )
    outcome: Annotated[Outcome | None, AnyCase] = Field(
        None, description="Gains, holds, or seats awaiting (case-insensitive).", examples=["gain"]
    )
    ons_code: str | None = Field(
        None,
        pattern=r"^[A-Za-z]\d{8}$",
        description="The seat with this ONS code (2024 boundaries), case forgiven: a code "
        "that is no seat's gives an empty list",
        examples=["E14001311"],
    )
    page_size: int = Field(
        SEATS_PER_PAGE,
        ge=1,
        le=PAGE_SIZE_LIMIT,
        description=f"Seats to a page, at most {PAGE_SIZE_LIMIT}: every seat in one.",
        examples=[SEATS_PER_PAGE],
    )
    page: int = Field(
        1, ge=1, description="The page, from 1; past the last page is a 404.", examples=[2]
    )


@api.get(
    "/constituencies",
    response={200: SeatPage, **PROBLEMS},
    url_name="constituencies",
)
def constituencies(request, filters: Query[SeatFilters]):
    """Every seat, filtered as the table of every seat is, 100 to a page (`page_size`),
    by name, with the addresses of the next and previous pages."""
    chosen = QueryDict(mutable=True)
    chosen.update(
        {
            name: value
            for name, value in filters.dict().items()
            if name in SEAT_FILTERS and value is not None
        }
    )
    filterset = seats_filtered(chosen, Constituency.objects.all())
    if not filterset.is_valid():
        name = next(iter(filterset.errors))
        raise HttpError(404, names_nothing(name, chosen[name]))
    chosen_seats = filterset.qs
    if filters.ons_code is not None:
        chosen_seats = chosen_seats.filter(ons_code__iexact=filters.ons_code)
    slugs = set(chosen_seats.values_list("slug", flat=True))
    seats = [seat for seat in all_seats() if seat.slug in slugs]
    paginator = Paginator(seats, filters.page_size)
    if filters.page > paginator.num_pages:
        raise HttpError(
            404,
            f"No page {filters.page}: there are {paginator.num_pages} pages "
            f"of {filters.page_size}.",
        )
    page = paginator.page(filters.page)
    return {
        "count": paginator.count,
        "page": filters.page,
        "pages": paginator.num_pages,
        "next": page_address(request, chosen, filters, page.next_page_number())
        if page.has_next()
        else None,
        "previous": page_address(request, chosen, filters, page.previous_page_number())
        if page.has_previous()
        else None,
        "results": [seat_summary(seat) for seat in page],
    }


SEAT_FILTERS = ("nation", "region", "party", "held", "outcome")


def names_nothing(name, value):
    """Why a filter's value, of the right shape, chose nothing: what it may be instead."""
    value = str(value)  # an enum's member: its value
    if name == "region":  # one of the Library's twelve, before the Library's file is
        imported = ", ".join(Region.objects.values_list("slug", flat=True)) or "none"
        return f"region: {value!r} is not imported yet; those imported: {imported}."
    allowed = parties_with_seats().order_by("slug").values_list("slug", flat=True)
    return (
        f"{name}: {value!r} names no party that won a seat or held one in 2019; "
        f"one of: {', '.join(allowed)}."
    )


def page_address(request, chosen, filters, number):
    """The absolute address of page `number` of the same seats, as big."""
    query = chosen.copy()
    query["page_size"] = filters.page_size
    query["page"] = number
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


@api.get(
    "/constituencies/{slug}",
    response={200: Seat, **PROBLEMS},
    url_name="constituency",
)
def constituency(request, slug: SeatSlug):
    """A seat with every candidate, its result and figures, or its candidates awaiting.
    By its ONS code (E14001311), a permanent redirect to its address."""
    seat = Constituency.objects.select_related("region", "notional_winner").detail(
        slug, parties=kept_parties()
    )
    if seat is None:
        return seat_by_ons_code(slug)
    candidacies = seat.candidates
    result = getattr(seat, "result", None)
    declared = result is not None
    return {
        "slug": seat.slug,
        "name": seat.name,
        "ons_code": seat.ons_code,
        "region": seat.region.name if seat.region else None,
        "nation": seat.region.nation if seat.region else None,
        "county": seat.county.name if seat.county else None,
        "held_2019": party_ref(seat.notional_winner),
        "declared": declared,
        "verdict": result.verdict if declared else None,
        "outcome": result.outcome if declared else None,
        "gained_from": party_ref(result.gained_from) if declared else None,
        "winner": result.winner.name if declared else None,
        "majority": result.majority if declared else None,
        "majority_share": number(
            arithmetic.percentage(result.majority, result.valid_votes)
            if declared and result.valid_votes
            else None
        ),
        "electorate": result.electorate if declared else None,
        "valid_votes": result.valid_votes if declared else None,
        "invalid_votes": result.invalid_votes if declared else None,
        "turnout": number(result.turnout) if declared else None,
        "turnout_change": number(
            arithmetic.change_in_share(
                result.valid_votes,
                result.electorate,
                seat.notional_valid_votes,
                seat.notional_electorate,
            )
            if declared and result.valid_votes
            else None
        ),
        "swing": number(
            arithmetic.swing(
                candidacies[0].share_change,
                candidacies[1].share_change,
                speaker_stands=Party.speaker_stands(
                    *(candidacy.party.slug for candidacy in candidacies[:2])
                ),
            )
            if declared and len(candidacies) > 1
            else None
        ),
        "declared_at": uk_time(result.declared_at) if declared else None,
        "corrected_at": uk_time(result.corrected_at) if declared else None,
        "candidates": [
            {
                "id": candidacy.pk,
                "dc_person_id": candidacy.dc_person_id,
                "mnis_id": candidacy.mnis_id,
                "registered_party": registered_party_out(candidacy.registered_party)
                if candidacy.registered_party
                else None,
                "name": candidacy.name,
                "party": party_ref(candidacy.party),
                "votes": candidacy.votes,
                "share": float(candidacy.share),
                "share_change": number(candidacy.share_change),
                "sitting_mp": candidacy.sitting_mp,
                "elected": declared and candidacy.pk == result.winner_id,
            }
            for candidacy in candidacies
        ],
        "declared_at_approximate": result.declared_at_approximate if declared else None,
        "source": source_out(seat, result) if declared else None,
    }


def source_out(seat, result):
    """A result's source (results.provenance), absent parts null."""
    provenance = provenance_of(
        result, entered_by=seat.result_changed_by, entered_at=seat.result_changed_at
    )
    return {
        "kind": provenance.kind,
        "document": provenance.document or None,
        "line": provenance.line,
        "edition": provenance.edition or None,
        "entered_by": provenance.entered_by or None,
        "entered_at": uk_time(provenance.entered_at),
        "note": provenance.note(shows="the site shows") or None,
    }


def seat_by_ons_code(code):
    """A permanent redirect from a seat's ONS code to its address, or 404. Not the seat
    itself: one address per seat is what the HTTP caches keep and purge (by its slug)."""
    seat = Constituency.objects.filter(ons_code__iexact=code).only("slug").first()
    if seat is None:
        raise Http404(f"No constituency {code!r}.")
    return HttpResponsePermanentRedirect(reverse("api:constituency", kwargs={"slug": seat.slug}))


@api.get("/regions/{slug}", response={200: RegionFigures, **PROBLEMS}, url_name="region")
def region(request, slug: RegionSlug, at: At = None):
    """A nation or English region: its parties' seats and votes and its seats, now or
    (`at`) as they stood at a moment of the night."""
    area = get_object_or_404(Region, slug=slug)
    at = moment(at)
    seats = seats_of_place("region", area.slug, at)
    standings, votes = standings_from(tallies_of_seats(seats, at))
    return {
        "slug": area.slug,
        "name": area.name,
        "nation": area.nation,
        "seats": len(seats),
        "seats_declared": sum(1 for seat in seats if seat.declared),
        "parties": [party_votes(row) for row in standings],
        "valid_votes": votes,
        "turnout": turnout_figures(turnout(seats)),
        "constituencies": [seat_summary(seat) for seat in seats],
    }


@api.get("/parties/{slug}", response={200: PartyFigures, **PROBLEMS}, url_name="party")
def party(request, slug: PartySlug):
    """A party: its candidates, votes, share and seats, and the seats it gained, lost,
    held and came second in (their slugs)."""
    chosen = Party.objects.filter(slug=slug).first()
    if chosen is None:
        # Its former address (`green`): for good to the one made from its name.
        renamed = get_object_or_404(Party, former_slug=slug)
        return HttpResponsePermanentRedirect(reverse("api:party", kwargs={"slug": renamed.slug}))
    standings, _ = fragments.kept_standings()
    standing = next((row for row in standings if row.party.pk == chosen.pk), None)
    seats = party_seats(chosen, all_seats(None))
    kinds = {
        kind: [found.seat.slug for found in seats if found.kind == kind]
        for kind in (GAIN, LOSS, HOLD, SECOND)
    }
    return {
        "party": party_ref(chosen),
        "candidates": standing.candidates if standing else 0,
        "votes": standing.votes if standing else 0,
        "share": float(standing.share) if standing else None,
        "share_change": number(standing.share_change) if standing else None,
        "seats": len(kinds[GAIN]) + len(kinds[HOLD]),
        "gained": len(kinds[GAIN]),
        "lost": len(kinds[LOSS]),
        "second_places": len(kinds[SECOND]),
        "gains": kinds[GAIN],
        "losses": kinds[LOSS],
        "holds": kinds[HOLD],
        "seconds": kinds[SECOND],
        "registered_parties": [registered_party_out(each) for each in chosen.stood_as()],
    }


class PartySummary(PartyVotes):
    """A party's night in a list of every party: its figures as /parties/{slug} gives
    them, without the lists of seats."""

    url: str = Field(
        description="Its figures and seats in the API.",
        examples=["https://results.example/api/v1/parties/labour"],
    )
    page: str = Field(
        description="Its page on the site.", examples=["https://results.example/parties/labour/"]
    )
    registered_parties: list[RegisteredPartyOut] = Field(
        ...,
        description="The registered parties its candidates stood for, most candidacies "
        "first, as /parties/{slug} gives them; empty for independents, and where no "
        "source gives Electoral Commission ids",
    )


EcId = Annotated[
    str | None,
    Query(
        None,
        pattern=r"^[Pp][Pp]\d+$",
        description="Only the party whose candidates stood for the registered party with "
        "this Electoral Commission id (case-insensitive): PP130, the Scottish Green Party, "
        "gives the Green Party. An id no candidate stood for gives an empty list (an "
        "adjunct id, PP119, names no party of its own).",
        examples=["PP130"],
    ),
]


@api.get("/parties", response={200: list[PartySummary], **PROBLEMS}, url_name="parties")
def parties(request, ec_id: EcId = None):
    """Every party that stood, most seats first, with its votes, share and seats and the
    registered parties its candidates stood for: the figures of /parties/{slug} without
    its lists of seats; or (`ec_id`) the party of an Electoral Commission id."""
    standings, _ = fragments.kept_standings()
    if ec_id is not None:
        chosen = Party.objects.with_ec_id(ec_id)
        standings = [row for row in standings if chosen and row.party.pk == chosen.pk]
    registered = Party.objects.registered_parties()
    return [
        {
            **party_votes(row),
            "url": request.build_absolute_uri(
                reverse("api:party", kwargs={"slug": row.party.slug})
            ),
            "page": request.build_absolute_uri(row.party.get_absolute_url()),
            "registered_parties": [
                registered_party_out(each) for each in registered.get(row.party.pk, [])
            ],
        }
        for row in standings
    ]


class PlaceSummary(Schema):
    """A region or a county in a list: its seats and how many have declared."""

    slug: str = Field(description="Its slug, as in its addresses.", examples=["london"])
    name: str = Field(description="Its name.", examples=["London"])
    seats: int = Field(description="Its seats.", examples=[75])
    seats_declared: int = Field(description="Those of its seats declared.", examples=[75])
    page: str = Field(
        description="Its page on the site (a county's: its live page).",
        examples=["https://results.example/regions/london/"],
    )


class RegionSummary(PlaceSummary):
    """A nation or English region in the list of them: a summary of /regions/{slug}."""

    nation: str = Field(description="The nation it is in, or is.", examples=["England"])
    url: str = Field(
        description="Its figures in the API.",
        examples=["https://results.example/api/v1/regions/london"],
    )


class CountySummary(PlaceSummary):
    """A county, whose live page follows its seats through the night."""

    posts: str = Field(
        description="Its live page's posts in the API.",
        examples=["https://results.example/api/v1/counties/derbyshire/posts"],
    )


def places(request, kind):
    """Each region or county (`kind`) of every seat now, by name: (its seats, what every
    list of places says of it)."""
    by_slug = {}
    for seat in all_seats():
        if slug := getattr(seat, f"{kind}_slug"):
            by_slug.setdefault(slug, []).append(seat)
    named = sorted(by_slug.items(), key=lambda item: getattr(item[1][0], f"{kind}_name"))
    return [
        (
            seats,
            {
                "slug": slug,
                "name": getattr(seats[0], f"{kind}_name"),
                "seats": len(seats),
                "seats_declared": sum(1 for seat in seats if seat.declared),
                "page": request.build_absolute_uri(page_url(f"pages:{kind}-detail", slug=slug)),
            },
        )
        for slug, seats in named
    ]


@api.get("/regions", response={200: list[RegionSummary], **PROBLEMS}, url_name="regions")
def regions(request):
    """Every nation and English region, by name, with its seats and those declared."""
    return [
        {
            **place,
            "nation": seats[0].nation,
            "url": request.build_absolute_uri(
                reverse("api:region", kwargs={"slug": place["slug"]})
            ),
        }
        for seats, place in places(request, "region")
    ]


@api.get("/counties", response={200: list[CountySummary], **PROBLEMS}, url_name="counties")
def counties(request):
    """Every county with seats, by name, with its seats and those declared, and the
    addresses of its live page and its posts."""
    return [
        {
            **place,
            "posts": request.build_absolute_uri(
                reverse("api:county-posts", kwargs={"slug": place["slug"]})
            ),
        }
        for _, place in places(request, "county")
    ]


@api.get(
    "/counties/{slug}/posts",
    response={200: list[PostOut], **PROBLEMS},
    url_name="county-posts",
)
def county_posts(request, slug: CountySlug, since: PostSince = None):
    """A county's live blog: published posts, newest first (at most 50), or those
    published after the post `since`. Drafts and scheduled posts are never here."""
    live_page = get_object_or_404(LivePage.objects.select_related("county"), county__slug=slug)
    posts = live_page.posts.newest_first().with_body().select_related("live_page__county")
    if since is not None:
        after = Post.objects.published().filter(live_page=live_page, pk=since).first()
        if after is None:
            raise HttpError(404, "No such post on this live page.")
        posts = posts.newer_than(after)
    return [post_out(post) for post in posts[:POSTS_LIMIT]]


def post_out(post):
    from pages.templatetags.liveblog_tags import post_text

    return {
        "id": post.pk,
        "url": post.get_absolute_url(),
        "title": post.title,
        "published_at": uk_time(post.published_at),
        "edited_at": uk_time(post.edited_at),
        "corrected_at": uk_time(post.corrected_at),
        "breaking": post.breaking,
        "pinned": post.pinned,
        "byline": post.byline_name,
        "text": post_text(post),
        "constituencies": [link.constituency.slug for link in post.constituency_links.all()],
    }


@api.get("/declarations", response={200: list[Declared], **PROBLEMS}, url_name="declarations")
def declarations(request, since: Since = None):
    """The latest declarations: declared results, newest first (at most 100), or those
    declared after `since`, by their declaration time. A list of the latest, not a feed:
    a result corrected, or the 101st declared since, is not here. To hear of every
    change, poll /api/v1/changes."""
    results = Result.objects.latest_first()
    if since:  # empty: no `since`, as absent
        try:
            results = results.filter(declared_at__gt=params.parse_moment(since))
        except ValueError as error:
            raise invalid_parameter("since", error) from error
    return [
        {
            "constituency": result.constituency.slug,
            "name": result.constituency.name,
            "verdict": result.verdict,
            "winner": result.winner.name,
            "party": party_ref(result.winner.party),
            "majority": result.majority,
            "declared_at": uk_time(result.declared_at),
            "declared_at_approximate": result.declared_at_approximate,
            "corrected_at": uk_time(result.corrected_at),
        }
        for result in results[:DECLARATIONS_LIMIT]
    ]


CHANGES_PAGE_SIZE = 100
CHANGES_MOST = 1000


class ChangeOut(Schema):
    """One change of the changes feed, with the object it changed as it is now."""

    number: int = Field(
        ...,
        description="The change's number: changes are numbered in the order they were "
        "made, and a poller asks for those after the last number it saw (`next`).",
        examples=[1042],
    )
    # The choices of the model's fields, as an enum of the schema.
    type: Literal[tuple(ChangeKind.values)] = Field(
        ..., description="What changed: a seat's result, or a live-blog post.", examples=["result"]
    )
    action: Literal[tuple(ChangeAction.values)] = Field(
        ...,
        description="A result declared, corrected (any later change of its figures) or "
        "withdrawn; a post published (or, scheduled, come due), edited (pinned or "
        "unpinned too) or removed (unpublished or deleted).",
        examples=["corrected"],
    )
    changed_at: datetime = Field(
        ...,
        description="When the change was made, in UK time (ISO 8601).",
        examples=["2024-07-05T03:12:44+01:00"],
    )
    url: str | None = Field(
        ...,
        description="The object's address in this API: the seat's, or the post's (404 "
        "once it is removed); null for a seat that no longer exists.",
        examples=["/api/v1/constituencies/kettering"],
    )
    object: SeatSummary | PostOut | None = Field(
        ...,
        description="The object as it is now, not as the change left it (a later change "
        "is in the feed too): a result as a seat of /api/v1/constituencies, a post as in "
        "/api/v1/counties/{slug}/posts; null if it is gone (withdrawn, removed).",
    )


class ChangesPage(Schema):
    """A page of the changes feed, and the cursor to ask with next."""

    changes: list[ChangeOut] = Field(
        ..., description="The changes after the cursor, oldest first, each once."
    )
    next: int = Field(
        ...,
        description="The cursor to ask with next time (`after`): the number of the last "
        "change here, or the cursor given if there is none yet. Always present: a "
        "poller that keeps it misses nothing.",
        examples=[1042],
    )
    has_more: bool = Field(
        ...,
        description="Whether more changes follow already: ask again at once with `next`.",
        examples=[False],
    )


class ChangesQuery(Schema):
    """Where to start reading the changes feed, and how many to read."""

    after: int | None = Field(
        None,
        ge=0,
        description="The cursor: changes numbered after it (`next` of the last answer); "
        "absent, from the first change.",
        examples=[1000],
    )
    page_size: int = Field(
        CHANGES_PAGE_SIZE,
        ge=1,
        le=CHANGES_MOST,
        description=f"How many changes at most (1 to {CHANGES_MOST}).",
        examples=[CHANGES_PAGE_SIZE],
    )


@api.get("/changes", response={200: ChangesPage, **PROBLEMS}, url_name="changes")
def changes(request, query: Query[ChangesQuery]):
    """Every result declared, corrected or withdrawn and every post shown, edited or
    removed, in the order they were made, after the cursor `after`: the feed to poll
    for what changed (see docs/changes-feed.md)."""
    # Scheduled posts whose time has come are numbered now, as if just published.
    due_posts_release_everywhere()
    found = list(ChangeRecord.objects.after(query.after)[: query.page_size + 1])
    has_more = len(found) > query.page_size
    found = found[: query.page_size]
    if not found and query.after:
        last = ChangeCounter.objects.values_list("value", flat=True).first() or 0
        if query.after > last:
            # A cursor from another database (rebuilt since): it names no change.
            raise HttpError(404, f"after: no change is numbered {query.after}; the last is {last}.")
    seats, posts = changed_objects(found)
    return {
        "changes": [change_out(record, seats, posts) for record in found],
        "next": found[-1].number if found else query.after or 0,
        "has_more": has_more,
    }


def changed_objects(records):
    """({constituency pk: (slug, seat figures or None)}, {post pk: post readers see}) of
    the objects the change records name, in five queries at most whatever their number."""
    seat_ids = {r.object_id for r in records if r.kind == ChangeKind.RESULT}
    post_ids = {r.object_id for r in records if r.kind == ChangeKind.POST}
    slugs = dict(Constituency.objects.filter(pk__in=seat_ids).values_list("pk", "slug"))
    figures = {seat.slug: seat for seat in read_seats(None, pk__in=seat_ids)} if slugs else {}
    seats = {pk: (slug, figures.get(slug)) for pk, slug in slugs.items()}
    posts = Post.objects.published().filter(pk__in=post_ids)
    posts = posts.with_body().select_related("live_page__county").in_bulk()
    return seats, posts


def change_out(record, seats, posts):
    if record.kind == ChangeKind.RESULT:
        slug, seat = seats.get(record.object_id, (None, None))
        url = reverse("api:constituency", kwargs={"slug": slug}) if slug else None
        shown = seat_summary(seat) if seat and seat.declared else None
    else:
        url = reverse("api:post", kwargs={"pk": record.object_id})
        post = posts.get(record.object_id)
        shown = post_out(post) if post else None
    return {
        "number": record.number,
        "type": record.kind,
        "action": record.action,
        "changed_at": uk_time(record.changed_at),
        "url": url,
        "object": shown,
    }


@api.get("/posts/{pk}", response={200: PostOut, **PROBLEMS}, url_name="post")
def post_detail(
    request, pk: Annotated[int, Path(..., description="The post's id.", examples=[17])]
):
    """A post readers can see, by its id (the changes feed's `url` of a post)."""
    found = (
        Post.objects.published()
        .filter(pk=pk)
        .with_body()
        .select_related("live_page__county")
        .first()
    )
    if found is None:
        raise Http404("No such post.")
    return post_out(found)


# What each operation reads and shows (pages.http_cache), by its url_name.
CACHING = {
    "scoreboard": (["at"], lambda **kwargs: [tags.NATION]),
    "constituencies": (
        ["nation", "region", "party", "held", "outcome", "ons_code", "page_size", "page"],
        lambda **kwargs: [tags.NATION],
    ),
    "constituency": ([], lambda slug, **kwargs: [tags.seat(slug)]),
    # A region's figures are its own seats': a declaration elsewhere leaves them be.
    "region": (["at"], lambda slug, **kwargs: [tags.region(slug)]),
    "party": ([], lambda slug, **kwargs: [tags.party(slug), tags.NATION]),
    "county-posts": (["since"], lambda slug, **kwargs: [tags.live(slug)]),
    "declarations": (["since"], lambda **kwargs: [tags.NATION]),
    "index": ([], lambda **kwargs: []),  # ninja's own "api-root" at the same address, never reached
    "parties": (["ec_id"], lambda **kwargs: [tags.NATION]),
    "regions": ([], lambda **kwargs: [tags.NATION]),
    "counties": ([], lambda **kwargs: [tags.NATION]),
    # Every result's change touches the nation, every post's the sitemap: the feed is
    # purged by each, and kept no later than the next scheduled post is due.
    "changes": (["after", "page_size"], lambda **kwargs: [tags.NATION, tags.SITEMAP]),
    "post": ([], lambda pk, **kwargs: [tags.post(pk)]),
    "openapi-json": ([], lambda **kwargs: []),
    "openapi-view": ([], lambda **kwargs: []),
}


def api_urls():
    """The API's URL patterns, each view with what it tells the HTTP caches, and any
    other address under the API a problem (404) rather than the site's page."""
    patterns, _, namespace = api.urls
    wrapped = []
    for pattern in patterns:
        if isinstance(pattern, URLPattern) and pattern.name in CACHING:
            reads, shows = CACHING[pattern.name]
            pattern.callback = reader_page(
                pattern.callback, reads=reads, shows=shows, validates=True
            )
        if isinstance(pattern, URLPattern):
            pattern.callback = method_problems(pattern.callback)
        wrapped.append(pattern)
    wrapped.append(re_path(r"", nothing_here, name="nothing-here"))
    return wrapped, namespace


def method_problems(view):
    """`view`, whose 405 (a method it does not answer) is a problem too."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 405:
            allowed = response["Allow"]
            response = problem(request, 405, f"{request.method} is not answered here: {allowed}.")
            response["Allow"] = allowed
        return response

    return wrapper


def nothing_here(request, *args, **kwargs):
    return problem(request, 404, "Nothing at this address: the API's index is /api/v1/.")
