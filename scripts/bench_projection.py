"""Time `results.projected.projection_at`: the projection a replayed page (`?at=`) and the
live page compute, on every seat of the 2024 night with its exit poll entered.

    make bench-projection           # or: PYTHONPATH=. .venv/bin/python scripts/bench_projection.py

Builds a scratch SQLite database as the tests' `every_seat` fixture does (the seeds, then
the four Library files through `import_national`), enters 2024's exit poll at 22:00, then
times `projection_at` at 03:00 and 05:00 BST on 5 July 2024 and now (every seat declared).
The first call of a process also pays the exit poll's calibration, so it is given apart.
Prints the figures; nothing here asserts them (docs/benchmarks.md keeps them).
"""

import os
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "ge2024"
sys.path.insert(0, str(ROOT))
from results.national import LIBRARY_FILES as FILES  # noqa: E402 (no Django needed)

LONDON = ZoneInfo("Europe/London")
MOMENTS = {
    "03:00": datetime(2024, 7, 5, 3, tzinfo=LONDON),
    "05:00": datetime(2024, 7, 5, 5, tzinfo=LONDON),
    "now (650 declared)": None,
}
RUNS = 5


def main():
    if not all((DATA / name).is_file() for name in FILES.values()):
        sys.exit(f"{DATA} lacks the GE2024 files: see README, 'Every seat in the country'.")
    scratch = tempfile.TemporaryDirectory()
    os.environ["DATABASE_URL"] = f"sqlite:///{scratch.name}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only-secret-key-not-for-production")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    call_command("import_seeds", verbosity=0)
    arguments = [item for name, file in FILES.items() for item in (f"--{name}", str(DATA / file))]
    call_command("import_national", *arguments, verbosity=0)
    enter_exit_poll()

    from results.projected import projection_at
    from results.projection import projected_once

    started = time.perf_counter()
    projection_at(MOMENTS["03:00"])
    first = time.perf_counter() - started
    print(f"first call of the process (03:00, with the calibration): {first:.3f} s")
    print(f"{'moment':<20} {'new: best s':>12} {'median s':>9} {'again: best s':>14}  projection")
    for name, moment in MOMENTS.items():
        fresh, again = [], []
        for _ in range(RUNS):
            # A moment not projected before (the live page after a declaration), then the
            # same moment again (another reader replaying it).
            projected_once.cache_clear()
            for times in (fresh, again):
                started = time.perf_counter()
                projected = projection_at(moment)
                times.append(time.perf_counter() - started)
        seats = ", ".join(f"{party} {count}" for party, count in list(projected.rows)[:3])
        print(
            f"{name:<20} {min(fresh):>12.3f} {statistics.median(fresh):>9.3f} "
            f"{min(again):>14.3f}  {seats}"
        )


def enter_exit_poll():
    """2024's exit poll as the desk enters it, announced at 22:00 on polling day."""
    from results.exit_poll import parse_exit_poll_csv
    from results.models import Election, ExitPoll, ExitPollLine, Party

    poll = ExitPoll.objects.create(
        election=Election.objects.current(),
        published_at=datetime(2024, 7, 4, 22, tzinfo=LONDON),
        source="Ipsos for BBC, ITV News and Sky News",
    )
    name = "exit-poll-2024.csv"
    for position, line in enumerate(parse_exit_poll_csv((DATA / name).read_text(), name)):
        party = None if line.label == "Others" else Party.objects.get(name=line.label)
        ExitPollLine.objects.create(
            exit_poll=poll, position=position, label=line.label, party=party, seats=line.seats
        )


if __name__ == "__main__":
    main()
