"""Time `import_national`: a full import into an empty database, then a re-import.

    make bench-import                       # SQLite, in a temporary file
    DATABASE_URL=postgres://... make bench-import

Prints the figures; nothing here asserts them. Goals: full import < 10 s, re-import < 5 s.
The files come from ../shared/data/ge2024 (see README for where the Library publishes them).
"""

import os
import sys
import tempfile
import time
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "ge2024"
sys.path.insert(0, str(ROOT))
from results.national import LIBRARY_FILES as FILES  # noqa: E402 (no Django needed)

RUNS = 3


def main():
    if not all((DATA / name).is_file() for name in FILES.values()):
        sys.exit(f"{DATA} lacks the GE2024 files: see README, 'Every seat in the country'.")
    scratch = tempfile.TemporaryDirectory()
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{scratch.name}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only-secret-key-not-for-production")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

    import django
    from django.core.management import call_command
    from django.db import connection

    django.setup()
    arguments = [item for name, file in FILES.items() for item in (f"--{name}", str(DATA / file))]

    def timed(label):
        started = time.perf_counter()
        out = StringIO()
        call_command("import_national", *arguments, stdout=out)
        seconds = time.perf_counter() - started
        return label, seconds, out.getvalue().splitlines()[0][:90]

    from results.models import Election, Party
    from results.reference import reference_data_create

    call_command("migrate", verbosity=0)
    rows = []
    for run in range(1, RUNS + 1):
        call_command("flush", interactive=False, verbosity=0)
        reference_data_create(Election, Party)  # what the data migration gives a new database
        rows.append(timed(f"full import, run {run}"))
        rows.append(timed(f"re-import, run {run}"))

    print(f"import_national on {connection.vendor} ({connection.settings_dict['NAME']})")
    print(f"{'what':<22} {'seconds':>8}  summary")
    for label, seconds, summary in rows:
        print(f"{label:<22} {seconds:>8.2f}  {summary}")
    full = min(seconds for label, seconds, _ in rows if label.startswith("full"))
    again = min(seconds for label, seconds, _ in rows if label.startswith("re-import"))
    print(f"best full import {full:.2f} s (goal < 10 s); best re-import {again:.2f} s (goal < 5 s)")


if __name__ == "__main__":
    main()
