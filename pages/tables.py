"""django-tables2 tables for result pages."""

import functools
import html
import inspect

import django_tables2 as tables
from django.db import models
from django.db.models import Model
from django.utils.functional import Promise
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import mark_safe
from django_tables2.utils import signature

from pages.templatetags.results_tags import (
    moment_in_words,
    party_swatch,
    signed_number,
    swatch,
    thousands,
)
from results.links import page_url
from results.models import Candidacy, Outcome

MISSING = object()
NUMBER = {"td": {"class": "num"}, "th": {"class": "num"}}


class PageTable(tables.Table):
    """A sortable table with a caption, its body rows ready for includes/_table.html."""

    def __init__(self, *args, caption="", **kwargs):
        super().__init__(*args, **kwargs)
        self.caption = caption

    def before_render(self, request):
        super().before_render(request)
        self.query = request.GET  # what the heading's sort links keep ({% render_table %})

    @property
    def head(self):
        """The heading row's cells as HTML, each with its sort link (which needs no
        JavaScript): written here for the reason the body is, each cell as the template
        tag `{% querystring %}` and django-tables2's column attributes would give it."""
        cells = []
        for column in self.columns:
            order = column.order_by_alias
            sort = ""
            if column.is_ordered:
                sort = (
                    ' aria-sort="descending"' if order.is_descending else ' aria-sort="ascending"'
                )
            header = conditional_escape(column.header)
            if column.orderable:
                query = self.query.copy()
                query[self.prefixed_order_by_field] = order.next
                indicator = ("▼" if order.is_descending else "▲") if column.is_ordered else ""
                header = (
                    f'<a href="{escape("?" + query.urlencode())}">{header}'
                    f'<span class="sort-indicator" aria-hidden="true">{indicator}</span></a>'
                )
            cells.append(f'<th scope="col" {column.attrs["th"].as_html()}{sort}>{header}</th>')
        # Safe: the headers and links are escaped here, each attribute by django-tables2.
        return mark_safe("\n".join(cells))  # noqa: S308

    @property
    def body(self):
        """The body's rows as HTML, each row's first cell its heading: written here, not
        by the template, whose loop over every cell took longer than the cells did."""
        heading, *others = [CellWriter(column, self) for column in self.columns]
        rows = []
        for row in self.paginated_rows:
            cells = [f'<th scope="row" {heading.attributes}>{heading.html(row)}</th>']
            cells.extend(f"<td {writer.attributes}>{writer.html(row)}</td>" for writer in others)
            rows.append(f"<tr>{''.join(cells)}</tr>")
        # Safe: each cell is escaped (CellWriter.html), each attribute by django-tables2.
        return mark_safe("\n".join(rows))  # noqa: S308


class CellWriter:
    """Writes one column's cells as django-tables2 would (BoundRow.get_cell), with what
    it works out for every cell (the accessor, the render method and its arguments, the
    default, the <td> attributes) worked out once per column rather than once per cell,
    as django-tables2's own way does.

    A column over a field with choices is left to django-tables2, which shows the
    choice's label.
    """

    def __init__(self, bound_column, table):
        self.bound_column = bound_column
        self.table = table
        self.attributes = bound_column.attrs["td"].as_html()
        self.accessor = tables.A(bound_column.accessor)
        # A model's own attribute is read directly: see `read`.
        self.attribute = None if "__" in self.accessor or "." in self.accessor else self.accessor
        field = self.accessor.get_field(table.data.model or table._meta.model)
        self.by_django_tables2 = bool(getattr(field, "choices", None))
        self.render = bound_column.render
        self.default = bound_column.default
        self.empty_values = bound_column.column.empty_values
        self.link = bound_column.link
        self.wanted, catch_all = arguments_of(self.render)
        self.wants_everything = catch_all is not None

    def html(self, row):
        content = self.cell(row)
        if isinstance(content, Promise):
            content = str(content)
        # conditional_escape's rule, written out: it costs more than many a cell does.
        return content.__html__() if hasattr(content, "__html__") else html.escape(str(content))

    def cell(self, row):
        if self.by_django_tables2:
            return row.get_cell(self.bound_column.name)
        try:
            value = self.read(row.record)
        except Exception:  # as django-tables2: what cannot be read is shown as the default
            value = None
        if value in self.empty_values:
            return self.default
        if self.wanted == ("value",) and not self.link:  # the usual: of the value alone
            return self.render(value=value)
        arguments = {
            "value": value,
            "record": row.record,
            "column": self.bound_column.column,
            "bound_column": self.bound_column,
            "bound_row": row,
            "table": self.table,
        }
        wanted = (
            arguments
            if self.wants_everything
            else {name: arguments[name] for name in self.wanted if name in arguments}
        )
        if len(wanted) < len(self.wanted):
            return None  # as django-tables2, when the method asks for what it lacks
        content = self.render(**wanted)
        return self.link(content, **arguments) if self.link else content

    def read(self, record):
        """The cell's value, as the accessor would resolve it (trying the record as a
        dictionary first, calling what it finds if callable); a model's own attribute
        read directly, which is most cells and much faster."""
        if self.attribute is not None and isinstance(record, Model):
            value = getattr(record, self.attribute, MISSING)
            if value is not MISSING and not callable(value):
                return value
        return self.accessor.resolve(record)


