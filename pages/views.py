"""Every page readers see: how each is put together from the results and the live blog."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET
from django_tables2 import RequestConfig

from liveblog.models import LivePage, Post
from pages.cache import cached_page
from pages.tables import CandidacyTable
from results.models import (
    Candidacy,
    Constituency,
    County,
    Election,
    Outcome,
    Party,
    Region,
    Result,
)
from results.naming import normalise_name
from results.replay import declarations_by_hour, moment_of_the_night, with_results_at
from results.scoreboard import national_scoreboard, tally_of

LATEST_DECLARATIONS = 10
SEARCH_LIMIT = 50
POSTS_PER_PAGE = 20
POLL_SECONDS = 5
MAX_NEW_POSTS = 50
MENTIONING_POSTS = 10


@cached_page
def home(request):
    election = Election.objects.current()
    at = replay_moment(request, election)
    latest = Result.objects.latest_first()
    if at is not None:
        latest = latest.declared_by(at)
    declared_times = Result.objects.exclude(declared_at=None).values_list("declared_at", flat=True)
    return render(
        request,
        "results/home.html",
        {
            "scoreboard": national_scoreboard(election, at),
            "at": at,
            "latest": latest[:LATEST_DECLARATIONS],
            "hours": declarations_by_hour(declared_times, election.polling_day) if election else [],
            "regions": Region.objects.all(),
            "counties": County.objects.all(),
        },
    )


@cached_page
def region_detail(request, slug):
    region = get_object_or_404(Region, slug=slug)
    at = replay_moment(request, Election.objects.current())
    constituencies = with_results_at(region.constituencies.with_result(), at)
    return render(
        request,
        "results/region_detail.html",
        {
            "region": region,
            "at": at,
            "constituencies": constituencies,
            "tally": tally_of(constituencies),
            "declared": sum(1 for c in constituencies if c.shown_result),
        },
    )


def replay_moment(request, election):
    """The moment `?at=` asks for, or None for now."""
    if election is None:
        return None
    return moment_of_the_night(request.GET.get("at"), election.polling_day)


@cached_page
def party_detail(request, slug):
    party = get_object_or_404(Party, slug=slug)
    results = list(Result.objects.won_or_lost_by(party))
    won = [result for result in results if result.winner.party_id == party.pk]
    return render(
        request,
        "results/party_detail.html",
        {
            "party": party,
            "won": won,
            "gained": [result for result in won if result.outcome == Outcome.GAIN],
            "lost": [result for result in results if result.gained_from_id == party.pk],
        },
    )


@cached_page
def search(request):
    query = request.GET.get("q", "").strip()
    constituencies = candidacies = []
    if normalise_name(query):
        constituencies = list(Constituency.objects.search(query)[:SEARCH_LIMIT])
        exact = [c for c in constituencies if c.search_name == normalise_name(query)]
        if len(exact) == 1:
            return redirect(exact[0])
        candidacies = list(Candidacy.objects.search(query).order_by("name")[:SEARCH_LIMIT])
    return render(
        request,
        "results/search.html",
        {"query": query, "constituencies": constituencies, "candidacies": candidacies},
    )


@require_GET
def healthz(request):
    """For load balancers and as the benchmark's reference: no database, no templates."""
    return HttpResponse("ok\n", content_type="text/plain")


@require_GET
@cached_page
def robots_txt(request):
    sitemap = request.build_absolute_uri(reverse("pages:sitemap"))
    lines = ["User-agent: *", "Disallow: /admin/", f"Sitemap: {sitemap}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain")


@cached_page
def county_detail(request, slug):
    county = get_object_or_404(
        County.objects.with_constituencies().select_related("live_page"), slug=slug
    )
    election = Election.objects.current()
    at = replay_moment(request, election)
    live_page = getattr(county, "live_page", None)
    posts = live_page.posts.for_live_page(at) if live_page else Post.objects.none()
    page = Paginator(posts, POSTS_PER_PAGE).get_page(request.GET.get("page"))
    constituencies = with_results_at(county.constituencies.all(), at)
    return render(
        request,
        "liveblog/county_detail.html",
        {
            "county": county,
            "live_page": live_page,
            "at": at,
            "page": page,
            # Pinned posts sort first, so they open the first page, above the stream.
            "pinned": [post for post in page if post.pinned],
            "stream": [post for post in page if not post.pinned],
            # Where live updates start: the newest post on the page, pinned or not.
            "newest": max(page, key=lambda post: (post.published_at, post.pk), default=None),
            "constituencies": constituencies,
            "tally": tally_of(constituencies),
            "declared": sum(1 for c in constituencies if c.shown_result),
            "scoreboard": national_scoreboard(election, at),
            "poll_seconds": settings.LIVE_POLL_SECONDS,
        },
    )


@cached_page
def post_detail(request, slug, pk):
    post = get_object_or_404(
        Post.objects.published().with_body().select_related("live_page__county"),
        pk=pk,
        live_page__county__slug=slug,
    )
    return render(
        request, "liveblog/post_detail.html", {"post": post, "county": post.live_page.county}
    )


@cached_page
def constituency_detail(request, slug):
    constituency = get_object_or_404(Constituency.objects.for_detail_page(), slug=slug)
    candidacies = list(constituency.candidacies.all())
    table = CandidacyTable(candidacies, caption=f"Candidates in {constituency.name}")
    RequestConfig(request, paginate=False).configure(table)
    others = []
    if constituency.county_id:
        others = with_results_at(
            Constituency.objects.with_result()
            .filter(county=constituency.county_id)
            .exclude(pk=constituency.pk),
            None,
        )
    return render(
        request,
        "liveblog/constituency_detail.html",
        {
            "constituency": constituency,
            "result": getattr(constituency, "result", None),
            "candidacies": candidacies,
            "total_votes": sum(candidacy.votes for candidacy in candidacies),
            "table": table,
            "posts": Post.objects.about(constituency)[:MENTIONING_POSTS],
            "others": others,
        },
    )


@cached_page(seconds=POLL_SECONDS)
def county_updates(request, slug):
    """The posts published since `?since=<post id>`, and the scoreboard strip, as HTML.

    Polled by static/js/live.js; cheap because readers of a page all ask the same
    question, so the answer is cached (and 304 for a matching ETag).
    """
    live_page = get_object_or_404(LivePage.objects.select_related("county"), county__slug=slug)
    posts = live_page.posts.for_feed()
    since = Post.objects.filter(live_page=live_page, pk=request.GET.get("since") or None).first()
    if since is not None:
        posts = posts.newer_than(since)
    posts = list(posts[:MAX_NEW_POSTS]) if since is not None else []
    newest = posts[0] if posts else since or live_page.posts.for_feed().first()
    return render(
        request,
        "liveblog/county_updates.html",
        {
            "posts": posts,
            "newest": newest,
            "scoreboard": national_scoreboard(Election.objects.current()),
        },
    )
