"""Replay the 2024 night hour by hour and measure how wrong the seat projection was.

    make projection-report          # or: .venv/bin/python scripts/projection_report.py

Reads the four House of Commons Library files in ../shared/data/ge2024 (see README) through
the project's parsers; no database and no Django set-up, as the parsers need neither. At
each hour boundary from the first declaration until all 650 seats have declared, it takes
the seats declared by then (their declaration times, BST), projects the rest by each method
of results.projection, and compares the projection with the final result. Hours in which
nothing declared are left out: their figures would repeat the hour before.

Writes docs/projection.md (the methods, their rules, the hourly table and the choice of
method) and docs/projection-error.svg (the error by hour). Exits non-zero if, with every
seat declared, the projection is not the result, or if results.projection.SHOWN_METHOD is
not the method with the smaller error.
"""

import sys
from collections import Counter
from dataclasses import replace
from datetime import timedelta
from html import escape
from statistics import fmean

from bench_import import DATA, FILES, ROOT

sys.path.insert(0, str(ROOT))

from results.documents import read_document  # noqa: E402
from results.national import (  # noqa: E402
    parse_candidates_csv,
    parse_constituencies_csv,
    parse_declarations_csv,
)
from results.notionals import parse_notional_votes_csv  # noqa: E402
from results.projection import (  # noqa: E402
    GREAT_BRITAIN,
    MINIMUM_DECLARED,
    REGIONAL_MINIMUM,
    SHOWN_METHOD,
    Method,
    misallocated,
    project,
    seat_errors,
    seats_from_national,
)

DOC = ROOT / "docs" / "projection.md"
CHART = ROOT / "docs" / "projection-error.svg"
MAIN_PARTIES = ("Lab", "Con", "LD", "SNP", "RUK", "Green", "PC")
COLOURS = {Method.UNIFORM: "#1f5fa8", Method.REGIONAL: "#b4441c"}
DASHES = {Method.UNIFORM: "", Method.REGIONAL: "7 4"}


def main():
    if not all((DATA / name).is_file() for name in FILES.values()):
        sys.exit(f"{DATA} lacks the GE2024 files: see README, 'Every seat in the country'.")
    library = {name: read_document(DATA / file) for name, file in FILES.items()}
    constituencies = parse_constituencies_csv(library["constituencies"], FILES["constituencies"])
    candidacies = parse_candidates_csv(library["candidates"], FILES["candidates"])
    declared_at = parse_declarations_csv(library["declarations"], FILES["declarations"])
    notional_votes = parse_notional_votes_csv(library["notionals"], FILES["notionals"])
    final = dict(Counter(record.winner_abbreviation for record in constituencies))
    if len(declared_at) != len(constituencies):
        sys.exit(f"{len(constituencies) - len(declared_at)} seats have no declaration time")

    rows = []
    for moment in hour_boundaries(declared_at.values()):
        declared = {code for code, when in declared_at.items() if when <= moment}
        if rows and len(declared) == rows[-1]["declared"]:
            continue
        seats = seats_from_national(notional_votes, constituencies, candidacies, declared)
        projections = {method: project(seats, method) for method in Method}
        rows.append(
            {
                "moment": moment,
                "declared": len(declared),
                "projections": projections,
                "misallocated": {
                    method: misallocated(projection.seats, final)
                    for method, projection in projections.items()
                },
            }
        )

    last = rows[-1]
    if last["declared"] != len(constituencies) or any(last["misallocated"].values()):
        sys.exit(f"with every seat declared the projection is not the result: {last}")
    shown_rows = [row for row in rows if row["declared"] >= MINIMUM_DECLARED]
    means = {method: fmean(row["misallocated"][method] for row in shown_rows) for method in Method}
    # A tie goes to uniform swing, the simpler method to explain.
    better = min(Method, key=lambda method: (means[method], method != Method.UNIFORM))

    every_seat = seats_from_national(notional_votes, constituencies, candidacies)
    CHART.write_text(chart(rows))
    DOC.write_text(
        document(rows, final, means, better, conservative_fall(every_seat), hindsight(every_seat))
    )
    print(f"wrote {DOC.relative_to(ROOT)} and {CHART.relative_to(ROOT)}")
    for method in Method:
        at = {row["moment"].strftime("%a %H:%M"): row["misallocated"][method] for row in rows}
        print(f"{method.label}: mean {means[method]:.1f} seats misallocated; by hour {at}")
    if better != SHOWN_METHOD:
        sys.exit(
            f"{better.label} has the smaller error, but results.projection.SHOWN_METHOD "
            f"is {SHOWN_METHOD.label}: change it"
        )


def hour_boundaries(times):
    """Each whole hour after the first time, up to the first one at or after the last."""
    times = sorted(times)
    moment = times[0].replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    while True:
        yield moment
        if moment >= times[-1]:
            return
        moment += timedelta(hours=1)