def arguments_of(render):
    """The arguments a render method takes, as django-tables2's `signature` gives them:
    read once per method, not once per table (inspecting a signature is slow)."""
    if inspect.ismethod(render):
        wanted, catch_all = function_arguments(render.__func__)
        return wanted[1:], catch_all  # less `self`
    return function_arguments(render)


@functools.cache
def function_arguments(function):
    return signature(function)


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

    # Written with escape(), not format_html(): a cell each, and format_html() costs more.
    def render_name(self, value, record):
        swatch, party = party_swatch(record.party), escape(record.party.name)
        return mark_safe(f'{escape(value)}<span class="narrow-only muted">{swatch} {party}</span>')  # noqa: S308

    def render_party(self, value):
        return mark_safe(f"{party_swatch(value)} {escape(value.name)}")  # noqa: S308

    def render_votes(self, value):
        return thousands(value)

    def render_share(self, value):
        return f"{value}%"

    def render_share_change(self, value):
        return signed_number(value)


def seats_without_it_last(field):
    """A table's `order_<column>`: by `field`, the seats without one (awaiting their
    declaration) last either way, where SQLite and PostgreSQL would each put them
    elsewhere; then by name, so that seats that tie keep one order from page to page."""

    def order(table, queryset, is_descending):
        value = models.F(field)
        value = value.desc(nulls_last=True) if is_descending else value.asc(nulls_last=True)
        return queryset.order_by(value, "name"), True

    return order


class ConstituencyTable(PageTable):
    """Every seat, with its winner and figures (Constituency.objects.table_rows()):
    sortable, by name at first."""

    name = tables.Column(verbose_name="Constituency")
    region = tables.Column(verbose_name="Region", accessor="region_name", default="–")
    winner = tables.Column(verbose_name="Winner", default="Awaiting declaration")
    party = tables.Column(verbose_name="Party", accessor="party_name", default="–")
    outcome = tables.Column(verbose_name="Result", orderable=False, default="–")
    majority = tables.Column(verbose_name="Majority", attrs=NUMBER, default="–")
    majority_share = tables.Column(verbose_name="Majority %", attrs=NUMBER, default="–")
    share = tables.Column(verbose_name="Winner's share", attrs=NUMBER, default="–")
    turnout = tables.Column(verbose_name="Turnout", attrs=NUMBER, default="–")
    declared = tables.Column(
        verbose_name="Declared", accessor="declared_at", attrs=NUMBER, default="–"
    )

    class Meta:
        template_name = "includes/_table.html"
        orderable = True
        order_by = ("name",)

    order_region = seats_without_it_last("region_name")
    order_winner = seats_without_it_last("winner")
    order_party = seats_without_it_last("party_name")
    order_majority = seats_without_it_last("majority")
    order_majority_share = seats_without_it_last("majority_share")
    order_share = seats_without_it_last("share")
    order_turnout = seats_without_it_last("turnout")
    order_declared = seats_without_it_last("declared_at")

    # The link written here, not by `linkify`, whose machinery cost more than the cells.
    def render_name(self, value, record):
        url = page_url("pages:constituency-detail", slug=record["slug"])
        return mark_safe(f'<a href="{escape(url)}">{escape(value)}</a>')  # noqa: S308

    def render_party(self, value, record):
        return format_html("{} {}", swatch(record["party_colour"], 12), value)

    def render_outcome(self, value, record):
        if value == Outcome.HOLD:
            return "Hold"
        gained_from = record["gained_from_name"]
        return f"Gain from {gained_from}" if gained_from else "Gain"

    def render_majority(self, value):
        return thousands(value)

    def render_majority_share(self, value):
        return f"{value:.2f}%"

    def render_share(self, value):
        return f"{value}%"

    def render_turnout(self, value):
        return f"{value}%"

    def render_declared(self, value, record):
        about = "about " if record.get("declared_at_approximate") else ""
        return about + moment_in_words(value, "H:i, j M")
