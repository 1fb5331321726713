from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from pages.vcl import PATH, parameters_vcl


class Command(BaseCommand):
    help = f"Write {PATH}: the query parameters Varnish keeps on each reader page."

    def handle(self, *args, **options):
        Path(settings.BASE_DIR, PATH).write_text(parameters_vcl())
        self.stdout.write(f"Wrote {PATH}")
