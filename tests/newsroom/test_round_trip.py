"""`dumpdata` with natural keys, loaded into an empty database, reproduces every page."""

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.core.management import call_command

from liveblog.models import LivePage, Post
from results.models import Constituency, County, Party
from tests.newsroom.forms import declaration_form, declaration_post, post_form

pytestmark = pytest.mark.django_db


def every_page():
    addresses = ["/", "/declarations/feed/", "/sitemap.xml", "/robots.txt", "/search/?q=north"]
    for county in County.objects.all():
        addresses += [county.get_absolute_url(), f"/counties/{county.slug}/feed/"]
        addresses.append(f"{county.get_absolute_url()}?page=2")
    addresses += [seat.get_absolute_url() for seat in Constituency.objects.all()]
    addresses.append("/constituencies/kettering/?sort=party")
    addresses += [party.get_absolute_url() for party in Party.objects.all()]
    addresses += [
        post.get_absolute_url()
        for post in Post.objects.published().select_related("live_page__county")
    ]
    return addresses


def render(client, addresses):
    pages = {}
    for address in addresses:
        response = client.get(address)
        pages[address] = (response.status_code, response.content.decode())
    return pages


def test_round_trip_reproduces_every_page(client, seeded, editor_client, tmp_path):
    # Newsroom work as well as imports: a post with a chosen seat, and a declaration.
    kettering = Constituency.objects.get(slug="kettering")
    editor_client.post(
        "/admin/liveblog/post/add/",
        post_form(
            title="Recount in Kettering?",
            live_page=LivePage.objects.get(county__slug="northamptonshire"),
            about=[Constituency.objects.get(slug="daventry")],
            byline_name="Laura Coffey",
            blocks=[{"text": "<em>Not</em> in <strong>Kettering</strong>, it seems."}],
        ),
    )
    editor_client.logout()
    dales = Constituency.objects.get(slug="derbyshire-dales")
    labour, conservative = Party.objects.get(slug="labour"), Party.objects.get(slug="conservative")
    client.force_login(User.objects.create_superuser("desk-boss", password="a long secret phrase"))
    response = declaration_post(
        client,
        dales,
        declaration_form(
            dales,
            [("John Whitby", labour, 17759), ("Sarah Dines", conservative, 17409)],
            outcome="GAIN",
            gained_from=conservative,
        ),
    )
    assert response.status_code == 302
    client.logout()
    assert kettering.candidacies.count() == 8

    addresses = every_page()
    before = render(client, addresses)
    dump = tmp_path / "backup.json"
    call_command(
        "dumpdata",
        "results",
        "liveblog",
        "auth.user",
        "--natural-foreign",
        "--indent",
        "2",
        "--output",
        str(dump),
        verbosity=0,
    )

    empty_the_database()
    assert not County.objects.exists() and not Post.objects.exists()
    call_command("loaddata", str(dump), verbosity=0)

    after = render(client, addresses)
    assert after.keys() == before.keys()
    for address in addresses:
        assert after[address] == before[address], address
    assert len(addresses) > 150


def empty_the_database():
    """Delete every row the dump holds, dependants first. (Not `flush`: PostgreSQL will
    not truncate inside the transaction that wraps the test.)"""
    for name in DEPENDANTS_FIRST:
        apps.get_model(name).objects.all().delete()
    User.objects.all().delete()


DEPENDANTS_FIRST = [
    "liveblog.PostRevision",
    "liveblog.Block",
    "liveblog.PostConstituency",
    "liveblog.Post",
    "liveblog.LivePage",
    "results.ResultRevision",
    "results.Result",
    "results.Candidacy",
    "results.PublishedTally",
    "results.PublishedScoreboard",
    "results.Constituency",
    "results.County",
    "results.Region",
    "results.Party",
    "results.Election",
]
