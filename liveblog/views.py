"""Pages that show live-blog posts beside results: county, post and constituency."""

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django_tables2 import RequestConfig

from liveblog.models import LivePage, Post
from results.cache import cached_page
from results.models import Constituency, County, Election
from results.replay import with_results_at
from results.scoreboard import national_scoreboard, tally_of
from results.tables import CandidacyTable
from results.views import replay_moment

POSTS_PER_PAGE = 20
POLL_SECONDS = 5
MAX_NEW_POSTS = 50
MENTIONING_POSTS = 10


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