def label(moment):
    """'03:00' on the night (to Friday noon), with the day after that: '18:00 Sat'."""
    if moment.day == 5 and moment.hour <= 12:
        return moment.strftime("%H:%M")
    return moment.strftime("%H:%M %a")


def hindsight(seats):
    """{method: seats per party} if every seat's final swing had been known and applied to
    every seat: each seat twice, once declared and once (under another code) not."""
    undeclared = [
        replace(seat, ons_code=f"{seat.ons_code}?", declared=None, winner=None) for seat in seats
    ]
    result = {}
    for method in Method:
        winners = project(seats + undeclared, method).winners
        result[method] = Counter(winners[seat.ons_code] for seat in undeclared)
    return result


def conservative_fall(seats):
    """[(band label, seats, mean Conservative change, mean Labour change)] over the British
    seats, by the Conservatives' 2019 notional share."""
    bands = ((0, 30), (30, 45), (45, 55), (55, 101))
    british = [seat for seat in seats if seat.pool == GREAT_BRITAIN and not seat.is_speakers_seat]
    table = []
    for low, high in bands:
        band = [seat for seat in british if low <= seat.notional.get("Con", 0) < high]
        table.append(
            (
                f"{low}–{min(high, 100)}%",
                len(band),
                fmean(seat.declared.get("Con", 0) - seat.notional.get("Con", 0) for seat in band),
                fmean(seat.declared.get("Lab", 0) - seat.notional.get("Lab", 0) for seat in band),
            )
        )
    return table


