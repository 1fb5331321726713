"""The shell every import command shares: all-or-nothing, `--dry-run`, one summary line."""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from results.documents import DocumentError
from results.models import Election
from results.signals import announce, changes_held


class ImportCommand(BaseCommand):
    """Subclasses implement `run_import(**options)` returning an ImportSummary."""

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check and report everything, then roll back: the database is left as it was.",
        )

    def run_import(self, **options):
        raise NotImplementedError

    def handle(self, *args, **options):
        try:
            with transaction.atomic():
                # Each row written would announce itself: say it once, for the import.
                with changes_held() as held:
                    summary = self.run_import(**options)
                if options["dry_run"]:
                    transaction.set_rollback(True)
                else:
                    held.send()
                    if summary.changed_anything:
                        # Bulk writes send no model signals: anything may have changed.
                        announce(Election, everything=True)
        except DocumentError as error:
            raise CommandError(str(error)) from error
        if not options["dry_run"]:
            refresh_statistics()

        if options["verbosity"] >= 1:
            prefix = "Dry run, nothing saved: " if options["dry_run"] else ""
            self.stdout.write(self.style.SUCCESS(f"{prefix}{summary.line()}"))
            for reason in summary.left_alone:
                self.stdout.write(f"  left alone: {reason}")
            if options["verbosity"] >= 2:
                for party in summary.new_parties:
                    self.stdout.write(f"  new party: {party}")
            for discrepancy in summary.discrepancies:
                self.stdout.write(self.style.WARNING(f"  discrepancy: {discrepancy}"))


def refresh_statistics():
    """Let PostgreSQL's planner see the rows just written in bulk at once, rather than when
    autovacuum next looks: with the statistics of empty tables it plans the pages' joins
    as if they were (nested loops over sequential scans), minutes instead of
    milliseconds."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
