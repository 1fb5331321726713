"""Import the broadcasters' exit poll from its CSV (`party,seats`, see
shared/data/ge2024/SOURCE.md): `import_exit_poll PATH [--source TEXT] [--dry-run]`.

A thin shell around results.exit_poll.parse_exit_poll_csv and
results.imports.exit_poll_import: all or nothing, the same file again changes nothing,
and every error names the file and line.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from results.documents import DocumentError, read_document
from results.exit_poll import POLL_2024_SOURCE, parse_exit_poll_csv
from results.imports import exit_poll_import
from results.times import uk_time_of


class Command(BaseCommand):
    help = (
        "Record the current election's exit poll from a CSV file of party,seats, announced "
        "at 22:00 UK time on polling day; a poll already recorded is replaced."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The exit poll, a UTF-8 CSV file: party,seats.")
        parser.add_argument(
            "--source", default=POLL_2024_SOURCE, help=f"Who made it ({POLL_2024_SOURCE!r})."
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check everything, then roll back: the database is left as it was.",
        )

    def handle(self, *args, path, source, dry_run, verbosity, **options):
        try:
            with transaction.atomic():
                lines = parse_exit_poll_csv(read_document(path), source=path)
                poll, changed = exit_poll_import(lines=lines, source=path, poll_source=source)
                transaction.set_rollback(dry_run)
        except DocumentError as error:
            raise CommandError(str(error)) from error
        if verbosity >= 1:
            figures = ", ".join(f"{line.label} {line.seats}" for line in lines)
            said = "recorded" if changed else "already recorded, unchanged"
            prefix = "Dry run, nothing saved: " if dry_run else ""
            self.stdout.write(
                self.style.SUCCESS(
                    f"{prefix}exit poll {said}: {figures}; announced "
                    f"{uk_time_of(poll.published_at):%H:%M %Z, %-d %B %Y} ({poll.source})"
                )
            )
