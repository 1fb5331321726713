"""Import a county results page: `import_results PATH [--county NAME]`."""

from results.commands import ImportCommand
from results.documents import read_document
from results.imports import results_page_import
from results.parsers import parse_results_page


class Command(ImportCommand):
    help = "Import a county results page (every seat's candidates, votes and verdict)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="The results page, a UTF-8 text file.")
        parser.add_argument("--county", help="The county; by default, the one the title names.")
        super().add_arguments(parser)

    def run_import(self, *, path, county, **options):
        page = parse_results_page(read_document(path), source=path)
        return results_page_import(page=page, source=path, county_name=county)
