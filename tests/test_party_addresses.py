"""Issue 30: one address style for parties, the party's full name as a place's is made
from its name; the old short forms (`/parties/green/`) redirect for good."""

import importlib

import pytest

from results.models import Party
from tests.pages import text_of

# The six parties whose address was a short form; every other address already was the
# party's name in lower case with hyphens.
RENAMED = {
    "green": "green-party",
    "sdlp": "social-democratic-and-labour-party",
    "alliance": "alliance-party-of-northern-ireland",
    "workers-party": "workers-party-of-britain",
    "sdp": "social-democratic-party",
    "tusc": "trade-unionist-and-socialist-coalition",
}


@pytest.mark.django_db
def test_every_party_is_addressed_by_its_name():
    addresses = dict(Party.objects.values_list("name", "slug"))
    assert addresses["Green Party"] == "green-party"
    assert addresses["Democratic Unionist Party"] == "democratic-unionist-party"
    assert addresses["Social Democratic and Labour Party"] == "social-democratic-and-labour-party"
    assert addresses["Sinn Féin"] == "sinn-fein"
    for name, slug in addresses.items():
        spelt = "".join(c if c.isalnum() else " " for c in name.lower().replace("é", "e"))
        assert slug == "-".join(spelt.split()), name


@pytest.mark.django_db
def test_old_party_addresses_redirect_for_good(client, every_seat):
    for old, new in RENAMED.items():
        response = client.get(f"/parties/{old}/")
        assert (response.status_code, response["Location"]) == (301, f"/parties/{new}/")
        response = client.get(f"/data/parties/{old}.csv")
        assert (response.status_code, response["Location"]) == (301, f"/data/parties/{new}.csv")
        response = client.get(f"/api/v1/parties/{old}")
        assert (response.status_code, response["Location"]) == (301, f"/api/v1/parties/{new}")
    text = text_of(client.get("/parties/green-party/"))
    assert "4 seats won" in text  # the Library: Green won 4 seats
    assert client.get("/parties/no-such-party/").status_code == 404


@pytest.mark.django_db
def test_old_party_filters_keep_working(client, every_seat):
    for party in ("green", "green-party"):
        text = text_of(client.get("/constituencies/", {"party": party}))
        assert "4 seats match · Download these 4 seats as CSV" in text, party
        page = client.get("/constituencies/", {"party": party}).content.decode()
        assert '<option value="green-party" selected>Green Party</option>' in page
        assert 'href="/data/constituencies.csv?party=green-party"' in page
        lines = client.get("/data/constituencies.csv", {"party": party}).content.decode()
        assert len(lines.strip().splitlines()) == 1 + 4
        answer = client.get("/api/v1/constituencies", {"party": party}).json()
        assert answer["count"] == 4
    held = client.get("/api/v1/constituencies", {"held": "sdlp"}).json()
    assert held["count"] == 2  # Foyle and Belfast South and Mid Down, notionally


@pytest.mark.django_db
def test_the_migration_renames_parties_in_a_database_made_before():
    """Migration 0009's data step, on parties as the old fixture made them. (Its schema
    step is Django's; running it here would need a transactional test, which cannot
    run after the browser tests in one process.)"""
    from django.apps import apps

    migration = importlib.import_module("results.migrations.0009_party_slugs_from_names")
    for old, new in RENAMED.items():
        Party.objects.filter(slug=new).update(slug=old, former_slug="")
    migration.rename_parties(apps, None)
    for old, new in RENAMED.items():
        assert Party.objects.get(slug=new).former_slug == old
    assert not Party.objects.filter(slug__in=list(RENAMED)).exists()
    assert Party.objects.get(slug="labour").former_slug == ""
    migration.rename_parties(apps, None)  # twice changes nothing
    assert Party.objects.get(slug="green-party").former_slug == "green"
    migration.restore_slugs(apps, None)
    assert Party.objects.get(slug="green").former_slug == ""


@pytest.mark.django_db
def test_imports_find_a_renamed_party_by_either_address(seeded):
    from django.core.management import call_command

    from results.imports import ImportSummary, PartyResolver

    parties = Party.objects.count()
    call_command("import_seeds", verbosity=0)
    assert Party.objects.count() == parties
    assert not Party.objects.filter(slug__in=list(RENAMED)).exists()
    summary = ImportSummary()
    resolver = PartyResolver(summary)
    for old, new in RENAMED.items():
        assert resolver.resolve(old).slug == new
    assert summary.new_parties == []
