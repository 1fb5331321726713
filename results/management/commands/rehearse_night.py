"""Rehearse election night: every seat declared again at its real time, sped up.

    python manage.py rehearse_night [--speed 60] [--no-wait] [--from 03:00]

Takes the results off (never posts or live pages), loads the nominations from the House
of Commons Library's files (every candidate, no votes), then declares each seat through
the service the results desk uses (results.services.result_declare), in the order and at
the times the Library recorded, `--speed` times faster than the night. Each declaration
is its own transaction: pages, live updates and draft posts follow as on the night.
Ctrl-C stops it cleanly between two seats; run it again to start over.
"""

import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from results.documents import DocumentError
from results.imports import ImportSummary, PartyResolver
from results.management.commands.import_national import national_files
from results.models import Candidacy, Constituency, Election, ResultSource
from results.naming import normalise_name
from results.national import LIBRARY_FILES as FILES
from results.national_import import national_nominations_import, party_of
from results.scoreboard import computed_scoreboard
from results.services import count_declare, results_clear
from results.signals import announce, changes_held

LIBRARY = Path(settings.BASE_DIR).parent / "shared" / "data" / "ge2024"


class Command(BaseCommand):
    help = (
        "Take the results off and declare every seat again through the results desk's "
        "service, at its real declaration time sped up: a rehearsal of the night."
    )

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

    def handle(self, *args, speed, no_wait, limit, verbosity, **options):
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

        with transaction.atomic(), changes_held() as held:
            cleared = results_clear()
            national_nominations_import(files=files)
            held.send()
        announce(Election, everything=True)
        plan = self.plan(files)
        if verbosity:
            self.stdout.write(
                f"Took off {cleared} results; declaring {len(plan)} seats"
                + (" one after another." if no_wait else f" at {speed:g} times the night's pace.")
            )
        started, first = time.monotonic(), plan[0][1] if plan else None
        declared = 0
        try:
            for seat, declared_at, votes, electorate in plan[:limit]:
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
            return
        if verbosity:
            self.stdout.write(
                self.style.SUCCESS(self.summary(declared, time.monotonic() - started))
            )

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
        rows = computed_scoreboard(election).rows if election else ()
        tally = ", ".join(f"{row.label} {row.seats} ({row.change:+d})" for row in rows)
        return f"Declared {declared} seats in {seconds:.1f} s: {tally}."