def document(rows, final, means, better, fall, hindsight):
    other = [method for method in Method if method != better][0]
    shown = [row for row in rows if row["declared"] >= MINIMUM_DECLARED]
    final_row = " | ".join(str(final.get(party, 0)) for party in MAIN_PARTIES)
    final_other = sum(final.values()) - sum(final.get(party, 0) for party in MAIN_PARTIES)
    lines = [
        "# The seat projection, and how wrong it was on the 2024 night",
        "",
        "Made by `make projection-report` (`scripts/projection_report.py`) from the House of "
        "Commons Library files (see `../shared/data/ge2024/SOURCE.md`); do not edit by hand.",
        "",
        "Between the first declaration and the last, the site projects the final seats from "
        "the seats declared so far: each undeclared seat's 2019 notional result (Rallings & "
        "Thrasher, on the 2024 boundaries) is moved by the change in share seen in the declared "
        "seats, and the party with the largest projected share is counted as winning it. "
        "Declared seats count as they were won. The projection is always shown beside the "
        "seats actually won, never instead of them, and labelled with its method and the "
        "number of seats it rests on. The code is `results/projection.py`.",
        "",
        "## The two methods",
        "",
        "- **Uniform swing.** Each party's swing is its mean change in share (2024 share minus "
        "2019 notional share, in points) over the seats declared so far, one seat one figure. "
        "It is added to the party's notional share in each undeclared seat.",
        "- **Regional swing.** The same, within the seat's region: the nine English regions, "
        "Scotland, Wales and Northern Ireland. A party's regional figure is used only when it "
        f"rests on at least {REGIONAL_MINIMUM} declared seats of the region; otherwise its "
        "national figure is used, so one or two early results do not swing a region alone.",
        "",
        "## The rules (both methods)",
        "",
        "- **Great Britain and Northern Ireland are separate.** The national figure for a "
        "Northern Ireland seat comes from the declared Northern Ireland seats only, and for a "
        "British seat from the British ones. So the Northern Ireland parties (DUP, SF, SDLP, "
        "UUP, Alliance) swing only there, and the Conservatives' fall in Great Britain is not "
        "applied to their few candidates in Northern Ireland.",
        "- **A party that did not stand in 2019** (notional share 0) gets its mean 2024 share "
        "in the declared seats where it did not stand in 2019 either, rather than its swing "
        "where it did stand added to 0. Like is compared with like: Reform UK's rise on the "
        "Brexit Party's 2019 vote is smaller than its share where the Brexit Party stood aside "
        "for the Conservatives in 2019. Until such a seat has declared, the party's swing "
        "where it stood is added to 0.",
        "- **Brexit Party 2019 → Reform UK 2024.** The Brexit Party renamed itself Reform UK "
        "in 2021; its 2019 votes are Reform UK's baseline.",
        '- **"Others"** are all other candidates together, treated as one party.',
        "- **Floor at 0.** A projected share below 0 counts as 0 (shares are not rescaled; "
        "that would not change which party is largest).",
        "- **No evidence, no change.** A party with no declared seat to go on keeps its "
        "notional share.",
        "- **The Speaker's seat** (Chorley) is projected as the Speaker's and counted as the "
        "Speaker, not a party. The main parties do not stand against the Speaker, so the seat "
        "is also left out of every swing.",
        "- **Declared seats keep their actual winner**, whatever party (or Independent) it is.",
        "- **Ties** in projected share go to the seat's 2019 notional winner.",
        f"- **Shown from {MINIMUM_DECLARED} declared seats.** Before then the projection would "
        "rest on a handful of fast-counting seats in the North East, which are not the country.",
        "",
        "## Which method the site shows",
        "",
        f"The site shows **{better.label}**. Over the hours in which the projection is shown "
        f"({len(shown)} hourly points with at least {MINIMUM_DECLARED} seats declared), "
        f"{better.label} misallocated {means[better]:.1f} seats on average and "
        f"{other.label} {means[other]:.1f}. "
        "Seats misallocated = half the sum over parties of |projected − final| (each seat given "
        "to the wrong party is one too many for one party and one too few for another).",
        "",
        "![Seats misallocated by the projection at each hour of the night, by method]"
        f"({CHART.name})",
        "",
        "## Where the error comes from",
        "",
        f"Over those hours {better.label} gave the Conservatives "
        f"{how_far(mean_error(shown, better, final, 'Con'))} and Labour "
        f"{how_far(mean_error(shown, better, final, 'Lab'))} on average. An additive swing moves "
        "every seat by the same points, but in 2024 the Conservative vote fell furthest where "
        "it had been strongest, and Labour rose most there (the final results, British seats "
        "but the Speaker's, by the Conservatives' 2019 notional share):",
        "",
        "| Con share 2019 | Seats | Con change (points) | Lab change (points) |",
        "|---|---:|---:|---:|",
        *(
            f"| {band} | {count} | {signed_points(con)} | {signed_points(lab)} |"
            for band, count, con, lab in fall
        ),
        "",
        "So the swing itself, not only the seats it is measured on, is the trouble: with the "
        "final swings, from all 650 seats, applied to every seat's 2019 notional result, "
        + "; ".join(
            f"{method.label} would give Labour {seats.get('Lab', 0)} and the Conservatives "
            f"{seats.get('Con', 0)}"
            for method, seats in hindsight.items()
        )
        + f" (they won {final.get('Lab', 0)} and {final.get('Con', 0)}). The error falls "
        "through the night mostly because declared seats count as they were won. A swing "
        "proportional to each party's 2019 share would follow the pattern better; it is not "
        "one of the methods here.",
        "",
        "## Hour by hour",
        "",
        "Each cell is the projected seats, and in brackets projected minus final. Times are "
        "BST; the night is 4–5 July 2024, and the last seat (Inverness, Skye and West "
        "Ross-shire) declared on Saturday 6 July. Hours in which no seat declared are left out. "
        '"Other" is every other winner (Northern Ireland parties, Independents, the Speaker).',
        "",
        "| Hour (BST) | Declared | Method | "
        + " | ".join(MAIN_PARTIES)
        + " | Other | Misallocated |",
        "|---|---:|---|" + "---:|" * (len(MAIN_PARTIES) + 2),
    ]
    for row in rows:
        for method in Method:
            seats = row["projections"][method].seats
            errors = seat_errors(seats, final)
            other_seats = sum(seats.values()) - sum(seats.get(party, 0) for party in MAIN_PARTIES)
            cells = [f"{seats.get(party, 0)} ({signed(errors[party])})" for party in MAIN_PARTIES]
            cells.append(f"{other_seats} ({signed(other_seats - final_other)})")
            hidden = "" if row["declared"] >= MINIMUM_DECLARED else " (not shown)"
            lines.append(
                f"| {label(row['moment'])} | {row['declared']} | {method.label}{hidden} | "
                + " | ".join(cells)
                + f" | {row['misallocated'][method]} |"
            )
    lines += [
        f"| **Result** | {sum(final.values())} | | {final_row} | {final_other} | |",
        "",
        "Contains Parliamentary information licensed under the Open Parliament Licence v3.0. "
        "Notional 2019 results: Rallings & Thrasher, for BBC/ITN/PA/Sky.",
        "",
    ]
    return "\n".join(lines)


def mean_error(rows, method, final, party):
    """The mean over `rows` of `method`'s projected minus final seats for `party`."""
    return fmean(
        row["projections"][method].seats.get(party, 0) - final.get(party, 0) for row in rows
    )


def how_far(error):
    """'33 seats too many', '21 too few', 'the right number'."""
    seats = round(abs(error))
    if seats == 0:
        return "about the right number of seats"
    return f"{seats} seats too {'many' if error > 0 else 'few'}"


def signed_points(number):
    """+5.8, −28.3: one decimal, a true minus sign."""
    return f"+{number:.1f}" if number >= 0 else f"−{-number:.1f}"


