from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from results.cache import cached_page
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
    sitemap = request.build_absolute_uri(reverse("sitemap"))
    lines = ["User-agent: *", "Disallow: /admin/", f"Sitemap: {sitemap}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain")
