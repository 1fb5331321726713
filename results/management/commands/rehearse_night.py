"""Rehearse election night: every seat declared again at its real time, sped up.

    python manage.py rehearse_night [--speed 60] [--no-wait] [--limit N] [--yes]

Takes the results off (never posts or live pages), loads the nominations from the House
of Commons Library's files (every candidate, no votes), then declares each seat through
the service the results desk uses (results.services.result_declare), in the order and at
the times the Library recorded, `--speed` times faster than the night. Each declaration
is its own transaction: pages, live updates and draft posts follow as on the night.
Ctrl-C stops it cleanly between two seats; run it again to start over.

Before taking any result off it says how many, and how many the results desk entered,
and asks; `--yes` answers for a script, and with no terminal to ask and no `--yes` it
stops. It prints a line each hour of the night ("03:00   44 of 650 declared") and, at
the end, what it took off by source.
"""

import sys
import time
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from results.documents import DocumentError
from results.imports import (
    ImportSummary,
    PartyResolver,
    national_nominations_import,
    party_of,
)
from results.management.commands.import_national import national_files
from results.models import Candidacy, Constituency, Election, Result, ResultSource
from results.naming import normalise_name
from results.national import LIBRARY_FILES as FILES
from results.scoreboard import scoreboard_from_results
from results.services import count_declare, results_clear
from results.signals import announce, changes_held

LIBRARY = Path(settings.BASE_DIR).parent / "shared" / "data" / "ge2024"

# How the closing report names each source, the desk's work first.
TAKEN_FROM = {
    ResultSource.DESK: "entered by the results desk",
    ResultSource.NATIONAL: "from the national results file",
    ResultSource.SEED: "from the seed documents",
}


