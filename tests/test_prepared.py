"""Queries compiled once and run again with other values (pages.prepared) give the rows
their QuerySets give, on SQLite and PostgreSQL alike."""

import pytest

from pages.prepared import Prepared
from pages.seats import figure_rows, seat_notional_rows, seat_tally_rows, sitting_mp_rows
from results.models import Constituency, Party
from results.scoreboard import notional_rows, tally_rows

one_seat_figures = figure_rows.one_seat
one_seat_tally_rows = seat_tally_rows.one_seat
one_seat_notional_rows = seat_notional_rows.one_seat


def test_a_seats_figures_are_its_querysets_rows_for_every_seat(every_seat):
    # Times, booleans and numbers from annotations and subqueries: each comes back as the
    # QuerySet gives it, through the same converters.
    slugs = list(Constituency.objects.values_list("slug", flat=True))
    assert len(slugs) == 650
    for slug in slugs:
        expected = list(Constituency.objects.figures().filter(slug=slug))
        assert one_seat_figures(slug) == expected
    kettering = one_seat_figures("kettering")[0]
    assert (kettering["name"], kettering["result__declared_at"].isoformat()) == (
        "Kettering",
        "2024-07-05T05:42:00+00:00",
    )
    assert str(kettering["result__turnout"]) == "63.30"


@pytest.mark.parametrize(
    "slug, declared",
    [("kettering", True), ("south-derbyshire", False), ("corby-and-east-northamptonshire", True)],
)
def test_a_seats_tally_rows_are_its_querysets_rows(seeded, slug, declared):
    seats = Constituency.objects.filter(slug=slug)
    assert one_seat_tally_rows(slug) == list(tally_rows(seats))
    assert one_seat_notional_rows(slug) == list(notional_rows(seats))
    assert one_seat_tally_rows(slug)[0][:2] == (slug, declared)


def test_a_few_seats_rows_are_those_of_one_query_of_them(every_seat):
    # Two sitting MPs stood in Alloa and Grangemouth; none in Dunfermline and Dollar.
    few = ["alloa-and-grangemouth", "dunfermline-and-dollar", "kettering"]
    assert [(slug, name, party) for slug, _, name, _, party in sitting_mp_rows(few)] == [
        ("alloa-and-grangemouth", "John Nicolson", "SNP"),
        ("alloa-and-grangemouth", "Kenny MacAskill", "Alba"),
        ("dunfermline-and-dollar", None, None),
        ("kettering", "Philip Hollobone", "CON"),
    ]
    assert sitting_mp_rows(few) == list(Constituency.objects.filter(slug__in=few).sitting_mps())


def test_a_seat_not_there_has_no_rows(seeded):
    assert one_seat_figures("atlantis") == []
    assert one_seat_tally_rows("atlantis") == []


def test_two_values_go_each_to_its_place(seeded):
    pair = Prepared(
        lambda slug, colour: (
            Party.objects.filter(slug=slug).exclude(colour=colour).values_list("name")
        ),
        arity=2,
    )
    assert pair("labour", "#000000") == [("Labour",)]
    assert pair("labour", "#E4003B") == []
    assert pair("conservative", "#E4003B") == [("Conservative",)]


def test_a_call_with_the_wrong_number_of_values_is_refused(seeded):
    with pytest.raises(TypeError, match="expected 1 values, got 2"):
        one_seat_figures("kettering", "corby")


def test_a_query_that_does_not_use_its_placeholder_once_is_refused(seeded):
    unused = Prepared(lambda slug: Party.objects.values_list("name"))
    with pytest.raises(ValueError, match="a placeholder is in the query's values 0 times"):
        unused("labour")
    twice = Prepared(
        lambda slug: Party.objects.filter(slug=slug).exclude(name=slug).values_list("name")
    )
    with pytest.raises(ValueError, match="a placeholder is in the query's values 2 times"):
        twice("labour")


def test_a_query_of_model_instances_is_refused(seeded):
    with pytest.raises(TypeError, match=r"a Prepared query gives values\(\) or values_list"):
        Prepared(lambda slug: Party.objects.filter(slug=slug))("labour")
