"""django-tables2 tables for result pages."""

import django_tables2 as tables
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.html import format_html

from pages.templatetags.results_tags import party_swatch, signed_points
from results.models import Candidacy


class CandidacyTable(tables.Table):
    """Every candidate in a seat: sortable, winner (most votes) first by default."""

    name = tables.Column(verbose_name="Candidate")
    party = tables.Column(verbose_name="Party", order_by=("party__name",))
    votes = tables.Column(
        verbose_name="Votes", attrs={"td": {"class": "num"}, "th": {"class": "num"}}
    )
    share = tables.Column(
        verbose_name="Share", attrs={"td": {"class": "num"}, "th": {"class": "num"}}
    )
    share_change = tables.Column(
        verbose_name="Change",
        attrs={"td": {"class": "num"}, "th": {"class": "num"}},
        default="–",
    )

    class Meta:
        model = Candidacy
        fields = ("name", "party", "votes", "share", "share_change")
        order_by = ("-votes",)
        template_name = "includes/_table.html"
        orderable = True

    def __init__(self, *args, caption="", **kwargs):
        super().__init__(*args, **kwargs)
        self.caption = caption

    def render_party(self, value):
        return format_html("{} {}", party_swatch(value), value.name)

    def render_votes(self, value):
        return intcomma(value)

    def render_share(self, value):
        return f"{value}%"

    def render_share_change(self, value):
        return signed_points(value)
