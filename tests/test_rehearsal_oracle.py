"""The rehearsal's oracle (scripts/rehearsal/oracle.py) works out from the Library's files
alone what the site should show: its figures at the end of the night are the ones the seed
pages printed, and its page readers read what a reader sees."""

import sys
from pathlib import Path

import pytest

from tests.national_data import PUBLISHED_ON_THE_NIGHT, national_data

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from rehearsal.dom import parse  # noqa: E402
from rehearsal.oracle import Night  # noqa: E402
from rehearsal.pages import Checker, party_key, same_party  # noqa: E402


@pytest.fixture(scope="module")
def night():
    return Night(national_data(), ROOT / "fixtures" / "seeds" / "manifest.toml")


def test_the_oracle_ends_the_night_with_the_published_scoreboard(night):
    """The published scoreboard's five parties, and its Others 29 (+15) named party by
    party, as the site names every party with a seat (issue 30)."""
    rows = [(row.label, row.seats, row.change) for row in night.scoreboard(650)]
    *named, (_, others, others_change) = PUBLISHED_ON_THE_NIGHT
    assert [(party_key(label), seats, change) for label, seats, change in rows[:5]] == [
        (party_key(label), seats, change) for label, seats, change in named
    ]
    assert [(party_key(label), seats) for label, seats, _ in rows[5:]] == [
        ("independents", 6),
        ("democratic unionist", 5),
        ("reform uk", 5),
        ("plaid cymru", 4),  # ties: more held in 2019 first (2 against the Greens' 1)
        ("green", 4),
        ("social democratic and labour", 2),
        ("alliance", 1),
        ("traditional unionist voice", 1),
        ("ulster unionist", 1),
    ]
    assert sum(seats for _, seats, _ in rows[5:]) == others == 29
    assert sum(change for _, _, change in rows[5:]) == others_change == 15


def test_the_oracle_follows_the_night_in_the_librarys_order(night):
    assert len(night.seats) == 650
    first = night.seats[0]
    assert (first.name, f"{first.declared_at:%H:%M}") == ("Houghton and Sunderland South", "23:30")
    assert (first.winner.name, first.majority, first.gain) == ("Bridget Phillipson", 7169, False)
    assert [(r.label, r.seats, r.change) for r in night.scoreboard(20)] == [
        ("Labour", 18, 6),
        ("Conservative", 1, -7),
        ("Liberal Democrat", 1, 1),
    ]
    assert night.projection_basis(2) is None and night.projection_basis(3) == 3
    assert night.projection_basis(650) is None
    derbyshire = night.in_county("Derbyshire")
    assert len(derbyshire) == 11
    declared, tally = night.area(650, derbyshire)
    assert len(declared) == 11 and tally == {"Labour": (11, 9), "Conservative": (0, -9)}


def test_party_names_compare_as_readers_read_them():
    assert same_party("Sinn Féin", "Sinn Fein")
    assert same_party("Green Party", "Green")
    assert same_party("Alliance Party of Northern Ireland", "Alliance")
    assert not same_party("Alliance for Democracy and Freedom", "Alliance Party")
    assert not same_party("Labour", "Liberal Democrat")


def test_a_page_that_shows_another_figure_is_a_disagreement(night):
    """The checks can fail: a county page one seat behind is caught, line by line."""
    page = parse(
        '<div data-live="county-results"><p class="counts"><strong>0</strong> of 11 seats '
        "declared</p><table><tbody></tbody></table><ul><li>Erewash Awaiting declaration</li>"
        "</ul></div>"
    )
    erewash = next(n for n, s in enumerate(night.seats, 1) if s.name == "Erewash")
    found = Checker(night).area(
        "county", page, page, night.in_county("Derbyshire"), erewash, tally_only=True
    )
    assert ("county", "0 of 11 seats declared", "1 of 11 seats declared") in found
    assert ("county", "Labour: None", "Labour: (1, 1)") in found
    assert (
        "county",
        "Erewash Awaiting declaration",
        "Erewash: GAIN FROM, Adam Thompson, majority 5,859",
    ) in found


def test_changes_in_share_are_the_librarys_worked_out_again(night):
    """Erewash: each change in share from Rallings & Thrasher's 2019 votes is the
    Library's "Change" (0.053184 is +5.32 points); Reform UK's is against the Brexit
    Party, which did not stand there in 2019, so none; an independent's cannot be said."""
    erewash = next(seat for seat in night.seats if seat.name == "Erewash")
    changes = {c.name: erewash.share_change(c) for c in erewash.candidates}
    assert {name: str(change) for name, change in changes.items()} == {
        "Adam Thompson": "5.32",
        "Maggie Throup": "-30.03",
        "Brent Poland": "3.48",
        "James Archer": "0.55",
        "Liam Booth-Isherwood": "None",
        "John Kirby": "NotImplemented",
    }
    assert str(erewash.swing) == "17.68"  # (5.32 + 30.03) / 2, rounded half up


