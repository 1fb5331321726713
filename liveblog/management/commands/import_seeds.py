"""Import every seed document that `fixtures/seeds/manifest.toml` lists."""

from pathlib import Path

from django.conf import settings

from liveblog.imports import seeds_import
from liveblog.manifest import parse_manifest
from results.commands import ImportCommand
from results.documents import read_document


class Command(ImportCommand):
    help = "Import the counties, constituencies and seed documents listed in the manifest."

    def add_arguments(self, parser):
        parser.add_argument(
            "--manifest",
            default=str(settings.BASE_DIR / "fixtures" / "seeds" / "manifest.toml"),
            help="The manifest; the documents it names are beside it.",
        )
        super().add_arguments(parser)

    def run_import(self, *, manifest, **options):
        manifest_path = Path(manifest)
        parsed = parse_manifest(read_document(manifest_path), source=manifest_path)
        return seeds_import(manifest=parsed, folder=manifest_path.parent, source=manifest_path)
