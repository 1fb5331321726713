"""`import_national`: every seat in the country from the House of Commons Library files."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from results.models import (
    Candidacy,
    Constituency,
    Election,
    Region,
    Result,
    ResultSource,
)
from results.scoreboard import national_scoreboard, scoreboard_from_results
from tests.national_data import (
    FILES,
    PUBLISHED_ON_THE_NIGHT,
    SCOREBOARD_AT_THE_END,
    import_national_arguments,
    national_data,
)
from tests.pages import text_of
from tests.snapshots import database_rows

pytestmark = pytest.mark.django_db


def import_national(*arguments):
    out = StringIO()
    call_command("import_national", *arguments, stdout=out)
    return out.getvalue()


@pytest.fixture
def folder():
    return national_data()


@pytest.fixture
def national(db, folder):
    return import_national(*import_national_arguments(folder))


def test_every_seat_and_candidacy(national):
    assert Constituency.objects.count() == 650
    assert Candidacy.objects.count() == 4515
    assert Result.objects.count() == 650
    assert Region.objects.count() == 12
    assert Result.objects.exclude(declared_at=None).count() == 650
    assert not Constituency.objects.filter(notional_winner=None).exists()
    assert national.startswith(
        "created 12 regions, 650 constituencies, 77 parties, 4515 candidacies, 650 results, "
        "3331 2019 notional votes; "
        "updated nothing; removed nothing; unchanged nothing; left alone nothing; new parties "
        "(shown grey): Heritage Party, Alba Party, Scottish Family Party,"
    )
    assert "Monster Raving Loony Party" not in national.splitlines()[0]  # only ten named
    assert " and 67 more\n" in national


def test_the_scoreboard_equals_the_one_printed_on_the_night(national):
    scoreboard = scoreboard_from_results(Election.objects.current())
    # The published scoreboard's lines, its Others 29 (+15) named party by party.
    assert [(row.label, row.seats, row.change) for row in scoreboard.rows] == SCOREBOARD_AT_THE_END
    others = SCOREBOARD_AT_THE_END[5:]
    assert PUBLISHED_ON_THE_NIGHT[5] == ("Others", 29, 15)
    assert (sum(row[1] for row in others), sum(row[2] for row in others)) == (29, 15)
    assert (scoreboard.seats_for_majority, scoreboard.seats_to_go) == (326, 0)


def test_the_computed_scoreboard_matches_every_seed_page(db, folder):
    call_command("import_seeds", verbosity=0)
    import_national(*import_national_arguments(folder))
    computed = national_scoreboard(Election.objects.current())
    assert computed.source == "computed"
    published = [
        (t.seats, t.change) for t in Election.objects.current().published_scoreboard.tallies.all()
    ]
    # The printed Others line is the computed lines after the first five, added up.
    rows = [(row.seats, row.change) for row in computed.rows]
    rest = rows[len(published) - 1 :]
    assert rows[: len(published) - 1] + [tuple(map(sum, zip(*rest, strict=True)))] == published


def test_seats_checked_against_the_library(national):
    chorley = Result.objects.with_parties().get(constituency__name="Chorley")
    assert (chorley.winner.name, chorley.winner.party.name, chorley.label) == (
        "Lindsay Hoyle",
        "Speaker",
        "Spk hold",
    )
    leicester_south = Result.objects.with_parties().get(constituency__name="Leicester South")
    assert (leicester_south.verdict, leicester_south.majority) == ("IND GAIN FROM LAB", 979)
    assert leicester_south.winner.name == "Shockat Adam"
    dales = Result.objects.with_parties().get(constituency__name="Derbyshire Dales")
    assert (dales.winner.party.short_name, dales.majority) == ("LAB", 350)
    daventry = Result.objects.get(constituency__name="Daventry")
    assert (daventry.turnout, daventry.electorate, daventry.valid_votes) == (
        Decimal("65.63"),
        80879,
        53082,
    )
    inverness = Result.objects.get(constituency__name="Inverness, Skye and West Ross-shire")
    assert inverness.declared_at.isoformat() == "2024-07-06T17:00:00+00:00"


def test_shares_and_changes_are_percentages(national):
    kettering = {c.name: c for c in Candidacy.objects.filter(constituency__name="Kettering")}
    assert kettering["Rosie Wrighting"].share == Decimal("35.85")
    assert kettering["Rosie Wrighting"].share_change is not None
    assert -100 < kettering["Rosie Wrighting"].share_change < 100


def test_two_candidates_with_one_name(national):
    greg_smiths = Candidacy.objects.filter(
        constituency__name="Mid Buckinghamshire", name="Greg Smith"
    ).order_by("-votes")
    assert [(c.party.short_name, c.votes) for c in greg_smiths] == [("CON", 20150), ("GRN", 2942)]


def test_importing_twice_changes_nothing(national, folder):
    before = database_rows()
    with CaptureQueriesContext(connection) as queries:
        output = import_national(*import_national_arguments(folder))
    assert database_rows() == before
    assert output == (
        "created nothing; updated nothing; removed nothing; unchanged 12 regions, 650 "
        "constituencies, 4515 candidacies, 650 results, 3331 2019 notional votes; left alone "
        "nothing\n"
    )
    # Bulk reads, no writes, and no query per row.
    assert len(queries.captured_queries) < 20


def test_seeds_then_national_are_the_same_rows_with_the_same_figures(db, folder):
    call_command("import_seeds", verbosity=0)
    northamptonshire = Constituency.objects.filter(county__slug="northamptonshire")

    def figures():
        return {
            seat.slug: (
                seat.pk,
                seat.result.pk,
                seat.result.winner_id,
                seat.result.outcome,
                seat.result.gained_from_id,
                seat.result.majority,
                sorted(seat.candidacies.values_list("pk", "party_id", "votes", "share")),
            )
            for seat in northamptonshire.select_related("result")
        }

    from_seeds = figures()
    output = import_national(*import_national_arguments(folder))
    assert figures() == from_seeds
    assert Constituency.objects.count() == 650
    assert Constituency.objects.filter(county__slug="northamptonshire").count() == 7
    assert output.endswith(
        "  discrepancy: Kettering: 'Jehad Aburamadan' is 'Jehad Abduramadan' in "
        f"{folder}/HoC-GE2024-results-by-candidate.csv (line 2172)\n"
        "  discrepancy: Kettering: turnout 64.30 in 001_b1854586a9c0b26e.txt, 63.30 in "
        f"{folder}/HoC-GE2024-results-by-constituency.csv (line 314)\n"
    )
    assert set(Result.objects.values_list("source", flat=True)) == {ResultSource.NATIONAL}


def test_seeds_afterwards_leave_national_results_alone(db, folder):
    call_command("import_seeds", verbosity=0)
    import_national(*import_national_arguments(folder))
    before = database_rows()
    out = StringIO()
    call_command("import_seeds", stdout=out)
    assert database_rows() == before
    assert "  left alone: Kettering: the result comes from the national results file" in (
        out.getvalue()
    )


def test_page_query_counts_stay_as_at_seed_scale(client, db, folder):
    from tests.test_query_counts import PAGES, count_queries

    call_command("import_seeds", verbosity=0)
    import_national(*import_national_arguments(folder))
    for name in ("county", "constituency", "party", "declarations feed"):
        seed_address, _, queries = PAGES[name]
        assert count_queries(client, seed_address) == queries, name
    # With every seat in, there is nothing to project: the projection's five queries go.
    assert count_queries(client, "/") == PAGES["home"][2] - 5


def test_region_pages(client, national):
    text = text_of(client.get("/regions/east-midlands/"))
    assert "East Midlands" in text
    assert "47 of 47 seats declared" in text
    assert "Derbyshire Dales LAB GAIN FROM CON John Whitby, Labour, majority 350" in text
    home = client.get("/").content.decode()
    for region in Region.objects.all():
        assert f'<a href="/regions/{region.slug}/">{region.name}</a>' in home


def test_the_night_replayed(client, national):
    early = text_of(client.get("/", {"at": "03:00"}))
    assert "The night replayed: as it stood at 03:00 BST, Friday 5 July . See the final" in early
    declared_by_three = Result.objects.filter(declared_at__lte="2024-07-05T02:00:00Z").count()
    assert declared_by_three == 44
    assert "Labour leads with 40 seats, 286 short of the 326 needed for a majority." in early
    assert "44 of 650 seats declared · 606 to go" in early
    final = text_of(client.get("/"))
    assert "650 of 650 seats declared · 0 to go" in final
    everything = text_of(client.get("/", {"at": "2024-07-06T18:00"}))
    assert "650 of 650 seats declared · 0 to go" in everything


def test_declarations_by_hour_chart(client, national):
    html = client.get("/").content.decode()
    assert "The night, hour by hour" in html
    assert '<a href="?at=23:59">23:00–23:59</a>' in html
    text = text_of(client.get("/"))
    assert "Declarations by hour Hours with no declaration are left out. Hour Declared" in text
    # The chart has a bar for every hour of the night, empty ones too, and its axes.
    assert "Declarations per hour, from 22:00 on polling day: 23:00 2, 00:00 1," in html
    assert ">22:00</text>" in html and ">02:00</text>" in html and ">Later</text>" in html
    # Each bar as high as its count against the tallest hour's (pages.charts).
    assert '<rect x="18" y="99.01" width="12" height="0.99" fill="#0e2340"/>' in html
    assert '<text x="392" y="120" text-anchor="middle">Later</text>' in html
    assert '<a href="?at=18:59">18:00–18:59</a></th><td class="num">1</td>' in html
    # The chart's last bar is every hour after the night; the table gives each its own
    # row: Inverness, Skye and West Ross-shire declared at 18:00 the day after.
    assert (
        '<a href="?at=2024-07-06T18:59">18:00–18:59, Sat 6 Jul</a></th><td class="num">1</td>'
        '<td class="num">650</td>'
    ) in html
    # Replayed, the hours after the moment shown are marked as later.
    replayed = client.get("/", {"at": "00:30"}).content.decode()
    assert '<tr><th scope="row"><a href="?at=00:59">00:00–00:59</a>' in replayed
    assert '<tr class="later"><th scope="row"><a href="?at=01:59">01:00–01:59</a>' in replayed
    assert 'class="later"' not in html


def broken_copy(folder, tmp_path, name, old, new):
    """A copy of one of the files with one change; returns its path."""
    text = (folder / name).read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_missing_columns_name_the_file_and_line(db, folder, tmp_path):
    bad = tmp_path / "constituencies.csv"
    bad.write_text("\ufeffONS ID,Constituency name\nE14001311,Kettering\n", encoding="utf-8")
    with pytest.raises(CommandError) as raised:
        import_national(
            "--constituencies", str(bad), *import_national_arguments(folder, "candidates")
        )
    assert str(raised.value).startswith(f"{bad}, line 1: missing columns 'ONS region ID', ")


def test_a_file_that_is_not_utf8(db, folder, tmp_path):
    # The Library's file as an old spreadsheet export writes it, in cp850: its first
    # letter that is not ASCII ("Môn", say) is a byte that UTF-8 cannot read.
    raw = tmp_path / "HoC-GE2024-results-by-constituency_cp850.csv"
    text = (folder / FILES["constituencies"]).read_text(encoding="utf-8-sig")
    raw.write_bytes(text.encode("cp850", errors="replace"))
    line = next(n for n, row in enumerate(text.splitlines(), 1) if not row.isascii())
    with pytest.raises(CommandError) as raised:
        import_national(
            "--constituencies", str(raw), *import_national_arguments(folder, "candidates")
        )
    assert str(raised.value).startswith(f"{raw}, line {line}: ")
    assert "is not UTF-8" in str(raised.value)


@pytest.mark.parametrize(
    ("name", "old", "new", "message"),
    [
        pytest.param(
            "HoC-GE2024-results-by-candidate.csv",
            "Lucas,Grant,Male,No,No,,214,",
            "Lucas,Grant,Male,No,No,,2l4,",
            "line 10: Votes '2l4' is not a whole number",
            id="votes-not-a-number",
        ),
        pytest.param(
            "HoC-GE2024-results-by-constituency.csv",
            ",Lab gain from Con,Lab,Con,79360,50231,",
            ",Con hold,Con,Lab,79360,50231,",
            "Kettering: Result 'Con hold' names another winner than the votes (Rosie Wrighting)",
            id="winner-disagrees",
        ),
        pytest.param(
            "HoC-GE2024-winning-members-time-recorded.csv",
            '"Inverness, Skye and West Ross-shire",,,,2024-07-06 18:00:00,',
            '"Inverness, Skye and West Ross-shire",,,,2099-07-06 18:00:00,',
            "line 651: time_recorded 2099-07-06 18:00:00 is not in the night of the election: "
            "give a time from 22:00, 4 Jul 2024, when polls closed, to 22:00, 11 Jul 2024.",
            id="time-outside-the-night",
        ),
    ],
)
def test_bad_rows_name_the_file_and_line_and_change_nothing(
    db, folder, tmp_path, name, old, new, message
):
    call_command("import_seeds", verbosity=0)
    bad = broken_copy(folder, tmp_path, name, old, new)
    arguments = import_national_arguments(folder)
    arguments[arguments.index(str(folder / name))] = str(bad)
    before = database_rows()
    with pytest.raises(CommandError) as raised:
        import_national(*arguments)
    assert message in str(raised.value)
    assert str(raised.value).startswith(str(tmp_path))
    assert database_rows() == before
