"""Every page readers see: how each is put together from the results and the live blog.

Each page says, in its `reader_page` decorator, the query parameters it reads (passed in
as keyword arguments, already parsed: pages.params) and what it shows, as tags
(pages.invalidation): the surrogate keys by which the HTTP cache in front is told to
fetch it again (pages.http_cache). The national strip on every page is a fragment
(pages.fragments), which Varnish includes.
"""

from collections import Counter

from django.conf import settings
from django.core.paginator import EmptyPage, Paginator
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe
from django_tables2 import RequestConfig

from liveblog.changes import due_posts_release
from liveblog.models import LivePage, Post
from pages import downloads, fragments, lists, package, parties
from pages import invalidation as tags
from pages.changed_hands import changed_hands
from pages.charts import night_chart
from pages.filters import seats_filtered
from pages.hemicycle import hemicycle
from pages.http_cache import reader_page
from pages.lists import DEFEATED_MPS, NIGHT_LISTS, STILL_TO_DECLARE
from pages.params import as_text, at_value, polling_day
from pages.parties import party_seats
from pages.posts import with_parts
from pages.seatmap import Filters, seat_map
from pages.seats import (
    all_seats,
    kept_parties,
    places_of,
    region_summaries,
    seats_of_place,
    tallies_of_seats,
    turnout,
)
from pages.tables import CandidacyTable, ConstituencyTable
from results import arithmetic
from results.models import (
    Candidacy,
    Constituency,
    County,
    NotionalVote,
    Party,
    Region,
    Result,
)
from results.naming import normalise_name
from results.provenance import provenance_of
from results.replay import happened_by
from results.scoreboard import (
    headline_parties,
    standings_from,
    swing_of,
)
from results.search import looks_like_postcode, readable

LATEST_DECLARATIONS = 10
SEARCH_LIMIT = 50
POSTS_PER_PAGE = 20
PARTY_SEATS_PER_PAGE = 100
SEATS_PER_PAGE = 50
LIST_ROWS_PER_PAGE = 50
MAX_NEW_POSTS = 50
MAX_CHANGES = 100


def page_of(items, number, per_page, count=None):
    """One page of a list; a number past the last page is not found. `count`, if known,
    saves counting the items again."""
    paginator = Paginator(items, per_page)
    if count is not None:
        paginator.count = count  # a cached property: set, it is not computed
    try:
        return paginator.page(number)
    except EmptyPage as empty:
        raise Http404("No such page.") from empty


@reader_page(reads=["at", "view", "party"], shows=lambda at, view, party: [tags.NATION])
def home(request, at, view, party):
    polling = polling_day()
    if party and not any(known.slug == party for known in kept_parties().values()):
        raise Http404("No such party.")
    seats = all_seats(at)
    # The chart shows the whole night, replayed or not, with the moment shown marked.
    whole_night = seats if at is None else all_seats(None)
    ranked = lists.declared(seats)
    awaiting = [seat for seat in seats if not seat.declared]
    standings, votes = fragments.standings_at(at)
    parties, others = headline_parties(standings, votes)
    scoreboard = fragments.scoreboard_at(at)
    exit_poll = fragments.exit_poll_at(at)
    return render(
        request,
        "results/home.html",
        {
            "scoreboard": scoreboard,
            # What changed hands, the swing and the new House, from the seats and
            # standings already read: no query more.
            "changed_hands": changed_hands(seats),
            "swing": swing_of(standings),
            "hemicycle": scoreboard
            and hemicycle(seats, scoreboard.total_seats, scoreboard.seats_for_majority),
            "exit_poll": exit_poll,
            # It leads the page until declared seats take over (results.exit_poll).
            "exit_poll_leads": bool(
                exit_poll and exit_poll.leads(scoreboard.seats_declared if scoreboard else 0)
            ),
            "at": at,
            "poll_seconds": settings.LIVE_POLL_SECONDS,
            "view": view,
            # Now, each region is the fragment seat-map:<region> (pages.fragments).
            "seat_map": seat_map(seats, at, Filters(view or "", party or ""), whole=True),
            "night_lists": [
                (night_list, night_list.top(ranked, lists.ON_HOME))
                for night_list in NIGHT_LISTS.values()
            ],
            "defeated": lists.defeated_mps(seats)[: lists.ON_HOME],
            "awaiting": awaiting[: lists.ON_HOME],
            "awaiting_count": len(awaiting),
            "parties": parties,
            "others": others,
            "votes": votes,
            "turnout": turnout(seats),
            "latest": lists.latest_declared(seats)[:LATEST_DECLARATIONS],
            "chart": night_chart(
                tuple(sorted(seat.declared_hour for seat in whole_night if seat.declared_at)),
                polling,
                at,
            ),
            "regions": places_of(seats, "region"),
            "counties": places_of(seats, "county"),
        },
    )