def test_two_candidates_of_one_name_are_told_apart_by_party(night):
    """Mid Buckinghamshire had two Greg Smiths: the Conservative (20,150) and the Green
    (2,942). An answer with both right agrees; one with their votes swapped does not."""
    seat = next(s for s in night.seats if s.name == "Mid Buckinghamshire")
    candidates = [
        {"name": c.name, "party": {"name": night.name_of(c.party)}, "votes": c.votes}
        for c in seat.candidates
    ]
    answer = {"candidates": candidates}
    checker = Checker(night)
    assert not [d for d in checker.seat_api(answer, seat) if d[1].startswith("Greg Smith votes")]
    smiths = [c for c in candidates if c["name"] == "Greg Smith"]
    smiths[0]["votes"], smiths[1]["votes"] = smiths[1]["votes"], smiths[0]["votes"]
    found = checker.seat_api(answer, seat)
    assert sorted(d[1] for d in found if d[1].startswith("Greg Smith votes")) == [
        "Greg Smith votes: 20150",
        "Greg Smith votes: 2942",
    ]


def test_the_list_of_seats_still_to_declare_is_checked(night):
    """After 60 declarations: 590 to go, and no seat that has declared in the list."""
    first = night.seats[0].name  # Houghton and Sunderland South, declared first
    checker = Checker(night)
    right = parse("<main><p>590 seats still to declare.</p><ul><li>Aldershot</li></ul></main>")
    assert checker.still_to_declare(right, 60) == []
    wrong = parse(f"<main><p>600 seats still to declare.</p><ul><li>{first}</li></ul></main>")
    assert checker.still_to_declare(wrong, 60) == [
        ("still to declare", "600 seats still to declare.", "590 seats still to declare."),
        ("still to declare", f"1 declared seats listed ({first}...)", "none"),
    ]


def test_one_seat_still_to_declare_is_one_seat(night):
    last = night.seats[-1].name
    page = parse(f"<main><p>1 seat still to declare.</p><ul><li>{last}</li></ul></main>")
    assert Checker(night).still_to_declare(page, 649) == []


def test_the_exit_poll_is_checked_until_seats_take_over(night):
    """The broadcasters' 2024 poll leads the home page and the strip before the
    projection's 3 seats have declared (Labour majority 170); a page without it, or with
    a figure wrong, is caught, and so is one still leading after the 3rd."""
    assert night.exit_poll[0] == ("Labour", 410) and night.exit_poll[-1] == ("Others", 19)
    assert night.exit_poll_majority() == ("Labour", 170)
    rows = "".join(
        f'<tr><th scope="row">{label}</th><td>{seats}</td></tr>' for label, seats in night.exit_poll
    )
    lead = (
        '<div data-live="exit-poll"><section><h2>Exit poll, 22:00 · Ipsos for BBC, ITV News '
        'and Sky News</h2><p class="lede">Labour majority 170, if the poll is right.</p>'
        f"<table><tbody>{rows}</tbody></table></section></div>"
        '<div data-live="exit-poll-beside"></div>'
    )
    checker = Checker(night)
    assert checker.exit_poll_home(parse(lead), 0) == []
    wrong = lead.replace("<td>61</td>", "<td>16</td>")
    assert checker.exit_poll_home(parse(wrong), 0) == [
        (
            "home exit poll",
            "Labour 410; Conservative 131; Liberal Democrat 16; Reform UK 13; Scottish "
            "National Party 10; Plaid Cymru 4; Green Party 2; Others 19",
            "Labour 410; Conservative 131; Liberal Democrat 61; Reform UK 13; Scottish "
            "National Party 10; Plaid Cymru 4; Green Party 2; Others 19",
        )
    ]
    assert checker.exit_poll_home(parse(lead), 3)[0][2] == (
        "Labour 410, Conservative 131, Liberal Democrat 61, Reform UK 13, Scottish National "
        "Party 10, Plaid Cymru 4, Green Party 2, Others 19. Labour majority 170."
    )
    strip = parse(
        '<aside class="strip"><div class="strip__poll"><p>Exit poll, 22:00 a poll, not a '
        "result</p><ul>"
        + "".join(f"<li>X <strong>{seats}</strong></li>" for _, seats in night.exit_poll)
        + "</ul></div><h2>National result</h2><p>650 seats to go</p></aside>"
    )
    assert checker.exit_poll_strip("county", strip, 2) == []
    assert checker.strip("county", strip, 0) == []  # the poll's lines are not the result's
    assert checker.exit_poll_strip("county", strip, 3)[0][2] == "no exit poll"
    assert checker.exit_poll_strip("county", parse('<aside class="strip"></aside>'), 0) == [
        ("county strip", "no exit poll", "the exit poll")
    ]
