"""The 2024 election and the parties of fixtures/parties.json, created if missing.

Rows that exist already are left as they are, so a colour changed in the admin stays.
"""

from django.db import migrations


def create_reference_data(apps, schema_editor):
    from results.reference import reference_data_create

    reference_data_create(apps.get_model("results", "Election"), apps.get_model("results", "Party"))


class Migration(migrations.Migration):
    dependencies = [("results", "0001_initial")]

    operations = [migrations.RunPython(create_reference_data, migrations.RunPython.noop)]
