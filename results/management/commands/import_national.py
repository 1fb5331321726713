"""Import the House of Commons Library's 2024 results files (see README)."""

from pathlib import Path

from results.commands import ImportCommand
from results.documents import read_document
from results.national import (
    parse_candidates_csv,
    parse_constituencies_csv,
    parse_declarations_csv,
)
from results.national_import import NationalFiles, national_import
from results.notionals import parse_notional_votes_csv


class Command(ImportCommand):
    help = (
        "Import every constituency, candidacy and result from the House of Commons Library "
        "files, with declaration times and 2019 notional winners where given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--constituencies",
            required=True,
            type=Path,
            help="HoC-GE2024-results-by-constituency.csv",
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
        super().add_arguments(parser)

    def run_import(self, *, constituencies, candidates, declarations, notionals, **options):
        files = NationalFiles(
            constituencies=parse_constituencies_csv(
                read_document(constituencies), source=str(constituencies)
            ),
            candidacies=parse_candidates_csv(read_document(candidates), source=str(candidates)),
            constituencies_source=str(constituencies),
            candidacies_source=str(candidates),
            declarations=declarations
            and parse_declarations_csv(read_document(declarations), source=str(declarations)),
            notionals=notionals
            and {
                seat.ons_code: seat
                for seat in parse_notional_votes_csv(read_document(notionals), str(notionals))
            },
        )
        return national_import(files=files)
