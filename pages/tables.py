"""django-tables2 tables for result pages."""

import django_tables2 as tables
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.timezone import localtime

from pages.templatetags.results_tags import party_swatch, signed_number
from results.models import Candidacy, Outcome

NUMBER = {"td": {"class": "num"}, "th": {"class": "num"}}


class PageTable(tables.Table):
    """A sortable table with a caption, its body rows ready for includes/_table.html."""

    def __init__(self, *args, caption="", **kwargs):
        super().__init__(*args, **kwargs)
        self.caption = caption

    @property
    def body_rows(self):
        """Each row's cells, each with its column's attributes: worked out once per
        column, not once per cell, which a table of 50 seats would do 500 times."""
        attributes = [column.attrs["td"].as_html() for column in self.columns]
        return [
            list(zip(attributes, (cell for _, cell in row.items()), strict=True))
            for row in self.paginated_rows
        ]


class CandidacyTable(PageTable):
    """Every candidate in a seat: sortable, winner (most votes) first by default."""

    name = tables.Column(verbose_name="Candidate")
    # On a phone the party goes under the candidate's name instead (site.css), so that
    # the table fits the screen.
    party = tables.Column(
        verbose_name="Party",
        order_by=("party__name",),
        attrs={"td": {"class": "wide-only"}, "th": {"class": "wide-only"}},
    )
    votes = tables.Column(verbose_name="Votes", attrs=NUMBER)
    share = tables.Column(verbose_name="Share", attrs=NUMBER)
    # The unit in the heading, not in each cell: the table fits a phone's width.
    share_change = tables.Column(verbose_name="+/− pts", attrs=NUMBER, default="–")

    class Meta:
        model = Candidacy
        fields = ("name", "party", "votes", "share", "share_change")
        order_by = ("-votes",)
        template_name = "includes/_table.html"
        orderable = True

    def render_name(self, value, record):
        return format_html(
            '{}<span class="narrow-only muted">{} {}</span>',
            value,
            party_swatch(record.party),
            record.party.name,
        )

    def render_party(self, value):
        return format_html("{} {}", party_swatch(value), value.name)

    def render_votes(self, value):
        return intcomma(value)

    def render_share(self, value):
        return f"{value}%"

    def render_share_change(self, value):
        return signed_number(value)


class ConstituencyTable(PageTable):
    """Every seat, with its winner and figures: sortable, by name at first."""

    name = tables.Column(verbose_name="Constituency", linkify=True)
    region = tables.Column(verbose_name="Region", accessor="region__name", default="–")
    winner = tables.Column(
        verbose_name="Winner", accessor="result__winner__name", default="Awaiting declaration"
    )
    party = tables.Column(
        verbose_name="Party",
        accessor="result__winner__party",
        order_by=("result__winner__party__name",),
    )
    outcome = tables.Column(verbose_name="Result", accessor="result", orderable=False, default="–")
    majority = tables.Column(
        verbose_name="Majority", accessor="result__majority", attrs=NUMBER, default="–"
    )
    majority_share = tables.Column(verbose_name="Majority %", attrs=NUMBER, default="–")
    share = tables.Column(
        verbose_name="Winner's share", accessor="result__winner__share", attrs=NUMBER, default="–"
    )
    turnout = tables.Column(
        verbose_name="Turnout", accessor="result__turnout", attrs=NUMBER, default="–"
    )
    declared = tables.Column(
        verbose_name="Declared", accessor="result__declared_at", attrs=NUMBER, default="–"
    )

    class Meta:
        template_name = "includes/_table.html"
        orderable = True
        order_by = ("name",)

    def render_party(self, value):
        return format_html("{} {}", party_swatch(value), value.name)

    def render_outcome(self, value):
        if value.outcome == Outcome.HOLD:
            return "Hold"
        return f"Gain from {value.gained_from.name}" if value.gained_from else "Gain"

    def render_majority(self, value):
        return intcomma(value)

    def render_majority_share(self, value):
        return f"{value:.2f}%"

    def render_share(self, value):
        return f"{value}%"

    def render_turnout(self, value):
        return f"{value}%"

    def render_declared(self, value):
        return date_format(localtime(value), "H:i, j M")
