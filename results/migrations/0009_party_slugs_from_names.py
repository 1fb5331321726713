"""One slug style for parties: the party's full name, as a place's address is made from
its name (results.naming.party_slug), where six parties had a short form (`green`,
`sdlp`, ...). Each keeps the address it had as `former_slug`, which old links, filters
(`?party=green`) and downloads (`/data/parties/green.csv`) still reach.

A database made from the new fixture already has the new slugs: only `former_slug` is
filled in. Reversible: the old slugs come back.
"""

from django.db import migrations, models

RENAMED = {
    "green": "green-party",
    "sdlp": "social-democratic-and-labour-party",
    "alliance": "alliance-party-of-northern-ireland",
    "workers-party": "workers-party-of-britain",
    "sdp": "social-democratic-party",
    "tusc": "trade-unionist-and-socialist-coalition",
}


def rename_parties(apps, schema_editor):
    Party = apps.get_model("results", "Party")
    for old, new in RENAMED.items():
        if Party.objects.filter(slug=new).exists():
            Party.objects.filter(slug=new, former_slug="").update(former_slug=old)
        else:
            Party.objects.filter(slug=old).update(slug=new, former_slug=old)


def restore_slugs(apps, schema_editor):
    Party = apps.get_model("results", "Party")
    for old, new in RENAMED.items():
        if not Party.objects.filter(slug=old).exists():
            Party.objects.filter(slug=new, former_slug=old).update(slug=old)
        Party.objects.filter(former_slug=old).update(former_slug="")


class Migration(migrations.Migration):
    dependencies = [("results", "0008_exit_poll")]

    operations = [
        migrations.AddField(
            model_name="party",
            name="former_slug",
            field=models.SlugField(
                blank=True,
                help_text="The address it had before (issue 30): links to it redirect here.",
            ),
        ),
        migrations.RunPython(rename_parties, restore_slugs),
    ]
