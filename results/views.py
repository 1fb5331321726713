from django.shortcuts import get_object_or_404, render

from results.models import Constituency, County, PublishedScoreboard


def home(request):
    return render(
        request,
        "results/home.html",
        {
            "scoreboard": PublishedScoreboard.objects.latest(),
            "counties": County.objects.all(),
        },
    )


def constituency_detail(request, slug):
    constituency = get_object_or_404(Constituency.objects.for_detail_page(), slug=slug)
    return render(
        request,
        "results/constituency_detail.html",
        {
            "constituency": constituency,
            "result": getattr(constituency, "result", None),
            "candidacies": constituency.candidacies.all(),
        },
    )
