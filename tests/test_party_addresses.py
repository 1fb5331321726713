"""Issue 30: one address style for parties, the party's full name as a place's is made
from its name; the old short forms (`/parties/green/`) redirect for good."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

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


@pytest.mark.django_db(transaction=True)
def test_the_migration_renames_parties_in_a_database_made_before():
    executor = MigrationExecutor(connection)
    executor.migrate([("results", "0008_exit_poll")])
    old_apps = executor.loader.project_state([("results", "0008_exit_poll")]).apps
    OldParty = old_apps.get_model("results", "Party")
    for old, new in RENAMED.items():
        OldParty.objects.filter(slug=new).update(slug=old)  # as made from the old fixture
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    for old, new in RENAMED.items():
        party = Party.objects.get(slug=new)
        assert party.former_slug == old
    assert Party.objects.filter(slug__in=list(RENAMED)).count() == 0
    assert Party.objects.get(slug="labour").former_slug == ""


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