def signed(number):
    """+3, −2 (a true minus sign), or 0."""
    return f"+{number}" if number > 0 else f"−{-number}" if number < 0 else "0"


def chart(rows):
    """A line chart of seats misallocated by hour, one line per method, as SVG text."""
    width, height = 720, 380
    left, right, top, bottom = 64, 24, 56, 78
    plot_width, plot_height = width - left - right, height - top - bottom
    peak = max(row["misallocated"][method] for row in rows for method in Method)
    step = 25 if peak <= 200 else 50
    y_max = -(-peak // step) * step

    def x(index):
        return left + plot_width * index / (len(rows) - 1)

    def y(value):
        return top + plot_height * (1 - value / y_max)

    summary = "; ".join(
        f"{label(row['moment'])}: "
        + ", ".join(f"{method.label} {row['misallocated'][method]}" for method in Method)
        for row in rows
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="title desc" '
        'font-family="system-ui, sans-serif" font-size="12">',
        '<title id="title">Seats misallocated by the projection, hour by hour, '
        "4–6 July 2024</title>",
        f'<desc id="desc">Seats given to the wrong party by the projection from the seats '
        f"declared so far, by method, at each hour (BST) in which a seat declared. "
        f"{escape(summary)}.</desc>",
        f'<rect width="{width}" height="{height}" fill="#fff"/>',
    ]
    for value in range(0, y_max + 1, step):
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(value):.1f}" y2="{y(value):.1f}" '
            'stroke="#ddd"/>'
        )
        parts.append(
            f'<text x="{left - 8}" y="{y(value) + 4:.1f}" text-anchor="end" fill="#333">'
            f"{value}</text>"
        )
    first_shown = next(
        index for index, row in enumerate(rows) if row["declared"] >= MINIMUM_DECLARED
    )
    parts.append(
        f'<line x1="{x(first_shown):.1f}" x2="{x(first_shown):.1f}" y1="{top}" '
        f'y2="{top + plot_height}" stroke="#666" stroke-dasharray="2 3"/>'
    )
    parts.append(
        f'<text x="{x(first_shown) + 4:.1f}" y="{top + 12}" fill="#333">shown from '
        f"{MINIMUM_DECLARED} declared</text>"
    )
    for index, row in enumerate(rows):
        parts.append(
            f'<text transform="translate({x(index):.1f} {top + plot_height + 14}) rotate(-40)" '
            f'text-anchor="end" fill="#333">{label(row["moment"])}</text>'
        )
    parts.append(
        f'<line x1="{left}" x2="{width - right}" y1="{top + plot_height}" '
        f'y2="{top + plot_height}" stroke="#333"/>'
    )
    parts.append(
        f'<line x1="{left}" x2="{left}" y1="{top}" y2="{top + plot_height}" stroke="#333"/>'
    )
    parts.append(
        f'<text x="{left + plot_width / 2:.1f}" y="{height - 8}" text-anchor="middle" '
        'fill="#111">Hour (BST), 5 July 2024 unless marked; hours with no declaration left out'
        "</text>"
    )
    parts.append(
        f'<text transform="translate(16 {top + plot_height / 2:.1f}) rotate(-90)" '
        'text-anchor="middle" fill="#111">Seats misallocated</text>'
    )
    for method in Method:
        points = " ".join(
            f"{x(index):.1f},{y(row['misallocated'][method]):.1f}" for index, row in enumerate(rows)
        )
        dash = f' stroke-dasharray="{DASHES[method]}"' if DASHES[method] else ""
        parts.append(
            f'<polyline points="{points}" fill="none" stroke="{COLOURS[method]}" '
            f'stroke-width="2.5"{dash}/>'
        )
        for index, row in enumerate(rows):
            parts.append(marker(method, x(index), y(row["misallocated"][method])))
    for position, method in enumerate(Method):
        legend_x = left + 12 + position * 170
        parts.append(
            f'<line x1="{legend_x}" x2="{legend_x + 28}" y1="24" y2="24" '
            f'stroke="{COLOURS[method]}" stroke-width="2.5"'
            + (f' stroke-dasharray="{DASHES[method]}"' if DASHES[method] else "")
            + "/>"
        )
        parts.append(marker(method, legend_x + 14, 24))
        parts.append(
            f'<text x="{legend_x + 36}" y="28" fill="#111">{method.label.capitalize()}</text>'
        )
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def marker(method, cx, cy):
    """A circle for uniform swing, a square for regional: told apart without colour."""
    colour = COLOURS[method]
    if method == Method.UNIFORM:
        return f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="3.5" fill="{colour}"/>'
    return f'<rect x="{cx - 3.5:.1f}" y="{cy - 3.5:.1f}" width="7" height="7" fill="{colour}"/>'


if __name__ == "__main__":
    main()
