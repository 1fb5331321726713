"""The data every database starts with: the 2024 election and the parties fixture.

Created by a data migration; also callable after a test empties the database. Takes the
model classes so the migration can pass its historical models.
"""

import json

from django.conf import settings

from results.national import POLLING_DAY

GE2024 = {
    "slug": "ge2024",
    "name": "2024 UK general election",
    "polling_day": POLLING_DAY,
    "total_seats": 650,
}
PARTIES_FIXTURE = settings.BASE_DIR / "fixtures" / "parties.json"


def reference_data_create(election_model, party_model):
    """Create the election and parties that are missing; leave existing rows as they are."""
    election_model.objects.get_or_create(
        slug=GE2024["slug"], defaults={k: v for k, v in GE2024.items() if k != "slug"}
    )
    counted_with = {}
    # A historical model (the data migration's) may not have every field yet: its
    # migration fills it in (`former_slug`: 0009).
    known = {field.name for field in party_model._meta.get_fields()}
    for entry in json.loads(PARTIES_FIXTURE.read_text(encoding="utf-8")):
        fields = {name: value for name, value in entry["fields"].items() if name in known}
        slug = fields.pop("slug")
        if fields.pop("counted_with", None):
            counted_with[slug] = entry["fields"]["counted_with"][0]
        party, created = party_model.objects.get_or_create(slug=slug, defaults=fields)
        if created and slug in counted_with:
            party.counted_with = party_model.objects.get(slug=counted_with[slug])
            party.save(update_fields=["counted_with"])
