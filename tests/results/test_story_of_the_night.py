"""What changed hands (issue 30, Why item 3): seats that changed hands, the from->to
table, the swing, every party with a seat named, the majority as the press says it.

Every figure is checked against an oracle worked out here from the Library's files
(tests/national_data.py), not from the site's code."""

import csv
import re
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from html.parser import HTMLParser

import pytest

from tests.national_data import FILES, national_data
from tests.pages import text_of

pytestmark = pytest.mark.django_db

# The Library's abbreviations (constituency file; the notional file's Win19 spells the
# Speaker "Spkr" and Alliance "All") as the site names the parties.
PARTY_NAMES = {
    "Lab": "Labour",
    "Con": "Conservative",
    "LD": "Liberal Democrat",
    "SNP": "Scottish National Party",
    "SF": "Sinn Féin",
    "Ind": "Independent",
    "DUP": "Democratic Unionist Party",
    "RUK": "Reform UK",
    "Green": "Green Party",
    "PC": "Plaid Cymru",
    "SDLP": "Social Democratic and Labour Party",
    "APNI": "Alliance Party of Northern Ireland",
    "All": "Alliance Party of Northern Ireland",
    "TUV": "Traditional Unionist Voice",
    "UUP": "Ulster Unionist Party",
    "Spk": "Speaker",
    "Spkr": "Speaker",
}


def library_rows(name):
    with open(national_data() / FILES[name], newline="", encoding="utf-8-sig") as file:
        return list(csv.DictReader(file))


def declared_by(moment):
    """ONS codes of the seats the Library recorded by `moment` ("2024-07-05 03:00:00"),
    or every seat if None."""
    rows = library_rows("declarations")
    return {row["ons_id"] for row in rows if moment is None or row["time_recorded"] <= moment}


def whole(text):
    return int((text or "0").replace(",", ""))


def library_crosstab(moment=None):
    """{(2019 notional winner, 2024 winner): seats}, by the site's party names."""
    held = {row["ONS code"]: row["Win19"] for row in library_rows("notionals")}
    declared = declared_by(moment)
    return Counter(
        (PARTY_NAMES[held[row["ONS ID"]]], PARTY_NAMES[row["First party"]])
        for row in library_rows("constituencies")
        if row["ONS ID"] in declared
    )


def library_gains(moment=None):
    declared = declared_by(moment)
    return sum(
        1
        for row in library_rows("constituencies")
        if row["ONS ID"] in declared and " gain " in f" {row['Result']} "
    )


def library_swing(moment=None):
    """Butler swing Conservative to Labour over the seats declared, in points to 2 places:
    half of (Labour's change in share less the Conservatives'), shares of all valid votes
    in those seats, 2024 (constituency file) against 2019 notional (notional file)."""
    declared = declared_by(moment)
    now = [row for row in library_rows("constituencies") if row["ONS ID"] in declared]
    then = [row for row in library_rows("notionals") if row["ONS code"] in declared]
    total = sum(whole(row["Valid votes"]) for row in now)
    then_total = sum(whole(row["total_votes"]) for row in then)
    lab = Fraction(sum(whole(r["Lab"]) for r in now), total)
    con = Fraction(sum(whole(r["Con"]) for r in now), total)
    lab_then = Fraction(sum(whole(r["Labv"]) for r in then), then_total)
    con_then = Fraction(sum(whole(r["Conv"]) for r in then), then_total)
    exact = ((lab - lab_then) - (con - con_then)) * 100 / 2
    return (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )


class TableReader(HTMLParser):
    """The from->to table as a reader's screen reader gives it: each cell's row and
    column headers (their full names, from <abbr title>), and its number."""

    def __init__(self):
        super().__init__()
        self.in_table = False
        self.columns, self.cells, self.row = [], {}, None
        self.cell, self.text, self.title = None, "", None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and "changed-hands__table" in (attrs.get("class") or ""):
            self.in_table = True
        if not self.in_table:
            return
        if tag in ("th", "td"):
            self.cell, self.text, self.title = (tag, attrs.get("scope")), "", None
        if tag == "abbr" and self.cell:
            self.title = attrs.get("title")

    def handle_data(self, data):
        if self.in_table and self.cell:
            self.text += data

    def handle_endtag(self, tag):
        if tag == "table":
            self.in_table = False
        if not self.in_table or tag not in ("th", "td") or not self.cell:
            return
        name = self.title or self.text.strip()
        if self.cell == ("th", "col"):
            self.columns.append(name)
        elif self.cell == ("th", "row"):
            self.row, self.column = name, 0
        elif self.cell[0] == "td":
            self.column += 1
            if self.text.strip():
                self.cells[(self.row, self.columns[self.column])] = int(self.text.strip())
        self.cell = None


def table_of(response):
    reader = TableReader()
    reader.feed(response.content.decode())
    return reader


def test_the_strip_names_every_party_with_a_seat(client, every_seat):
    text = text_of(client.get("/regions/wales/"))
    assert (
        "National result LAB 412 CON 121 LD 72 SNP 9 SF 7 IND 6 DUP 5 REF 5 PC 4 GRN 4 "
        "SDLP 2 ALL 1 TUV 1 UUP 1 All 650 seats declared"
    ) in text
    assert "OTH" not in text


def test_the_seat_bar_names_reform_uk_with_its_5(client, every_seat):
    html = client.get("/").content.decode()
    assert "Reform UK 5" in re.search(r"<title id=\"seat-bar-title\">(.*?)</title>", html)[1]
    assert "Others" not in re.search(r"<title id=\"seat-bar-title\">(.*?)</title>", html)[1]


def test_the_headline_gives_the_majority_as_the_press_did(client, every_seat):
    text = text_of(client.get("/"))
    assert "Labour majority of 174" in text
    assert (
        "Labour's 412 seats include the Speaker's, counted with Labour as the night's "
        "scoreboards count him: the table below shows Labour's own 411 and the Speaker apart."
    ) in text
