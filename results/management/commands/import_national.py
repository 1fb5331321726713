"""Import the House of Commons Library's 2024 results files (see README).

With `--no-results`, the nominations only, before the night: every candidate with party
and seat and no votes (results.imports.national_nominations_import).
"""

from pathlib import Path

from django.core.management.base import CommandError

from results.commands import ImportCommand
from results.documents import read_document
from results.imports import NationalFiles, national_import, national_nominations_import
from results.national import (
    LIBRARY_EDITION,
    LIBRARY_FILES,
    parse_candidates_csv,
    parse_constituencies_csv,
    parse_declaration_times_csv,
)
from results.notionals import parse_notional_votes_csv


def national_files(
    *, constituencies, candidates, declarations=None, notionals=None, edition=LIBRARY_EDITION
):
    """The files named, parsed (results.national, results.notionals)."""
    times = (
        parse_declaration_times_csv(read_document(declarations), source=str(declarations))
        if declarations
        else None
    )
    return NationalFiles(
        constituencies=constituencies
        and parse_constituencies_csv(read_document(constituencies), source=str(constituencies)),
        candidacies=parse_candidates_csv(read_document(candidates), source=str(candidates)),
        constituencies_source=str(constituencies or candidates),
        candidacies_source=str(candidates),
        declarations=times and {code: time.at for code, time in times.items()},
        approximate_times=frozenset(
            code for code, time in (times or {}).items() if time.approximate
        ),
        edition=edition,
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
            "--folder",
            type=Path,
            help="A folder holding the Library's files under their published names: each "
            "file not named by its own option is taken from it.",
        )
        needed = {"constituencies": " (needed unless --no-results)", "candidates": " (needed)"}
        # The file names are results.national.LIBRARY_FILES: one list for every user.
        for option, name in LIBRARY_FILES.items():
            parser.add_argument(f"--{option}", type=Path, help=name + needed.get(option, ""))
        parser.add_argument(
            "--edition",
            default=LIBRARY_EDITION,
            help=f"The edition of the Library's files, as each result records it "
            f"(default: {LIBRARY_EDITION!r}).",
        )
        parser.add_argument(
            "--no-results",
            action="store_true",
            help="The nominations only: each candidate with party and seat, no votes and no "
            "results (seats already declared are left alone).",
        )
        super().add_arguments(parser)

    def run_import(self, *, folder, **options):
        if folder is not None:
            for option, name in LIBRARY_FILES.items():
                options[option] = options[option] or folder / name
        if options["candidates"] is None:
            raise CommandError("--candidates (or --folder) is needed")
        return self.run_files(**options)

    def run_files(self, *, constituencies, candidates, declarations, notionals, **options):
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
            edition=options["edition"],
        )
        return national_import(files=files)
