"""Import a captured live page: `import_liveblog PATH --county NAME [--year 2024]`."""

from liveblog.imports import live_page_import
from liveblog.parsers import parse_live_page
from results.commands import ImportCommand
from results.documents import read_document


class Command(ImportCommand):
    help = "Import a live page (scoreboard, summary and posts) for a county."

    def add_arguments(self, parser):
        parser.add_argument("path", help="The live page, a UTF-8 text file.")
        parser.add_argument("--county", required=True, help="The county it covers; created if new.")
        parser.add_argument(
            "--year", type=int, help="The year, for documents without an 'Election YYYY' line."
        )
        super().add_arguments(parser)

    def run_import(self, *, path, county, year, **options):
        record = parse_live_page(read_document(path), source=path, year=year)
        return live_page_import(record=record, county_name=county, source=path)
