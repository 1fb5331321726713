"""Oracles for what changed hands, worked out from the House of Commons Library's files
alone (tests/national_data.py gives the folder), not from the site's code: the seats
that changed hands, the table of 2019 holder by 2024 winner, the two-party swing."""

import csv
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from tests.national_data import FILES, national_data

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


def library_swing(moment=None, region=None):
    """Butler swing Conservative to Labour over the seats declared (in `region`, by the
    Library's name, if given), in points to 2 places: half of (Labour's change in share
    less the Conservatives'), shares of all valid votes in those seats, 2024
    (constituency file) against 2019 notional (notional file)."""
    declared = declared_by(moment)
    now = [
        row
        for row in library_rows("constituencies")
        if row["ONS ID"] in declared and region in (None, row["Region name"])
    ]
    declared = {row["ONS ID"] for row in now}
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
