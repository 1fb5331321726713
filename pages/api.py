"""The JSON API, /api/v1/: every figure on the site, read-only, documented by its OpenAPI
schema (/api/v1/openapi.json) and browsable at /api/v1/docs.

django-ninja: the schemas below are typed (pydantic), and the OpenAPI document and the
validation of each parameter follow from them, so what is documented is what is served.
Figures come from the same query methods as the pages (results.scoreboard, pages.seats,
pages.filters), and each answer is kept by the HTTP cache and purged with the pages
(pages.http_cache): each operation says what it shows as tags, as the pages do. Bad
input is a 4xx with a JSON body: 422 for a parameter that does not validate, 404 for
nothing by that name.
"""

from datetime import datetime
from typing import Annotated, Literal

from django.core.paginator import Paginator
from django.http import Http404, HttpResponsePermanentRedirect, QueryDict
from django.shortcuts import get_object_or_404
from django.urls import URLPattern, reverse
from ninja import Field, NinjaAPI, Query, Schema
from ninja.errors import HttpError, ValidationError

from liveblog.models import LivePage, Post
from pages import fragments, params
from pages import invalidation as tags
from pages.filters import seats_filtered
from pages.http_cache import reader_page
from pages.parties import GAIN, HOLD, LOSS, SECOND, party_seats
from pages.seats import all_seats, kept_parties, seats_of_place, tallies_of_seats, turnout
from results import arithmetic
from results.models import Constituency, Party, Region, Result
from results.provenance import provenance_of
from results.scoreboard import headline_parties, standings_from
from results.times import to_the_second

# A moment: a time of election night (`03:00`), or a date and time in ISO 8601 (UK time
# unless it gives a zone). The pattern is the shape; a value of that shape may still name
# no moment (31 February), and is answered 422. Empty is the present, as on the pages.
ISO = r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?"
MOMENT = rf"^(([01]?\d|2[0-3]):[0-5]\d|{ISO})?$"
ISO_MOMENT = rf"^({ISO})?$"
At = Annotated[
    str | None,
    Query(None, pattern=MOMENT, description="A moment of the night: 03:00, or 2024-07-06T18:00"),
]
Since = Annotated[
    str | None,
    Query(
        None,
        pattern=ISO_MOMENT,
        description="Declared after this moment, ISO 8601: 2024-07-05T03:00",
    ),
]

SEATS_PER_PAGE = 100
DECLARATIONS_LIMIT = 100
POSTS_LIMIT = 50

