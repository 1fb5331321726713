"""Filters and tags for showing results."""

import functools
import json
from decimal import Decimal

from django import template
from django.utils import dateformat
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe

from results import colours
from results.arithmetic import percentage
from results.times import to_the_second, uk_time_of

# What json_script escapes in JSON inside a <script> element.
JSON_SCRIPT_ESCAPES = (("&", "\\u0026"), ("<", "\\u003C"), (">", "\\u003E"))

register = template.Library()

MINUS = "\u2212"


@register.simple_tag
def share_bars(candidacies):
    """Each candidate's share of the vote, a bar in their party's colour beside their
    name: written here, not in the template, whose lookups for each candidate cost more
    than the bars."""
    bars = []
    for candidacy in candidacies:
        party, share = candidacy.party, escape(candidacy.share)
        bars.append(
            "<li>\n"
            f'<span class="share-chart__label">{escape(candidacy.name)} '
            f'<span class="muted">{escape(party.short_name)}</span></span>\n'
            '<svg class="share-chart__bar" viewBox="0 0 100 10" preserveAspectRatio="none"'
            ' aria-hidden="true" focusable="false"><rect width="100" height="10"'
            f' fill="#ececec"/><rect width="{share}" height="10" fill="{escape(party.colour)}"/>'
            "</svg>\n"
            f'<span class="share-chart__value">{share}%</span>\n'
            "</li>"
        )
    return mark_safe("\n".join(bars))  # noqa: S308: each value is escaped


@register.filter
def signed(change):
    """`+211`, `−251` (a true minus sign) or `0`."""
    if change > 0:
        return f"+{change}"
    if change < 0:
        return f"{MINUS}{-change}"
    return "0"


@register.filter
def signed_number(change):
    """`+1.6`, `−19.9` or `0.0` as given; a dash when unknown."""
    if change is None:
        return "–"
    if change > 0:
        return f"+{change}"
    if change < 0:
        return f"{MINUS}{-change}"
    return f"{change}"


@register.simple_tag
def party_rows(parties, others):
    """The party table's rows (includes/_party_table.html), a party's standing each, then
    the others': written here, as the template's lookups for each of a dozen and more
    parties cost more than the rows did (the home page's, after every declaration)."""
    rows = [
        format_html(
            '<tr><th scope="row">{} <a href="{}">{}</a></th><td class="num">{}</td>'
            '<td class="num">{}</td><td class="num votes">{}</td><td class="num">{}%</td>'
            '<td class="num">{}</td></tr>',
            party_swatch(row.party),
            row.party.get_absolute_url(),
            row.party.name,
            row.seats,
            signed(row.seats_change),
            thousands(row.votes),
            row.headline_share,
            signed_number(row.headline_share_change),
        )
        for row in parties
    ]
    if not parties:
        rows.append(mark_safe('<tr><td colspan="6">No seats declared yet.</td></tr>'))
    if others:
        rows.append(
            format_html(
                '<tr><th scope="row">{} Others</th><td class="num">0</td><td class="num">–</td>'
                '<td class="num votes">{}</td><td class="num">{}%</td><td class="num">–</td></tr>',
                party_swatch(None),
                thousands(others.votes),
                others.headline_share,
            )
        )
    return mark_safe("\n".join(rows))  # noqa: S308: each row made by format_html


@register.filter
def signed_points(change, places=2):
    """A change in share in points: `+3.20 pts`, `−1.05 pts`, `0.00 pts`; a dash when
    unknown."""
    if change is None:
        return "–"
    if change > 0:
        return f"+{change:.{places}f} pts"
    if change < 0:
        return f"{MINUS}{-change:.{places}f} pts"
    return f"{change:.{places}f} pts"


@register.simple_tag
def party_swatch(party, size=12):
    """A small square in the party's colour. Decorative: the party's name goes beside it."""
    return swatch(party.colour if party else colours.GREY, size)


