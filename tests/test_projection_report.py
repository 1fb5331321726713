"""docs/projection.md's hourly table, checked at a few hours against the Library files read
here with the csv module (the seats declared by each hour, the final seats) and the exit
poll file. The whole night's replay is the script's (`make projection-report`)."""

import csv
import re
import sys
from collections import Counter
from pathlib import Path

import pytest

from results.projection import (
    SHOWN_METHOD,
    Method,
    grouped,
    misallocated,
    project,
    seats_from_national,
)
from tests.national_data import EXIT_POLL_KEYS, national_data

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "projection.md"


def rows_of(path):
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def report():
    """The report's functions (the script reads the same files through the parsers)."""
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import projection_report
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    return projection_report


@pytest.fixture(scope="module")
def table():
    """{hour label: {column: cell}} from the document's hourly table."""
    lines = DOC.read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("| Hour (BST)"))
    header = [cell.strip() for cell in lines[start].strip("|").split("|")]
    rows = {}
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        cells = dict(
            zip(header, (cell.strip() for cell in line.strip("|").split("|")), strict=True)
        )
        rows[cells["Hour (BST)"].removesuffix(" (not shown)")] = cells
    return rows


def figure(cell):
    """12 from '12 (14)': the seats misallocated in the exit poll's categories."""
    return int(re.match(r"\d+", cell).group())


@pytest.mark.parametrize(("hour", "declared"), [("03:00", 44), ("05:00", 256)])
def test_the_hourly_table_agrees_with_the_library_files(report, table, hour, declared):
    folder = national_data()
    by_constituency = rows_of(folder / "HoC-GE2024-results-by-constituency.csv")
    final = Counter(row["First party"] for row in by_constituency)
    times = {
        row["ons_id"]: row["time_recorded"]
        for row in rows_of(folder / "HoC-GE2024-winning-members-time-recorded.csv")
    }
    cutoff = f"2024-07-05 {hour}:00"
    declared_codes = {code for code, when in times.items() if when and when <= cutoff}
    poll = {
        EXIT_POLL_KEYS[row["party"]]: int(row["seats"])
        for row in rows_of(folder / "exit-poll-2024.csv")
    }
    row = table[hour]

    assert len(declared_codes) == declared == int(row["Declared"])
    assert int(row["Exit poll"]) == misallocated(grouped(poll), grouped(final)) == 19
    data = report.load()
    seats = seats_from_national(
        data["notional_votes"], data["constituencies"], data["candidacies"], declared_codes
    )
    for method, column in [
        (Method.UNIFORM, "Uniform"),
        (Method.REGIONAL, "Regional"),
        (SHOWN_METHOD, "Seat model"),
    ]:
        projection = project(seats, method, prior=poll)
        assert figure(row[column]) == misallocated(grouped(projection.seats), grouped(final))
    shown = project(seats, SHOWN_METHOD, prior=poll)
    labour = f"{shown.seats['Lab']} ({shown.ranges['Lab'][0]}–{shown.ranges['Lab'][1]})"
    assert row["Shown: Lab, Con, LD"].startswith(labour)


def test_the_headline_gives_the_early_hours_apart(table):
    text = DOC.read_text()

    worst_early = max(
        figure(cells["Seat model"])
        for label, cells in table.items()
        if re.fullmatch(r"0[0-8]:00", label) and label >= "01:00"
    )
    assert f"Worst hour until 08:00: **{worst_early}** seats misallocated" in text
    assert "given apart so that they do not flatter the early hours" in text
