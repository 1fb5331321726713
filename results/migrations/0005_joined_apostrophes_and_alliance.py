"""Names with an apostrophe join it (`queens-park-and-maida-vale`, search `obrien`), and
the Alliance Party is `ALL`, as readers know it, in databases made before the change.

The former addresses keep working: the seat page redirects them (results.naming.former_slug).
"""

from django.db import migrations
from django.db.models import Q

from results.naming import constituency_slug, normalise_name

APOSTROPHES = Q(name__contains="'") | Q(name__contains="\u2019")


def join_apostrophes(apps, schema_editor):
    for model_name in ["Constituency", "Candidacy"]:
        model = apps.get_model("results", model_name)
        for row in model.objects.filter(APOSTROPHES):
            row.search_name = normalise_name(row.name)
            fields = ["search_name"]
            if model_name == "Constituency":
                row.slug = constituency_slug(row.name)
                fields.append("slug")
            row.save(update_fields=fields)
    Party = apps.get_model("results", "Party")
    Party.objects.filter(slug="alliance", short_name="APNI").update(short_name="ALL")


class Migration(migrations.Migration):
    dependencies = [("results", "0004_revision_note")]

    operations = [migrations.RunPython(join_apostrophes, migrations.RunPython.noop)]