api = NinjaAPI(
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


@api.exception_handler(ValidationError)
def invalid(request, error):
    """422, with what was wrong in words: `page: Input should be a valid integer`."""
    problems = "; ".join(
        f"{'.'.join(str(part) for part in problem['loc'][1:])}: {problem['msg']}"
        for problem in error.errors
    )
    return api.create_response(request, {"detail": problems}, status=422)


class Message(Schema):
    detail: str


class PartyRef(Schema):
    slug: str
    name: str
    short_name: str
    colour: str


class SeatsRow(Schema):
    label: str
    party: PartyRef | None
    seats: int
    change: int


class PartyVotes(Schema):
    party: PartyRef
    candidates: int
    votes: int
    share: float
    share_change: float | None
    seats: int
    gained: int
    lost: int


class Turnout(Schema):
    valid_votes: int
    electorate: int
    share: float | None
    change: float | None


class ProjectedSeats(Schema):
    party: str
    seats: int


class ProjectionOut(Schema):
    method: str
    seats_declared: int
    seats: list[ProjectedSeats]


class Scoreboard(Schema):
    at: datetime | None
    source: str
    headline: str
    total_seats: int
    seats_for_majority: int
    seats_declared: int
    seats_to_go: int
    seats: list[SeatsRow]
    parties: list[PartyVotes]
    other_votes: int
    valid_votes: int
    turnout: Turnout
    projection: ProjectionOut | None


class SeatSummary(Schema):
    slug: str
    name: str
    ons_code: str | None
    region: str | None
    nation: str | None
    declared: bool
    winner: str | None
    party: PartyRef | None
    outcome: str | None
    gained_from: str | None
    majority: int | None
    declared_at: datetime | None


class SeatPage(Schema):
    count: int
    page: int
    pages: int
    results: list[SeatSummary]


class RegisteredPartyOut(Schema):
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
    name: str
    party: PartyRef
    votes: int
    share: float
    share_change: float | None
    sitting_mp: bool
    elected: bool


class Source(Schema):
    kind: Literal["seed", "national", "desk"] = Field(
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
    slug: str
    name: str
    ons_code: str | None
    region: str | None
    nation: str | None
    county: str | None
    held_2019: PartyRef | None
    declared: bool
    verdict: str | None
    outcome: str | None
    gained_from: PartyRef | None
    winner: str | None
    majority: int | None
    majority_share: float | None
    electorate: int | None
    valid_votes: int | None
    invalid_votes: int | None
    turnout: float | None
    turnout_change: float | None
    swing: float | None
    declared_at: datetime | None
    corrected_at: datetime | None
    candidates: list[Candidate]
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
    slug: str
    name: str
    nation: str
    seats: int
    seats_declared: int
    parties: list[PartyVotes]
    valid_votes: int
    turnout: Turnout
    constituencies: list[SeatSummary]


class PartyFigures(Schema):
    party: PartyRef
    candidates: int
    votes: int
    share: float | None
    share_change: float | None
    seats: int
    gained: int
    lost: int
    second_places: int
    gains: list[str]
    losses: list[str]
    holds: list[str]
    seconds: list[str]
    registered_parties: list[RegisteredPartyOut] = Field(
        ...,
        description="The registered parties its candidates stood for, most candidacies "
        "first (the Green Party: Green, Scottish Green Party, Green Party Northern Ireland); "
        "empty for independents, and where no source gives Electoral Commission ids",
    )


class PostOut(Schema):
    id: int
    url: str
    title: str
    published_at: datetime
    edited_at: datetime | None
    corrected_at: datetime | None  # taken down, changed and shown again
    breaking: bool
    pinned: bool
    byline: str
    text: str
    constituencies: list[str]


class Declared(Schema):
    constituency: str
    name: str
    verdict: str
    winner: str
    party: PartyRef
    majority: int
    declared_at: datetime | None
    corrected_at: datetime | None


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
        raise HttpError(422, f"at: {error}") from error


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
        "gained_from": seat.gained_from or None,
        "majority": seat.majority if seat.declared else None,
        "declared_at": uk_time(seat.declared_at),
    }


@api.get(
    "/scoreboard", response={200: Scoreboard, 404: Message, 422: Message}, url_name="scoreboard"
)
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


class SeatFilters(Schema):
    nation: str | None = None
    region: str | None = None
    party: str | None = None
    held: str | None = None
    outcome: str | None = None
    ons_code: str | None = Field(
        None,
        description="The seat with this ONS code (2024 boundaries), case forgiven: a code "
        "that is no seat's gives an empty list",
        examples=["E14001311"],
    )
    page: int = 1


@api.get(
    "/constituencies",
    response={200: SeatPage, 404: Message, 422: Message},
    url_name="constituencies",
)
def constituencies(request, filters: Query[SeatFilters]):
    """Every seat, filtered as the table of every seat is, 100 to a page, by name."""
    chosen = QueryDict(mutable=True)
    chosen.update(
        {
            name: value
            for name, value in filters.dict().items()
            if name not in ("page", "ons_code") and value is not None
        }
    )
    filterset = seats_filtered(chosen, Constituency.objects.all())
    if not filterset.is_valid():
        raise HttpError(422, f"Not a valid filter: {', '.join(filterset.errors)}.")
    chosen_seats = filterset.qs
    if filters.ons_code is not None:
        chosen_seats = chosen_seats.filter(ons_code__iexact=filters.ons_code.strip())
    slugs = set(chosen_seats.values_list("slug", flat=True))
    seats = [seat for seat in all_seats() if seat.slug in slugs]
    paginator = Paginator(seats, SEATS_PER_PAGE)
    if filters.page < 1 or (filters.page > paginator.num_pages):
        raise HttpError(404, "No such page.")
    return {
        "count": paginator.count,
        "page": filters.page,
        "pages": paginator.num_pages,
        "results": [seat_summary(seat) for seat in paginator.page(filters.page)],
    }


@api.get(
    "/constituencies/{slug}",
    response={200: Seat, 404: Message, 422: Message},
    url_name="constituency",
)
def constituency(request, slug: str):
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
        raise Http404("No such constituency.")
    return HttpResponsePermanentRedirect(reverse("api:constituency", kwargs={"slug": seat.slug}))


@api.get(
    "/regions/{slug}", response={200: RegionFigures, 404: Message, 422: Message}, url_name="region"
)
def region(request, slug: str, at: At = None):
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


@api.get(
    "/parties/{slug}", response={200: PartyFigures, 404: Message, 422: Message}, url_name="party"
)
def party(request, slug: str):
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
        "registered_parties": [
            registered_party_out(registered)
            for registered in Party.objects.filter(pk=chosen.pk)
            .registered_parties()
            .get(chosen.pk, [])
        ],
    }


