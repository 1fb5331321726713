"""Pages that show live-blog posts beside results: county, post and constituency."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django_tables2 import RequestConfig

from liveblog.models import Post
from results.models import Constituency, County, Election
from results.replay import with_results_at
from results.scoreboard import national_scoreboard, tally_of
from results.tables import CandidacyTable
from results.views import replay_moment

POSTS_PER_PAGE = 20
MENTIONING_POSTS = 10


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
            "constituencies": constituencies,
            "tally": tally_of(constituencies),
            "declared": sum(1 for c in constituencies if c.shown_result),
            "scoreboard": national_scoreboard(election, at),
        },
    )


def post_detail(request, slug, pk):
    post = get_object_or_404(
        Post.objects.published().with_body().select_related("live_page__county"),
        pk=pk,
        live_page__county__slug=slug,
    )
    return render(
        request, "liveblog/post_detail.html", {"post": post, "county": post.live_page.county}
    )


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
