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
from ninja import Field, NinjaAPI, Path, Query, Schema
from ninja.errors import HttpError, ValidationError

from liveblog.changes import due_posts_release_everywhere
from liveblog.models import LivePage, Post
from pages import fragments, params
from pages import invalidation as tags
from pages.filters import seats_filtered
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
from results.models import (
    ChangeAction,
    ChangeCounter,
    ChangeKind,
    ChangeRecord,
    Constituency,
    Party,
    Region,
    Result,
)
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
        description="Declared after this moment, ISO 8601: 2024-07-05T03:00 (empty: no "
        "moment, the latest declarations).",
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


class Candidate(Schema):
    name: str
    party: PartyRef
    votes: int
    share: float
    share_change: float | None
    sitting_mp: bool
    elected: bool


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
            if name != "page" and value is not None
        }
    )
    filterset = seats_filtered(chosen, Constituency.objects.all())
    if not filterset.is_valid():
        raise HttpError(422, f"Not a valid filter: {', '.join(filterset.errors)}.")
    slugs = set(filterset.qs.values_list("slug", flat=True))
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
    """A seat with every candidate, its result and figures, or its candidates awaiting."""
    seat = Constituency.objects.select_related("region", "notional_winner").detail(
        slug, parties=kept_parties()
    )
    if seat is None:
        raise Http404("No such constituency.")
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
    }


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
    """The latest declarations: declared results, newest first (at most 100), or those
    declared after `since`, by their declaration time. A list of the latest, not a feed:
    a result corrected, or the 101st declared since, is not here. To hear of every
    change, poll /api/v1/changes."""
    results = Result.objects.latest_first()
    if since:
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


CHANGES_PAGE_SIZE = 100
CHANGES_MOST = 1000


class ChangeOut(Schema):
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


@api.get("/changes", response={200: ChangesPage, 422: Message}, url_name="changes")
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
            raise HttpError(422, f"after: no change is numbered {query.after}; the last is {last}.")
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


@api.get("/posts/{pk}", response={200: PostOut, 404: Message, 422: Message}, url_name="post")
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
        ["nation", "region", "party", "held", "outcome", "page"],
        lambda **kwargs: [tags.NATION],
    ),
    "constituency": ([], lambda slug, **kwargs: [tags.seat(slug)]),
    # A region's figures are its own seats': a declaration elsewhere leaves them be.
    "region": (["at"], lambda slug, **kwargs: [tags.region(slug)]),
    "party": ([], lambda slug, **kwargs: [tags.party(slug), tags.NATION]),
    "county-posts": (["since"], lambda slug, **kwargs: [tags.live(slug)]),
    "declarations": (["since"], lambda **kwargs: [tags.NATION]),
    # Every result's change touches the nation, every post's the sitemap: the feed is
    # purged by each, and kept no later than the next scheduled post is due.
    "changes": (["after", "page_size"], lambda **kwargs: [tags.NATION, tags.SITEMAP]),
    "post": ([], lambda pk, **kwargs: [tags.post(pk)]),
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
