"""The default database, SQLite, as several gunicorn workers and the desk's commands use
it at once: a connection made from the settings is in WAL mode (readers never block a
writer), waits for a lock instead of failing, and takes the write lock when a
transaction begins, so two processes writing at once both succeed.

Each process here is a new Python, its settings read from DATABASE_URL as a worker's
are, on a database file (WAL needs one: an in-memory database has no journal to share).
"""

import multiprocessing
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PRAGMAS = """
import django
django.setup()
from django.db import connection
with connection.cursor() as cursor:
    for pragma in ("journal_mode", "busy_timeout", "synchronous"):
        cursor.execute(f"PRAGMA {pragma}")
        print(pragma, cursor.fetchone()[0])
print("transaction_mode", connection.transaction_mode)
"""


def environment(database):
    return {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "PYTHONPATH": str(ROOT)}


def test_a_connection_to_a_sqlite_file_is_set_for_several_processes(tmp_path):
    database = tmp_path / "site.sqlite3"
    run = subprocess.run(
        [sys.executable, "-c", PRAGMAS],
        env=environment(database),
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert run.stdout.splitlines() == [
        "journal_mode wal",
        "busy_timeout 20000",
        "synchronous 1",  # NORMAL
        "transaction_mode IMMEDIATE",
    ]


def write_after_reading(database, writer, ready, answers):
    """What a service does: read, then write, in one transaction, holding it a moment."""
    os.environ.update(environment(database))
    import time

    import django

    django.setup()
    from django.db import connection, transaction

    ready.wait()
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM note")
            time.sleep(0.5)  # the other process reads meanwhile
            cursor.execute("INSERT INTO note (writer) VALUES (%s)", [writer])
        answers.put((writer, "written"))
    except Exception as error:
        answers.put((writer, f"{type(error).__name__}: {error}"))


def test_two_processes_writing_at_once_on_a_sqlite_file_both_succeed(tmp_path):
    database = tmp_path / "site.sqlite3"
    with sqlite3.connect(database) as setup:
        setup.execute("CREATE TABLE note (id integer PRIMARY KEY, writer text)")
    context = multiprocessing.get_context("spawn")
    ready, answers = context.Barrier(2), context.Queue()
    writers = [
        context.Process(target=write_after_reading, args=(database, name, ready, answers))
        for name in ("editor", "desk")
    ]
    for process in writers:
        process.start()
    results = dict(answers.get(timeout=60) for _ in writers)
    for process in writers:
        process.join(timeout=30)
    assert results == {"editor": "written", "desk": "written"}
    with sqlite3.connect(database) as check:
        written = sorted(row[0] for row in check.execute("SELECT writer FROM note"))
    assert written == ["desk", "editor"]
