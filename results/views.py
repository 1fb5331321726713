from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from results.models import Candidacy, Constituency, County, Outcome, Party, Result
from results.naming import normalise_name
from results.scoreboard import national_scoreboard

LATEST_DECLARATIONS = 10
SEARCH_LIMIT = 50


def home(request):
    return render(
        request,
        "results/home.html",
        {
            "scoreboard": national_scoreboard(),
            "latest": Result.objects.latest_first()[:LATEST_DECLARATIONS],
            "counties": County.objects.all(),
        },
    )


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
def robots_txt(request):
    sitemap = request.build_absolute_uri(reverse("sitemap"))
    lines = ["User-agent: *", "Disallow: /admin/", f"Sitemap: {sitemap}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain")
