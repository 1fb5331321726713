"""Changes the tests of purging make, as the desk and the editors make them."""

from django.db import transaction
from django.utils import timezone

from liveblog.models import LivePage, Post
from liveblog.services import post_mentions_refresh
from results.models import Constituency, Party
from tests.newsroom.forms import declaration_form


def derbyshire_dales_declaration():
    """Derbyshire Dales and the desk's form declaring it: Labour gain from Conservative,
    John Whitby 17,759, Sarah Dines 17,409."""
    dales = Constituency.objects.get(slug="derbyshire-dales")
    labour, conservative = (Party.objects.get(slug=s) for s in ("labour", "conservative"))
    data = declaration_form(
        dales,
        [("John Whitby", labour, 17759), ("Sarah Dines", conservative, 17409)],
        outcome="GAIN",
        gained_from=conservative,
    )
    return dales, data


def post_about_derbyshire_dales():
    """A post on Derbyshire's live page that names Derbyshire Dales."""
    with transaction.atomic():
        post = Post.objects.create(
            live_page=LivePage.objects.get(county__slug="derbyshire"),
            title="A close count",
            published_at=timezone.now(),
        )
        post.blocks.create(text="Recount called in Derbyshire Dales.")
        post_mentions_refresh(posts=[post])
    return post
