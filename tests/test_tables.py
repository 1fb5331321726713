"""The sortable tables' cells, written once per column, are the cells django-tables2 writes."""

import re

import django_tables2 as tables
import pytest
from django.template import RequestContext, Template
from django.test import RequestFactory
from django.utils.html import conditional_escape
from django_tables2 import RequestConfig

from pages.tables import CandidacyTable, ConstituencyTable, PageTable
from results.models import Constituency

pytestmark = pytest.mark.django_db


def visible(cell):
    """A cell's text, tags removed and spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", str(cell)).split())


def cells_both_ways(table):
    """The body's cells as PageTable writes them, and as django-tables2's rows do."""
    ours = [
        re.findall(r"<t[hd] [^>]*>(.*?)</t[hd]>", row)
        for row in re.findall(r"<tr>(.*?)</tr>", table.body)
    ]
    theirs = [[conditional_escape(cell) for _, cell in row.items()] for row in table.paginated_rows]
    return ours, theirs


def test_every_seat_is_written_as_django_tables2_would(every_seat):
    table = ConstituencyTable(Constituency.objects.table_rows(), order_by="name")
    # Every seat declared, then a seat awaiting its declaration (defaults in each column).
    table.paginate(page=1, per_page=650)
    ours, theirs = cells_both_ways(table)
    assert len(ours) == 650 and ours == theirs
    [kettering] = [row for row in ours if ">Kettering</a>" in row[0]]
    # The Library's figures: 3,820 of 50,231 valid votes, 18,009 for the winner, of an
    # electorate of 79,360.
    assert [visible(cell) for cell in kettering] == [
        "Kettering",
        "East Midlands",
        "Rosie Wrighting",
        "Labour",
        "Gain from Conservative",
        "3,820",
        "7.60%",
        "35.85%",
        "63.30%",
        "06:42, 5 Jul",
    ]


def test_a_seat_awaiting_its_declaration_shows_each_columns_default(seeded):
    table = ConstituencyTable(Constituency.objects.table_rows().filter(result__isnull=True))
    ours, theirs = cells_both_ways(table)
    assert ours == theirs and ours
    assert ours[0][1:] == ["–", "Awaiting declaration", "–", "–", "–", "–", "–", "–", "–"]


def test_a_seats_candidates_are_written_as_django_tables2_would(every_seat):
    seat = Constituency.objects.detail("kettering")
    table = CandidacyTable(seat.candidates)
    RequestConfig(RequestFactory().get("/", {"sort": "party"}), paginate=False).configure(table)
    ours, theirs = cells_both_ways(table)
    assert ours == theirs
    # Sorted by party: the Alliance for Democracy and Freedom first, then Conservative.
    assert [[visible(cell) for cell in row] for row in ours[:2]] == [
        [
            "Jehad Abduramadan Alliance for Democracy and Freedom",
            "Alliance for Democracy and Freedom",
            "62",
            "0.12%",
            "–",
        ],
        ["Philip Hollobone Conservative", "Conservative", "14,189", "28.25%", "−32.03"],
    ]


def test_a_column_over_a_field_with_choices_shows_the_choices_label(every_seat):
    class OutcomeTable(PageTable):
        name = tables.Column()
        outcome = tables.Column(accessor="result__outcome")

    table = OutcomeTable(Constituency.objects.for_list().filter(slug__in=["kettering", "chorley"]))
    ours, theirs = cells_both_ways(table)
    assert ours == theirs == [["Chorley", "Hold"], ["Kettering", "Gain"]]


# The heading row as the template wrote it before PageTable.head: django-tables2's column
# attributes and the template tag `{% querystring %}`.
HEADING_AS_THE_TEMPLATE_WROTE_IT = "".join(
    [
        "{% for column in table.columns %}",
        '<th scope="col" {{ column.attrs.th.as_html }}{% if column.is_ordered %} aria-sort="',
        "{% if column.order_by_alias.is_descending %}descending{% else %}ascending{% endif %}",
        '"{% endif %}>',
        '{% if column.orderable %}<a href="{% querystring sort=column.order_by_alias.next %}">',
        '{{ column.header }}<span class="sort-indicator" aria-hidden="true">',
        "{% if column.is_ordered %}{% if column.order_by_alias.is_descending %}▼{% else %}▲",
        "{% endif %}{% endif %}</span></a>{% else %}{{ column.header }}{% endif %}</th>",
        "{% endfor %}",
    ]
)


def heading_both_ways(table, request):
    reference = Template(HEADING_AS_THE_TEMPLATE_WROTE_IT).render(
        RequestContext(request, {"table": table})
    )
    return [table.head.replace("\n", ""), reference]


@pytest.mark.parametrize(
    "query",
    [{}, {"sort": "-majority"}, {"sort": "region", "page": "2", "q": "<North & South>"}],
)
def test_the_heading_row_is_written_as_the_template_would(seeded, query):
    request = RequestFactory().get("/constituencies/", query)
    table = ConstituencyTable(Constituency.objects.table_rows())
    RequestConfig(request, paginate=False).configure(table)
    table.before_render(request)  # as {% render_table %} does
    ours, theirs = heading_both_ways(table, request)
    assert ours == theirs
    if query.get("sort") == "-majority":
        # Sorted by majority, largest first: its link sorts the other way; others keep
        # to their own order.
        assert (
            '<th scope="col" class="desc num orderable" aria-sort="descending">'
            '<a href="?sort=majority">Majority<span class="sort-indicator" aria-hidden="true">'
            "▼</span></a></th>"
        ) in ours
        assert '<a href="?sort=name">Constituency' in ours
    if "q" in query:
        # Every other parameter kept, escaped.
        assert '<a href="?sort=-region&amp;page=2&amp;q=%3CNorth+%26+South%3E">Region' in ours
    # The result column does not sort: its heading is plain.
    assert '<th scope="col" >Result</th>' in ours
