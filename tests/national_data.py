"""The House of Commons Library files in ../shared/data/ge2024, for tests that need them."""

import os
from pathlib import Path

import pytest

from results.national import LIBRARY_FILES as FILES

# Beside the checkout, as the Makefile's NATIONAL_DATA_DIR; told otherwise where the tests
# run from a copy of the project (mutmut's mutants/: docs/mutation.md).
DATA = Path(
    os.environ.get("NATIONAL_DATA_DIR")
    or Path(__file__).resolve().parents[2] / "shared" / "data" / "ge2024"
).resolve()

# The scoreboard the seed pages printed at the end of the night: (label, seats, change).
PUBLISHED_ON_THE_NIGHT = [
    ("Labour", 412, 211),
    ("Conservative", 121, -251),
    ("Liberal Democrat", 72, 64),
    ("Scottish National Party", 9, -39),
    ("Sinn Féin", 7, 0),
    ("Others", 29, 15),
]

# The site's scoreboard at the end: the published five, then its Others party by party,
# as every party with a seat is named (issue 30); ties go to more seats held in 2019.
SCOREBOARD_AT_THE_END = PUBLISHED_ON_THE_NIGHT[:5] + [
    ("Independents", 6, 6),
    ("Democratic Unionist Party", 5, -3),
    ("Reform UK", 5, 5),
    ("Plaid Cymru", 4, 2),
    ("Green Party", 4, 3),
    ("Social Democratic and Labour Party", 2, 0),
    ("Alliance Party of Northern Ireland", 1, 0),
    ("Traditional Unionist Voice", 1, 1),
    ("Ulster Unionist Party", 1, 1),
]


# The exit poll file's labels by the Library's abbreviations, as the tests read them
# (their own oracle, not the site's matching of labels to parties).
EXIT_POLL_KEYS = {
    "Labour": "Lab",
    "Conservative": "Con",
    "Liberal Democrat": "LD",
    "Reform UK": "RUK",
    "Scottish National Party": "SNP",
    "Plaid Cymru": "PC",
    "Green Party": "Green",
    "Others": "Oth",
}


def has_national_data():
    return all((DATA / name).is_file() for name in FILES.values())


def national_data():
    """The folder of the files; skips the test where they are missing, fails it in CI."""
    if not has_national_data():
        message = (
            f"{DATA} is missing: get the GE2024 results files from the House of Commons "
            "Library, briefing CBP-10009 (see README)"
        )
        # In CI the files are beside the checkout, so their absence is a fault.
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return DATA


def import_national_arguments(folder, *names):
    """`import_national` options for the files named (all four by default)."""
    arguments = []
    for name in names or FILES:
        arguments += [f"--{name}", str(folder / FILES[name])]
    return arguments


def correct_by(slug, votes):
    """The winner's votes raised, the result declared again, as the desk would."""
    from django.db import transaction

    from results.models import Result
    from results.services import result_declare

    result = Result.objects.select_related("winner", "constituency").get(constituency__slug=slug)
    with transaction.atomic():
        result.winner.votes += votes
        result.winner.save(update_fields=["votes"])
        result_declare(
            constituency=result.constituency,
            outcome=result.outcome,
            gained_from=result.gained_from,
            electorate=result.electorate,
            declared_at=result.declared_at,
        )