SEAT_FILTERS = ("nation", "region", "party", "held", "outcome")


def every_seat_filtered(filters, seats, at=None):
    """Every seat (`seats`, a queryset of them), narrowed by the list's filters (on the
    results as they stood `at`); a filter naming nothing known is 404."""
    query = QueryDict(mutable=True)
    query.update({name: value for name, value in filters.items() if value is not None})
    filterset = seats_filtered(query, seats, at)
    if not filterset.is_valid():
        raise Http404("No such region or party.")
    return filterset


@reader_page(reads=[*SEAT_FILTERS, "at", "sort", "page"], shows=lambda **kwargs: [tags.NATION])
def constituency_list(request, at, sort, page, **filters):
    filterset = every_seat_filtered(filters, Constituency.objects.table_rows(at), at)
    table = ConstituencyTable(filterset.qs, order_by=sort)
    try:
        table.paginate(page=page, per_page=SEATS_PER_PAGE)
    except EmptyPage as empty:
        raise Http404("No such page.") from empty
    table.caption = (
        f"Seats {table.page.start_index()} to {table.page.end_index()} of {table.paginator.count}"
    )
    return render(
        request,
        "results/constituency_list.html",
        {
            "filter": filterset,
            "table": table,
            "at": at,
            "filtered": any(value is not None for value in filters.values()),
            "csv_query": filterset.data.urlencode(),
        },
    )


@reader_page(reads=SEAT_FILTERS, shows=lambda **kwargs: [tags.NATION])
def constituencies_csv(request, **filters):
    """One row per seat (narrowed as the list is), its columns in pages.downloads."""
    columns, filename = downloads.CONSTITUENCY_COLUMNS, "constituencies.csv"
    if all(value is None for value in filters.values()):
        return downloads.csv_response(columns, filename, lines=downloads.constituency_lines_now())
    seats = every_seat_filtered(filters, Constituency.objects.for_list()).qs.order_by("name")
    return downloads.csv_response(columns, filename, rows=seats)


@reader_page(shows=lambda: [tags.NATION])
def results_csv(request):
    """One row per candidacy in every seat, its columns in pages.downloads."""
    return downloads.csv_response(
        downloads.CANDIDACY_COLUMNS, "results.csv", lines=downloads.candidacy_lines_now()
    )


@reader_page(shows=lambda: [])
def notionals_csv(request):
    """Every seat's 2019 notional result, one row per party; its columns in pages.downloads."""
    rows = NotionalVote.objects.for_download()
    return downloads.csv_response(downloads.NOTIONAL_COLUMNS, "notionals.csv", rows=rows)


