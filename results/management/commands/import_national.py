"""Import the House of Commons Library's 2024 results files (see README).

With `--no-results`, the nominations only, before the night: every candidate with party
and seat and no votes (results.national_import.national_nominations_import).
"""

from pathlib import Path

from django.core.management.base import CommandError

from results.commands import ImportCommand
from results.documents import read_document
from results.national import (
    parse_candidates_csv,
    parse_constituencies_csv,
    parse_declarations_csv,
)
from results.national_import import NationalFiles, national_import, national_nominations_import
from results.notionals import parse_notional_votes_csv


def national_files(*, constituencies, candidates, declarations=None, notionals=None):
    """The files named, parsed (results.national, results.notionals)."""
    return NationalFiles(
        constituencies=constituencies
        and parse_constituencies_csv(read_document(constituencies), source=str(constituencies)),
        candidacies=parse_candidates_csv(read_document(candidates), source=str(candidates)),
        constituencies_source=str(constituencies or candidates),
        candidacies_source=str(candidates),
        declarations=declarations
        and parse_declarations_csv(read_document(declarations), source=str(declarations)),
        notionals=notionals
        and {
            seat.ons_code: seat
            for seat in parse_notional_votes_csv(read_document(notionals), str(notionals))
        },
    )


class Command(ImportCommand):
    help = (
        "Import every constituency, candidacy and result from the House of Commons Library "
        "files, with declaration times and 2019 notional winners where given; with "
        "--no-results, only the nominations: every candidate, with no votes."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--constituencies",
            type=Path,
            help="HoC-GE2024-results-by-constituency.csv (needed unless --no-results)",
        )
        parser.add_argument(
            "--candidates", required=True, type=Path, help="HoC-GE2024-results-by-candidate.csv"
        )
        parser.add_argument(
            "--declarations", type=Path, help="HoC-GE2024-winning-members-time-recorded.csv"
        )
        parser.add_argument(
            "--notionals", type=Path, help="RT-2019-notional-results-2024-boundaries.csv"
        )
        parser.add_argument(
            "--no-results",
            action="store_true",
            help="The nominations only: each candidate with party and seat, no votes and no "
            "results (seats already declared are left alone).",
        )
        super().add_arguments(parser)

    def run_import(self, *, constituencies, candidates, declarations, notionals, **options):
        if options["no_results"]:
            files = national_files(
                constituencies=constituencies, candidates=candidates, notionals=notionals
            )
            return national_nominations_import(files=files)
        if constituencies is None:
            raise CommandError("--constituencies is needed, unless --no-results")
        files = national_files(
            constituencies=constituencies,
            candidates=candidates,
            declarations=declarations,
            notionals=notionals,
        )
        return national_import(files=files)
