"""The night's first 30 seats replayed end to end (scripts/rehearse.py --seats 30): a
database prepared the README's way, the site served by gunicorn with debug off, each seat
declared through the desk's form and the open pages checked after every declaration
against an oracle worked out from the House of Commons Library's files alone. `make
rehearse` runs all 650 (docs/rehearsal.md)."""

import os
import subprocess
from pathlib import Path

import pytest

from tests.national_data import national_data

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="the rehearsal serves a SQLite file of its own whatever the suite's database: "
    "it runs once, in the SQLite pass",
)
def test_the_first_30_seats_of_the_night_agree_with_the_library():
    folder = national_data()
    night = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "python"), "scripts/rehearse.py", "--seats", "30",
         "--data", str(folder)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )  # fmt: skip
    summary = night.stdout.strip().splitlines()[-1] if night.stdout.strip() else night.stderr
    # 31 looks (before the first declaration and after each) at 5 pages and the list of
    # seats still to declare, and the API's answer for each seat just declared.
    assert summary.startswith("30 seats declared, 216 page checks, 0 disagreements, "), (
        night.stdout[-4000:] + night.stderr[-2000:]
    )
    assert night.returncode == 0
