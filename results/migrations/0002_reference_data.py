"""The 2024 election and the parties of fixtures/parties.json, created if missing.

Rows that exist already are left as they are, so a colour changed in the admin stays.
"""

import datetime
import json

from django.conf import settings
from django.db import migrations


def create_reference_data(apps, schema_editor):
    Election = apps.get_model("results", "Election")
    Party = apps.get_model("results", "Party")
    Election.objects.get_or_create(
        slug="ge2024",
        defaults={
            "name": "2024 UK general election",
            "polling_day": datetime.date(2024, 7, 4),
            "total_seats": 650,
        },
    )
    fixture = settings.BASE_DIR / "fixtures" / "parties.json"
    for entry in json.loads(fixture.read_text(encoding="utf-8")):
        fields = dict(entry["fields"])
        Party.objects.get_or_create(slug=fields.pop("slug"), defaults=fields)


class Migration(migrations.Migration):
    dependencies = [("results", "0001_initial")]

    operations = [migrations.RunPython(create_reference_data, migrations.RunPython.noop)]