@api.get(
    "/counties/{slug}/posts",
    response={200: list[PostOut], 404: Message, 422: Message},
    url_name="county-posts",
)
def county_posts(request, slug: str, since: int | None = None):
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


@api.get("/declarations", response={200: list[Declared], 422: Message}, url_name="declarations")
def declarations(request, since: Since = None):
    """Declared results, newest first (at most 100), or those declared after `since`."""
    results = Result.objects.latest_first()
    if since is not None:
        try:
            results = results.filter(declared_at__gt=params.parse_moment(since))
        except ValueError as error:
            raise HttpError(422, f"since: {error}") from error
    return [
        {
            "constituency": result.constituency.slug,
            "name": result.constituency.name,
            "verdict": result.verdict,
            "winner": result.winner.name,
            "party": party_ref(result.winner.party),
            "majority": result.majority,
            "declared_at": uk_time(result.declared_at),
            "corrected_at": uk_time(result.corrected_at),
        }
        for result in results[:DECLARATIONS_LIMIT]
    ]


# What each operation reads and shows (pages.http_cache), by its url_name.
CACHING = {
    "scoreboard": (["at"], lambda **kwargs: [tags.NATION]),
    "constituencies": (
        ["nation", "region", "party", "held", "outcome", "ons_code", "page"],
        lambda **kwargs: [tags.NATION],
    ),
    "constituency": ([], lambda slug, **kwargs: [tags.seat(slug)]),
    # A region's figures are its own seats': a declaration elsewhere leaves them be.
    "region": (["at"], lambda slug, **kwargs: [tags.region(slug)]),
    "party": ([], lambda slug, **kwargs: [tags.party(slug), tags.NATION]),
    "county-posts": (["since"], lambda slug, **kwargs: [tags.live(slug)]),
    "declarations": (["since"], lambda **kwargs: [tags.NATION]),
    "api-root": ([], lambda **kwargs: []),
    "openapi-json": ([], lambda **kwargs: []),
    "openapi-view": ([], lambda **kwargs: []),
}


def api_urls():
    """The API's URL patterns, each view with what it tells the HTTP caches."""
    patterns, _, namespace = api.urls
    wrapped = []
    for pattern in patterns:
        if isinstance(pattern, URLPattern) and pattern.name in CACHING:
            reads, shows = CACHING[pattern.name]
            pattern.callback = reader_page(
                pattern.callback, reads=reads, shows=shows, validates=True
            )
        wrapped.append(pattern)
    return wrapped, namespace
