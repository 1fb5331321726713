"""Where each result's figures came from: the seed page and its line, the Library's file,
edition and row, or the results desk; and what the sources disagreed on."""

from datetime import datetime
from decimal import Decimal

import pytest

from results.documents import read_document
from results.models import Result
from results.national import LONDON, DeclarationTime, parse_declaration_times_csv
from results.parsers import parse_results_page
from tests.national_data import FILES, correct_by, national_data

pytestmark = pytest.mark.django_db

SEED = "001_b1854586a9c0b26e.txt"
LIBRARY = "HoC-GE2024-results-by-constituency.csv"
PROVENANCE = (
    "source",
    "source_document",
    "source_line",
    "source_edition",
    "declared_at_approximate",
    "discrepancies",
)

DECLARATIONS = (
    "ons_id,constituency_name,time_recorded,row_source\n"
    "W07000081,Aberafan Maesteg,2024-07-05 04:07:00,HoC Library xlsx (Friday 17:20)\n"
    'S14000094,"Inverness, Skye and West Ross-shire",2024-07-06 18:00:00,'
    '"added by tomwhite/ge-2024 CSV, not in HoC xlsx (time approximate)"\n'
)


def provenance(name):
    return tuple(getattr(Result.objects.get(constituency__name=name), f) for f in PROVENANCE)


def test_a_time_the_source_calls_approximate_is_marked():
    assert parse_declaration_times_csv(DECLARATIONS, "times.csv") == {
        "W07000081": DeclarationTime(datetime(2024, 7, 5, 4, 7, tzinfo=LONDON), False, 2),
        "S14000094": DeclarationTime(datetime(2024, 7, 6, 18, 0, tzinfo=LONDON), True, 3),
    }


def test_row_source_is_optional():
    times = parse_declaration_times_csv("ons_id,time_recorded\nE14001170,2024-07-05 02:30\n")
    assert times["E14001170"].approximate is False


def test_in_the_library_file_only_inverness_is_approximate():
    path = national_data() / FILES["declarations"]
    times = parse_declaration_times_csv(read_document(path), path.name)
    assert [(code, t.line) for code, t in times.items() if t.approximate] == [("S14000094", 651)]


def test_a_seed_seat_records_its_line():
    text = read_document(f"fixtures/seeds/{SEED}")
    kettering = next(s for s in parse_results_page(text, SEED).seats if s.name == "Kettering")
    assert (kettering.line, kettering.turnout) == (34, Decimal("64.30"))


def test_a_seed_result_records_its_page_and_line(seeded):
    assert provenance("Kettering") == ("seed", SEED, 34, "", False, [])


def test_a_library_result_records_its_edition_and_row_and_the_seeds_turnout(every_seat):
    assert provenance("Kettering") == (
        "national",
        LIBRARY,
        314,
        "updated 12 September 2024",
        False,
        [{"field": "turnout", "value": "64.30", "source": SEED, "line": 34}],
    )
    assert Result.objects.get(constituency__name="Kettering").turnout == Decimal("63.30")
    # The seeds agree with the Library on every other figure of every other seat.
    assert list(
        Result.objects.exclude(discrepancies=[]).values_list("constituency__name", flat=True)
    ) == ["Kettering"]


def test_inverness_declared_at_an_approximate_time(every_seat):
    inverness = Result.objects.get(constituency__name="Inverness, Skye and West Ross-shire")
    assert (inverness.declared_at_approximate, inverness.source_line) == (True, 304)
    assert Result.objects.filter(declared_at_approximate=True).count() == 1


def test_a_desk_correction_is_the_desks_own(every_seat):
    correct_by("kettering", 10)
    assert provenance("Kettering") == ("desk", "", None, "", False, [])


def test_a_desk_correction_keeps_an_approximate_time_it_leaves_alone(every_seat):
    correct_by("inverness-skye-and-west-ross-shire", 10)
    inverness = Result.objects.get(constituency__slug="inverness-skye-and-west-ross-shire")
    assert (inverness.source, inverness.declared_at_approximate) == ("desk", True)
