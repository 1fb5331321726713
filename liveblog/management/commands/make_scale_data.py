"""Create a large made-up data set (650 seats, 2,000 posts) for benchmarks (scripts/bench.py).

The data are the tests' (tests.scale, which the query-count tests use too): made up, so
kept out of the apps' own code.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from tests.scale import scale_data_create


class Command(BaseCommand):
    help = "Add 650 made-up constituencies with results and 2,000 posts, for load tests."

    def add_arguments(self, parser):
        parser.add_argument("--constituencies", type=int, default=650)
        parser.add_argument("--posts", type=int, default=2000)

    @transaction.atomic
    def handle(self, *args, constituencies, posts, **options):
        counts = scale_data_create(constituencies=constituencies, posts=posts)
        if options["verbosity"]:
            summary = ", ".join(f"{number} {noun}" for noun, number in counts.items())
            self.stdout.write(self.style.SUCCESS(f"created {summary}"))
