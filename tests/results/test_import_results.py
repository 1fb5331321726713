"""`import_results`: the Northamptonshire results page into the database."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from results.models import Candidacy, Constituency, Party, Result, ResultSource
from tests.seeds import seed_path, seed_text
from tests.snapshots import database_rows

pytestmark = pytest.mark.django_db


def import_results(path, *args):
    out = StringIO()
    call_command("import_results", str(path), *args, stdout=out)
    return out.getvalue()


def test_creates_county_seats_candidacies_and_results():
    output = import_results(seed_path("001"))
    assert output == (
        "created 1 county, 7 constituencies, 47 candidacies, 7 results; updated nothing; "
        "removed nothing; unchanged nothing; left alone nothing\n"
    )
    assert Candidacy.objects.count() == 47
    assert Result.objects.count() == 7


def test_results_with_winners_majorities_and_verdicts(seeded):
    results = {
        result.constituency.name: (
            result.winner.name,
            result.winner.party.short_name,
            result.majority,
            result.verdict,
            result.turnout,
        )
        for result in Result.objects.select_related("constituency", "winner__party", "gained_from")
    }
    assert results == {
        "Corby and East Northamptonshire": ("Lee Barron", "LAB", 6331, "LAB GAIN FROM CON", None),
        "Daventry": ("Stuart Andrew", "CON", 3012, "CON HOLD", Decimal("65.63")),
        "Kettering": ("Rosie Wrighting", "LAB", 3820, "LAB GAIN FROM CON", Decimal("64.30")),
        "Northampton North": ("Lucy Rigby", "LAB", 9014, "LAB GAIN FROM CON", None),
        "Northampton South": ("Mike Reader", "LAB", 4071, "LAB GAIN FROM CON", None),
        "South Northamptonshire": ("Sarah Bool", "CON", 3687, "CON HOLD", None),
        "Wellingborough and Rushden": ("Gen Kitchen", "LAB", 5486, "LAB GAIN FROM CON", None),
    }
    assert set(Result.objects.values_list("source", flat=True)) == {ResultSource.SEED}


def test_party_labels_map_through_aliases(seeded):
    labels = dict(Candidacy.objects.values_list("party_label", "party__slug").distinct())
    assert labels == {
        "Labour": "labour",
        "Conservatives": "conservative",
        "Lib Dems": "liberal-democrat",
        "Greens": "green-party",
        "Reform UK": "reform-uk",
        "Ind": "independent",
        "Independent": "independent",
        "Workers' Party": "workers-party-of-britain",
        "SDP": "social-democratic-party",
        "TUSC": "trade-unionist-and-socialist-coalition",
        "Climate": "climate-party",
        "Alliance for Democracy and Freedom": "alliance-for-democracy-and-freedom",
    }


def test_each_independent_stands_alone(seeded):
    south = Constituency.objects.get(slug="south-northamptonshire")
    independents = south.candidacies.filter(party__slug="independent").order_by("-votes")
    assert [(c.name, c.votes) for c in independents] == [
        ("Ian McCord", 1556),
        ("Stuart Robert", 209),
    ]


def test_unknown_label_becomes_a_new_grey_party(db, tmp_path):
    document = tmp_path / "results.txt"
    document.write_text(
        seed_text("001").replace("Katie Simpson - TUSC", "Katie Simpson - Monster Raving Loony"),
        encoding="utf-8",
    )
    output = import_results(document)
    assert "new parties (shown grey): Monster Raving Loony" in output
    party = Party.objects.get(name="Monster Raving Loony")
    assert (party.colour, party.aliases) == ("#767676", ["Monster Raving Loony"])


def test_slugs_from_names(seeded):
    seat = Constituency.objects.get(name="Wellingborough and Rushden")
    assert seat.slug == "wellingborough-and-rushden"
    assert seat.candidacies.count() == 6


def test_county_from_the_title_or_the_option(db):
    import_results(seed_path("001"), "--county", "Northants")
    assert Constituency.objects.get(slug="kettering").county.name == "Northants"


def test_twice_changes_nothing(db):
    import_results(seed_path("001"))
    before = database_rows()
    output = import_results(seed_path("001"))
    assert database_rows() == before
    assert output.startswith("created nothing; updated nothing; removed nothing; unchanged ")


def test_dry_run_leaves_the_database_as_it_was(db):
    before = database_rows()
    output = import_results(seed_path("001"), "--dry-run")
    assert output.startswith("Dry run, nothing saved: created 1 county, 7 constituencies")
    assert database_rows() == before


def test_verdict_that_disagrees_with_the_votes_is_refused(seeded, tmp_path):
    document = tmp_path / "results.txt"
    document.write_text(
        seed_text("001").replace("Result: CONSERVATIVE HOLD", "Result: LABOUR HOLD"),
        encoding="utf-8",
    )
    before = database_rows()
    with pytest.raises(CommandError) as raised:
        import_results(document)
    assert str(raised.value) == (
        f"{document}, line 25: says LABOUR HOLD, but the votes make Stuart Andrew "
        "(Conservative) the winner"
    )
    assert database_rows() == before