@reader_page(shows=lambda: [tags.NATION])
def data_package(request):
    """Every file in one zip, described as a Frictionless Data Package (pages.package)."""
    response = HttpResponse(package.package_zip(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{package.FILENAME}"'
    return response


@reader_page(shows=lambda slug: [tags.seat(slug)])
def constituency_csv(request, slug):
    seat = get_object_or_404(Constituency, slug=slug)
    rows = Candidacy.objects.filter(constituency=seat).for_download()
    return downloads.csv_response(downloads.CANDIDACY_COLUMNS, f"{slug}.csv", rows=rows)


@reader_page(shows=lambda slug: [tags.party(slug), tags.NATION])
def party_csv(request, slug):
    party = Party.objects.filter(slug=slug).first()
    if party is None:
        return redirect_to_renamed_party("pages:party-csv", slug)
    rows = Candidacy.objects.filter(party=party).for_download()
    return downloads.csv_response(downloads.CANDIDACY_COLUMNS, f"{slug}.csv", rows=rows)


def redirect_to_renamed_party(url_name, slug, at=None):
    """For good to the party's address now, where `slug` is its former one, keeping the
    moment replayed; else 404."""
    renamed = Party.objects.with_former_slug(slug)
    if renamed is None:
        raise Http404("No such party.")
    address = reverse(url_name, kwargs={"slug": renamed.slug})
    return redirect(address if at is None else f"{address}?at={at_value(at)}", permanent=True)


@reader_page(shows=lambda slug: [tags.region(slug)])
def region_csv(request, slug):
    region = get_object_or_404(Region, slug=slug)
    seats = Constituency.objects.for_list().filter(region=region).order_by("name")
    return downloads.csv_response(downloads.CONSTITUENCY_COLUMNS, f"{slug}.csv", rows=seats)


@reader_page(shows=lambda slug: [tags.county(slug)])
def county_csv(request, slug):
    county = get_object_or_404(County, slug=slug)
    seats = Constituency.objects.for_list().filter(county=county).order_by("name")
    return downloads.csv_response(downloads.CONSTITUENCY_COLUMNS, f"{slug}.csv", rows=seats)


# The /data/ page's dictionary: each file's columns, with the files that share them.
DATA_DICTIONARY = [
    {
        "name": "results",
        "caption": "results.csv, and the files of one seat or one party",
        "columns": downloads.CANDIDACY_COLUMNS,
    },
    {
        "name": "constituencies",
        "caption": "constituencies.csv, and the files of one region or one county",
        "columns": downloads.CONSTITUENCY_COLUMNS,
    },
    {
        "name": "notionals",
        "caption": "notionals.csv: the 2019 result of each seat, recast on the 2024 boundaries",
        "columns": downloads.NOTIONAL_COLUMNS,
    },
]


@reader_page(shows=lambda: [])
def data(request):
    """For people: what can be taken away, its columns, licence and rate of change."""
    return render(
        request,
        "results/data.html",
        {
            "dictionary": DATA_DICTIONARY,
            "package_filename": package.FILENAME,
            "package_name": package.NAME,
            "site_url": settings.SITE_URL,
            "browser_seconds": settings.BROWSER_CACHE_SECONDS,
        },
    )


@reader_page(reads=["at", "page"], shows=lambda slug, at, page: [tags.NATION])
def night_list(request, slug, at, page):
    """One of the lists of the night: every declared seat it ranks, a page at a time."""
    night_list = NIGHT_LISTS.get(slug)
    if night_list is None and slug not in (STILL_TO_DECLARE, DEFEATED_MPS):
        raise Http404("No such list.")
    seats = all_seats(at)
    declared = lists.declared(seats)
    if slug == DEFEATED_MPS:
        ranked = lists.defeated_mps(seats)
    elif slug == STILL_TO_DECLARE:
        ranked = [seat for seat in seats if not seat.declared]
    else:
        ranked = night_list.rank(declared)
    return render(
        request,
        "results/night_list.html",
        {
            "night_list": night_list,
            "slug": slug,
            "at": at,
            "declared": len(declared),
            # Declared seats the list leaves out: without the figure it ranks by.
            "without_figure": len(declared) - len(ranked) if night_list else 0,
            "page": page_of(ranked, page, LIST_ROWS_PER_PAGE),
            "lists": NIGHT_LISTS.values(),
        },
    )


@reader_page(reads=["at"], shows=lambda at: [tags.NATION])
def party_list(request, at):
    standings, votes = fragments.standings_at(at)
    return render(
        request, "results/party_list.html", {"standings": standings, "votes": votes, "at": at}
    )


@reader_page(reads=["at"], shows=lambda at: [tags.NATION])
def region_list(request, at):
    return render(request, "results/region_list.html", {"regions": region_summaries(at), "at": at})


@reader_page(reads=["at"], shows=lambda slug, at: [tags.region(slug)])
def region_detail(request, slug, at):
    region = get_object_or_404(Region, slug=slug)
    seats = seats_of_place("region", slug, at)
    standings, votes = standings_from(tallies_of_seats(seats, at))
    parties, others = headline_parties(standings, votes)
    return render(
        request,
        "results/region_detail.html",
        {
            "region": region,
            "at": at,
            "poll_seconds": settings.LIVE_POLL_SECONDS,
            "seats": seats,
            "declared": sum(1 for seat in seats if seat.declared),
            "swing": swing_of(standings),
            "parties": parties,
            "others": others,
            "votes": votes,
            "turnout": turnout(seats),
            "seat_map": seat_map(seats, at),
        },
    )


@reader_page(
    reads=["at", "page"],
    # Replayed, it shows the national votes and share itself (now, its fragment does).
    shows=lambda slug, at, page: [tags.party(slug), *([tags.NATION] if at else [])],
)
def party_detail(request, slug, at, page):
    """A party's seats, and its votes and share (the fragment "party-figures", which
    every declaration changes; replayed, the figures as they stood `at`)."""
    party = Party.objects.filter(slug=slug).first()
    if party is None:
        return redirect_to_renamed_party("pages:party-detail", slug, at)
    seats = party_seats(party, all_seats(at))
    counts = Counter(seat.kind for seat in seats)
    counted_here = [
        result
        for result in Result.objects.counted_with(party)
        if happened_by(result.declared_at, at)
    ]
    standings = fragments.standings_at(at)[0] if at is not None else ()
    return render(
        request,
        "results/party_detail.html",
        {
            "party": party,
            "at": at,
            # Replayed, the party's figures as they stood (now, the fragment's).
            "standing": next((row for row in standings if row.party.slug == slug), None),
            "won": counts[parties.GAIN] + counts[parties.HOLD],
            "gained": counts[parties.GAIN],
            "lost": counts[parties.LOSS],
            "second": counts[parties.SECOND],
            "counted_here": counted_here,
            "won_with_counted": counts[parties.GAIN] + counts[parties.HOLD] + len(counted_here),
            "registered_parties": party.stood_as(),
            "page": page_of(seats, page, PARTY_SEATS_PER_PAGE),
        },
    )


@reader_page(reads=["q"], shows=lambda q: [tags.NATION])
def search(request, q):
    """Seats, then parties, then MPs and candidates, each best first, forgiving
    misspellings and the start of words (results.search); an exact seat's name goes to
    it. A postcode is told plainly that it cannot be looked up."""
    typed = readable(q)
    context = {"query": typed, "postcode": looks_like_postcode(typed)}
    context["searched"] = bool(normalise_name(typed)) and not context["postcode"]
    if context["searched"]:
        seats = Constituency.objects.search(typed, limit=SEARCH_LIMIT)
        exact = [seat for seat in seats.shown if seat.search_name == normalise_name(typed)]
        if len(exact) == 1:
            return redirect(exact[0])
        context["constituencies"] = seats
        context["parties"] = Party.objects.search(typed, limit=SEARCH_LIMIT)
        context["candidacies"] = Candidacy.objects.search(typed, limit=SEARCH_LIMIT)
    return render(request, "results/search.html", context)


@reader_page(reads=["at"], shows=lambda **kwargs: [])
def fragment(request, kind, at, argument=""):
    """A fragment alone, for Varnish to include in the pages that show it: the strip
    (replayed `at` a moment), or a party's figures (pages.fragments.INCLUDED)."""
    if kind == "strip" and not argument:
        argument = as_text(at) if at else ""
    elif kind != "party-figures" or argument not in {p.slug for p in kept_parties().values()}:
        raise Http404("No such fragment.")
    name = f"{kind}:{argument}" if argument else kind
    request.surrogate_keys.update(fragments.tags_of(name))
    return HttpResponse(fragments.kept_renders.get_many([name])[name])


@require_safe
def healthz(request):
    """For load balancers and as the benchmark's reference: no database, no templates."""
    return HttpResponse("ok\n", content_type="text/plain")


@reader_page
def robots_txt(request):
    sitemap = request.build_absolute_uri(reverse("pages:sitemap"))
    lines = ["User-agent: *", "Disallow: /admin/", f"Sitemap: {sitemap}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain")


@reader_page(
    reads=["at", "page"], shows=lambda slug, at, page: [tags.county(slug), tags.live(slug)]
)
def county_detail(request, slug, at, page):
    county = get_object_or_404(County.objects.select_related("live_page"), slug=slug)
    live_page = getattr(county, "live_page", None)
    posts = live_page.posts.for_live_page(at) if live_page else Post.objects.none()
    page = page_of(posts, page, POSTS_PER_PAGE)
    shown = with_parts(page, "h4", "ld")
    return render(
        request,
        "liveblog/county_detail.html",
        {
            # Live, the results are the fragment "county-results".
            **(fragments.county_results(county, at) if at is not None else {}),
            "county": county,
            "live_page": live_page,
            "at": at,
            "page": page,
            # Pinned posts sort first, so they open the first page, above the stream.
            "pinned": [post for post in shown if post.pinned],
            "stream": [post for post in shown if not post.pinned],
            "posts": shown,
            # Where live updates start: the live page's last change when it was read
            # (liveblog.changes), read before the posts, so nothing after it is missed.
            "since": live_page.sequence if live_page else 0,
            "poll_seconds": settings.LIVE_POLL_SECONDS,
            "follows": following(live_page, page, at),
        },
    )


def following(live_page, page, at):
    """How an open county page follows the night: "live" (static/js/live.js: its posts,
    results and strip, from its updates), "refresh" (static/js/refresh.js: its results
    and strip, from the page itself: a county with no live page, or an older page of
    posts), or not at all (replayed)."""
    if at is not None:
        return None
    return "live" if live_page and page.number == 1 else "refresh"


@reader_page(shows=lambda slug, pk: [tags.post(pk)])
def post_detail(request, slug, pk):
    post = get_object_or_404(
        Post.objects.published().select_related("live_page__county"),
        pk=pk,
        live_page__county__slug=slug,
    )
    [post] = with_parts([post], "h1")
    return render(
        request, "liveblog/post_detail.html", {"post": post, "county": post.live_page.county}
    )


@reader_page(reads=["at", "sort"], shows=lambda slug, at, sort: [tags.seat(slug)])
def constituency_detail(request, slug, at, sort):
    """A seat's result, its candidates, and the posts and county around it; replayed
    `at` a moment before it declared, its candidates alone, awaiting."""
    constituency = Constituency.objects.detail(slug, parties=kept_parties())
    if constituency is None:
        renamed = Constituency.objects.with_former_slug(slug)
        if renamed is None:
            raise Http404("No such constituency.")
        if at is not None:
            return redirect(f"{renamed.get_absolute_url()}?at={at_value(at)}", permanent=True)
        return redirect(renamed, permanent=True)
    if at is not None:  # replayed, it shows what its fragments show now (seat_surroundings)
        request.surrogate_keys.update(surroundings_tags(constituency))
    result = getattr(constituency, "result", None)
    awaiting_then = result is not None and not happened_by(result.declared_at, at)
    if awaiting_then:
        result = None
    candidacies = constituency.candidates
    table = CandidacyTable(candidacies, caption=f"Candidates in {constituency.name}")
    RequestConfig(request, paginate=False).configure(table)
    speaker_stands = Party.speaker_stands(*(candidacy.party.slug for candidacy in candidacies[:2]))
    return render(
        request,
        "liveblog/constituency_detail.html",
        {
            "constituency": constituency,
            "at": at,
            "awaiting_then": awaiting_then,
            # A correction shows from its time (its figures are the only ones kept).
            "corrected_then": bool(
                result and result.corrected_at and happened_by(result.corrected_at, at)
            ),
            # Replayed, what the fragments show now, as it stood then.
            **(seat_surroundings(constituency, at) if at is not None else {}),
            "result": result,
            "provenance": result
            and provenance_of(
                result,
                entered_by=constituency.result_changed_by,
                entered_at=constituency.result_changed_at,
            ),
            "turnout_change": result
            and result.valid_votes
            and arithmetic.change_in_share(
                result.valid_votes,
                result.electorate,
                constituency.notional_valid_votes,
                constituency.notional_electorate,
            ),
            # From the runner-up to the winner: the two at the top of the count.
            "swing": result
            and len(candidacies) > 1
            and arithmetic.swing(
                candidacies[0].share_change,
                candidacies[1].share_change,
                speaker_stands=speaker_stands,
            ),
            "speaker_stands": speaker_stands,
            "candidacies": candidacies,
            "total_votes": sum(candidacy.votes for candidacy in candidacies),
            "table": table,
            "poll_seconds": settings.LIVE_POLL_SECONDS,
        },
    )


def surroundings_tags(constituency):
    """The tags of what seat_surroundings shows: the posts about the seat, its county's seats."""
    county = constituency.county
    return [tags.posts_about(constituency.slug), *([tags.county(county.slug)] if county else [])]


def seat_surroundings(constituency, at):
    """What a seat's page shows around its result as it stood `at`: the posts about it
    published by then, and its county's seats with their verdicts then (now, the
    fragments posts-about and county-seats)."""
    county = constituency.county
    return {
        "posts_then": list(
            Post.objects.about(constituency.slug, at)[: fragments.POSTS_ABOUT_A_SEAT]
        ),
        "county_seats_then": seats_of_place("county", county.slug, at) if county else [],
    }


@reader_page(reads=["since"], shows=lambda slug, since: [tags.live(slug)])
def county_updates(request, slug, since):
    """What an open county page must apply since `?since=<change number>`, as HTML: the
    posts shown since (new), those edited, pinned or unpinned (changed), those taken off
    (removed), the number to ask from next, the scoreboard strip and the county's
    results.

    Polled by static/js/live.js; cheap because readers of a page all ask the same
    question, so the answer is cached (and 304 for a matching ETag). Changes are
    numbered in the order they were made (liveblog.changes): a page asking from the
    number it was rendered at misses none.
    """
    live_page = get_object_or_404(LivePage.objects.select_related("county"), county__slug=slug)
    # Scheduled posts whose time has come are numbered now, as if just published.
    due_posts_release(live_page)
    changes, more = [], False
    if since is not None and since < live_page.sequence:
        changes = list(
            live_page.posts.changed_since(since).select_related("live_page__county")[
                : MAX_CHANGES + 1
            ]
        )
        more = len(changes) > MAX_CHANGES
        changes = changes[:MAX_CHANGES]
    shown = with_parts([post for post in changes if post.is_visible], "h4")
    removed = [post.pk for post in changes if not post.is_visible]
    if since is not None:
        removed += [pk for number, pk in live_page.removed if number > since]
    new = [post for post in shown if (post.shown_sequence or 0) > since]
    changed = [post for post in shown if (post.shown_sequence or 0) <= since]
    new.sort(key=lambda post: (post.published_at, post.pk), reverse=True)
    return render(
        request,
        "liveblog/county_updates.html",
        {
            "new": new[:MAX_NEW_POSTS],
            "changed": changed,
            "removed": removed,
            "next": changes[-1].sequence if more else live_page.sequence,
            "more": more,
            # The county's results as they are now, the fragment county-results:<slug>,
            # which the page puts in place.
            "county_slug": slug,
        },
    )