@functools.lru_cache(maxsize=256)
def swatch(colour, size):
    """Made once per colour: a page draws one beside every seat. Outlined, so that a pale
    colour (the SNP's yellow) still stands out from the page (WCAG 1.4.11)."""
    return format_html(
        '<svg class="swatch" width="{size}" height="{size}" viewBox="0 0 12 12" aria-hidden="true"'
        ' focusable="false"><rect x=".5" y=".5" width="11" height="11" fill="{colour}"'
        ' stroke="#505050"/></svg>',
        size=size,
        colour=colour,
    )


AWAITING = mark_safe('<span class="verdict verdict--awaiting">Awaiting declaration</span>')


@register.filter
def verdict(result):
    """`LAB GAIN FROM CON` beside the winner's colour, marked `Corrected` if the results
    desk has corrected it, or "Awaiting declaration"."""
    if result is None:
        return AWAITING
    return verdict_mark(result.winner.party.colour, result.verdict, bool(result.corrected_at))


@register.filter
def seat_verdict(seat):
    """The same for a seat's figures (pages.seats), as they stood at the moment shown."""
    if not seat.declared:
        return AWAITING
    return verdict_mark(seat.colour, seat.short_verdict, seat.corrected_at is not None)


@functools.lru_cache(maxsize=1024)
def verdict_mark(colour, words, corrected):
    """Made once per colour and verdict: lists and pages show one beside many a seat."""
    return format_html(
        '<span class="verdict">{} {}</span>{}',
        swatch(colour, 12),
        words,
        mark_safe(' <span class="corrected-mark">Corrected</span>') if corrected else "",
    )


@register.filter
def change(number):
    """A change in seats: `+211`, `−251`, or "No change"."""
    return signed(number) if number else "No change"


@register.filter
def json_ld(data):
    """A schema.org JSON-LD block, escaped as `json_script` does, by replacing each
    character (cheaper than `str.translate` over a live page's posts)."""
    text = json.dumps(data, ensure_ascii=False)
    for character, escaped in JSON_SCRIPT_ESCAPES:
        text = text.replace(character, escaped)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')


@register.filter
def thousands(number):
    """`9,708,716`: commas between the thousands, as humanize's intcomma writes them in
    English, without looking up the locale's separators each time as intcomma does."""
    return f"{number:,}" if isinstance(number, int | Decimal) else number


@register.filter
def uk_time(moment, format):
    """A moment in UK time, as the `date` filter writes it (`H:i T, j F`: 04:00 BST,
    5 July); '' for none. Written once per moment and format: each seat's time is on many
    pages, written again after every change."""
    return moment_in_words(moment, format) if moment else ""


@functools.lru_cache(maxsize=8192)
def moment_in_words(moment, format):
    return dateformat.format(uk_time_of(moment), format)


@register.filter
@functools.lru_cache(maxsize=8192)
def iso(moment):
    """A machine-readable time to the second, in UK time: `2024-07-05T02:43:00+01:00`.

    To the second, because that is what survives a dumpdata/loaddata round trip.
    """
    return to_the_second(moment).isoformat()


@register.filter
def night_figure(seat, figure):
    """The figure a list of the night ranks a seat by (pages.lists), in words:
    `63.30% turnout`, `swing 12.5 pts from Conservative`, `majority 3,820 (7.60%)`."""
    if figure == "turnout":
        return f"{seat.turnout}% turnout"
    if figure == "swing":
        return f"swing {seat.swing} pts from {seat.runner_up_party}"
    if seat.valid_votes:
        return (
            f"majority {thousands(seat.majority)} ({percentage(seat.majority, seat.valid_votes)}%)"
        )
    return f"majority {thousands(seat.majority)}"


@register.simple_tag
def night_list_lines(rows, figure):
    """A few lines of a list of the night (includes/_night_lists.html), a seat each with
    its winner's party and the figure: written here, as the template's lookups for each
    cost more than the lines (the home page's five lists, after every declaration)."""
    return format_html_join(
        "",
        '<li><a href="{}">{}</a> {} <span class="muted">{}, {}</span></li>',
        (
            (row.url, row.name, party_swatch(row), row.party, night_figure(row, figure))
            for row in rows
        ),
    )


@register.filter
def percentage_of(part, whole):
    """`part` as a percentage of `whole`, two places; empty when `whole` is 0."""
    return percentage(part, whole) if whole else ""