class Command(BaseCommand):
    help = (
        "Take the results off and declare every seat again through the results desk's "
        "service, at its real declaration time sped up: a rehearsal of the night."
    )

    # call_command(..., stdin=...) stands in for the terminal, as createsuperuser's does.
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        for name, file in FILES.items():
            parser.add_argument(f"--{name}", type=Path, default=LIBRARY / file, help=file)
        parser.add_argument(
            "--speed",
            type=float,
            default=60,
            help="How many times faster than the night (60: an hour in a minute).",
        )
        parser.add_argument(
            "--no-wait", action="store_true", help="Declare one seat after another at once."
        )
        parser.add_argument(
            "--limit", type=int, help="Stop after this many declarations (a short rehearsal)."
        )
        parser.add_argument(
            "--yes",
            action="store_true",
            help="Take the results off without asking, the desk's included (for scripts).",
        )

    def handle(self, *args, speed, no_wait, limit, yes, verbosity, **options):
        paths = {name: options[name] for name in FILES}
        if speed <= 0:
            raise CommandError("--speed must be more than 0")
        for name, path in paths.items():
            if not path.is_file():
                raise CommandError(f"{path} is missing (--{name}); see README, the Library files")
        try:
            files = national_files(**paths)
        except DocumentError as error:
            raise CommandError(str(error)) from error

        if not yes:
            self.confirm(options.get("stdin") or sys.stdin)

        with transaction.atomic(), changes_held() as held:
            taken_off = self.by_source()
            results_clear()
            national_nominations_import(files=files)
            held.send()
        announce(Election, everything=True)
        plan = self.plan(files)
        cleared = sum(taken_off.values())
        if verbosity:
            self.stdout.write(
                f"Took off {cleared} results; declaring {len(plan[:limit])} seats"
                + (" one after another." if no_wait else f" at {speed:g} times the night's pace.")
            )
        started, first = time.monotonic(), plan[0][1] if plan else None
        declared, hour = 0, None
        try:
            for seat, declared_at, votes, electorate in plan[:limit]:
                if verbosity and declared_at is not None:
                    hour = self.progress(hour, declared_at, declared, len(plan), first)
                if not no_wait and declared_at is not None:
                    due = started + (declared_at - first).total_seconds() / speed
                    time.sleep(max(0.0, due - time.monotonic()))
                # One transaction a seat, its announcements sent once (as an import's are).
                with transaction.atomic(), changes_held() as held:
                    result, _ = count_declare(
                        constituency=seat,
                        votes=votes,
                        electorate=electorate,
                        declared_at=declared_at,
                        source=ResultSource.NATIONAL,
                    )
                    held.send()
                declared += 1
                if verbosity >= 2:
                    self.stdout.write(f"  {declared_at:%H:%M} {seat.name}: {result.verdict}")
        except KeyboardInterrupt:
            self.stdout.write(
                self.style.WARNING(
                    f"Stopped after {declared} of {len(plan)} declarations. Run it again to "
                    "start over."
                )
            )
            self.stdout.write(self.taken_off(taken_off))
            return
        if verbosity:
            if hour is not None:
                self.progress(hour, hour + timedelta(hours=1), declared, len(plan), first)
            self.stdout.write(
                self.style.SUCCESS(self.summary(declared, time.monotonic() - started))
            )
            self.stdout.write(self.taken_off(taken_off))

    def confirm(self, stdin):
        """Ask before taking any result off; CommandError unless the answer is yes."""
        sources = self.by_source()
        count = sum(sources.values())
        if not count:
            return
        what = (
            f"{count} results, {sources.get(ResultSource.DESK, 0)} of them entered by the "
            "results desk"
        )
        if not stdin.isatty():
            raise CommandError(
                f"This would take off {what}, and there is no terminal to ask: run it again "
                "with --yes to go on."
            )
        self.stdout.write(f"This takes off {what}. Type yes to go on: ", ending="")
        self.stdout.flush()
        if stdin.readline().strip().lower() != "yes":
            raise CommandError("Nothing was taken off.")

    @staticmethod
    def by_source():
        """{source: how many results} of the results there are now."""
        rows = Result.objects.values_list("source").annotate(count=Count("pk")).order_by()
        return dict(rows)

    @staticmethod
    def taken_off(sources):
        """What was taken off, by source, in a sentence."""
        count = sum(sources.values())
        if not count:
            return "Took off no results."
        parts = ", ".join(
            f"{sources[source]} {words}"
            for source, words in TAKEN_FROM.items()
            if sources.get(source)
        )
        return f"Took off {count} results: {parts}."

    def progress(self, hour, declared_at, declared, total, first):
        """A line for each hour of the night as it ends ("03:00   44 of 650 declared");
        the hour `declared_at` falls in."""
        now = timezone.localtime(declared_at).replace(minute=0, second=0, microsecond=0)
        if hour is not None and now > hour:
            # The night's first morning needs no date; a later day does.
            night = timezone.localtime(first).date()
            day = "" if (now.date() - night).days <= 1 else f"{now:%-d %b} "
            self.stdout.write(
                f"{day}{now:%H:%M}  {declared:>{len(str(total))}} of {total} declared"
            )
        return now

    def plan(self, files):
        """(seat, declared at, {candidacy pk: votes}, electorate) in the night's order."""
        seats = {seat.ons_code: seat for seat in Constituency.objects.exclude(ons_code=None)}
        parties = PartyResolver(ImportSummary())  # every party is known by now
        candidacies = {
            (c.constituency_id, normalise_name(c.name), c.party_id): c.pk
            for c in Candidacy.objects.all()
        }
        votes = {}
        for record in files.candidacies:
            seat = seats[record.ons_code]
            party = party_of(record, parties)
            pk = candidacies[(seat.pk, normalise_name(record.name), party.pk)]
            votes.setdefault(record.ons_code, {})[pk] = record.votes
        declared = files.declarations or {}
        plan = [
            (seats[c.ons_code], declared.get(c.ons_code), votes[c.ons_code], c.electorate)
            for c in files.constituencies
        ]
        # Seats with no recorded time come last, as they did.
        return sorted(plan, key=lambda item: (item[1] is None, item[1] or 0, item[0].name))

    def summary(self, declared, seconds):
        election = Election.objects.current()
        rows = scoreboard_from_results(election).rows if election else ()
        tally = ", ".join(f"{row.label} {row.seats} ({row.change:+d})" for row in rows)
        return f"Declared {declared} seats in {seconds:.1f} s" + (f": {tally}." if tally else ".")
