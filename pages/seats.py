"""Every seat with its figures as plain records, read in one query and kept seat by seat:
what the map of every seat, the lists of the night, the region pages, the county results
and the API are drawn from."""

import functools
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime
from operator import attrgetter

from pages import invalidation
from pages.data_cache import PerSeat, PerVersion, RunningSums
from results import arithmetic
from results.links import page_url
from results.models import Constituency, Party, verdict_in_short, verdict_in_words
from results.replay import happened_by, hour_of
from results.scoreboard import (
    StandingSums,
    notional_rows,
    read_seat_tallies,
    seat_tallies_from_rows,
    seat_tally_rows,
    turnout_of,
)

# Every party by id, read once per change of the site's names and colours (a party's
# change is the site's: pages.invalidation): what a seat's page and tally take their
# candidates' parties from, rather than reading them with the candidates.
kept_parties = PerVersion((invalidation.SITE,), Party.objects.in_bulk)


@dataclass(frozen=True)
class SeatFigures:
    slug: str
    name: str
    ons_code: str
    region_slug: str
    region_name: str
    nation: str
    county_slug: str
    county_name: str
    declared: bool  # by the moment shown
    notional_valid_votes: int | None = None
    notional_electorate: int | None = None
    party_slug: str = ""
    party: str = ""
    party_short_name: str = ""
    colour: str = ""
    outcome: str = ""
    gained_from: str = ""
    gained_from_slug: str = ""
    gained_from_short_name: str = ""
    gained_from_colour: str = ""
    verdict: str = ""  # "Labour gain from Conservative"
    short_verdict: str = ""  # "LAB GAIN FROM CON"
    corrected_at: datetime | None = None  # by the moment shown
    winner: str = ""
    majority: int = 0
    valid_votes: int | None = None
    electorate: int | None = None
    turnout: object = None  # Decimal, or None
    declared_at: datetime | None = None
    declared_at_approximate: bool = False  # the source gives the time only roughly
    recorded_at: datetime | None = None
    swing: object = None  # Butler swing from the runner-up, points (Decimal), or None
    runner_up_party: str = ""
    runner_up_party_slug: str = ""
    winner_id: int | None = None  # the winner's Candidacy

    @functools.cached_property
    def url(self):
        # Once per seat's reading, which is kept: the map alone links all 650 seats.
        return page_url("pages:constituency-detail", slug=self.slug)

    @functools.cached_property
    def declared_hour(self):
        """The hour it declared in (results.replay.hour_of), once per seat's reading."""
        return hour_of(self.declared_at)


def all_seats(at=None):
    """Every seat, each with its result as it stood `at` a moment (None: now, read once
    per change of the national figures: the home page, the lists and the API read it
    alike after each declaration)."""
    if at is None:
        return list(kept_seats())
    return read_seats(at)


def read_seats(at, **lookups):
    """Every seat (or those the `lookups` find), read from the database, each with its
    result as it stood `at` a moment."""
    rows = Constituency.objects.filter(**lookups).figures()
    # By name as Python orders names, whatever the database's collation: the lists of the
    # night keep this order among seats that tie.
    return sorted((seat_from_row(row, at) for row in rows), key=attrgetter("name"))


def seats_of_place(place, slug, at):
    """The seats of a region or a county (`place`: "region", "county") by its slug, by
    name, each with its result as it stood `at` (None: now, from the seats kept)."""
    if at is None:
        field = f"{place}_slug"
        return [seat for seat in kept_seats() if getattr(seat, field) == slug]
    return read_seats(at, **{f"{place}__slug": slug})


def tallies_of_seats(seats, at):
    """Each of `seats`' part in the standings (SeatTally), as it stood `at` (None: now,
    from the tallies kept)."""
    if at is None:
        kept = kept_tallies.by_slug()
        # A seat added or removed since `seats` were read is left out until the next look.
        return [kept[seat.slug] for seat in seats if seat.slug in kept]
    slugs = [seat.slug for seat in seats]
    return list(read_seat_tallies(Constituency.objects.filter(slug__in=slugs), at).values())


def seat_from_row(row, at):
    declared_at, corrected_at = row["result__declared_at"], row["result__corrected_at"]
    declared = row["result__winner__party__slug"] is not None and happened_by(declared_at, at)
    place = {
        "slug": row["slug"],
        "name": row["name"],
        "ons_code": row["ons_code"] or "",
        "region_slug": row["region__slug"] or "",
        "region_name": row["region__name"] or "",
        "nation": row["region__nation"] or "",
        "county_slug": row["county__slug"] or "",
        "county_name": row["county__name"] or "",
        "notional_valid_votes": row["notional_valid_votes"],
        "notional_electorate": row["notional_electorate"],
    }
    if not declared:
        return SeatFigures(declared=False, **place)
    return SeatFigures(
        declared=True,
        party_slug=row["result__winner__party__slug"],
        party=row["result__winner__party__name"],
        party_short_name=row["result__winner__party__short_name"],
        colour=row["result__winner__party__colour"],
        outcome=row["result__outcome"],
        gained_from=row["result__gained_from__name"] or "",
        gained_from_slug=row["result__gained_from__slug"] or "",
        gained_from_short_name=row["result__gained_from__short_name"] or "",
        gained_from_colour=row["result__gained_from__colour"] or "",
        verdict=verdict_in_words(
            row["result__winner__party__name"],
            row["result__outcome"],
            row["result__gained_from__name"],
        ),
        short_verdict=verdict_in_short(
            row["result__winner__party__short_name"],
            row["result__outcome"],
            row["result__gained_from__short_name"],
        ),
        corrected_at=corrected_at if corrected_at and happened_by(corrected_at, at) else None,
        winner=row["result__winner__name"],
        winner_id=row["result__winner"],
        majority=row["result__majority"],
        valid_votes=row["result__valid_votes"],
        electorate=row["result__electorate"],
        turnout=row["result__turnout"],
        declared_at=declared_at,
        declared_at_approximate=row["result__declared_at_approximate"],
        recorded_at=row["result__recorded_at"],
        swing=arithmetic.swing(
            row["result__winner__share_change"],
            row["runner_up_change"],
            speaker_stands=Party.speaker_stands(
                row["result__winner__party__slug"], row["runner_up_party_slug"]
            ),
        ),
        runner_up_party=row["runner_up_party"] or "",
        runner_up_party_slug=row["runner_up_party_slug"] or "",
        **place,
    )


def seats_where(slugs):
    """Every seat, or those of `slugs` (None: every seat), as a queryset."""
    seats = Constituency.objects.all()
    return seats if slugs is None else seats.filter(slug__in=slugs)


def read_seats_now(slugs):
    """(slug, SeatFigures now) for each of `slugs`, or every seat if None."""
    if slugs is None:
        return [(seat.slug, seat) for seat in read_seats(None)]
    return [(row["slug"], seat_from_row(row, None)) for row in seats_where(slugs).figures()]


def read_tallies_now(slugs):
    """(slug, SeatTally now) for each of `slugs`, or every seat if None: the parties
    from those kept, as a seat's page and a card take them."""
    seats = seats_where(slugs)
    return seat_tallies_from_rows(
        seat_tally_rows(seats), notional_rows(seats), kept_parties()
    ).items()


@dataclass(frozen=True)
class SittingMP:
    """An MP at the dissolution, standing again."""

    candidacy: int  # pk
    name: str
    party: str
    party_short_name: str


def read_sitting_mps_now(slugs):
    """(slug, its sitting MPs standing again) for each of `slugs`, or every seat if None:
    one each, but in six seats two MPs stood against each other."""
    mps = {}
    for slug, *mp in seats_where(slugs).sitting_mps():
        found = mps.setdefault(slug, [])
        if mp[0] is not None:
            found.append(SittingMP(*mp))
    return [(slug, tuple(found)) for slug, found in mps.items()]


kept_seats = PerSeat(read_seats_now)
# Each seat's part in the party standings and the scoreboard (pages.fragments).
kept_tallies = PerSeat(read_tallies_now)
# Who lost their seat, without a query of its own (pages.lists.defeated_mps).
kept_sitting_mps = PerSeat(read_sitting_mps_now)


# The standings' sums over every seat now, brought up to date seat by seat.
running_sums = RunningSums(kept_tallies, StandingSums.of)


def turnout(seats):
    """The turnout over the declared seats among `seats`."""
    return turnout_of(
        (seat.valid_votes, seat.electorate, seat.notional_valid_votes, seat.notional_electorate)
        for seat in seats
        if seat.declared
    )


@dataclass(frozen=True)
class RegionSummary:
    name: str
    slug: str
    seats: int
    declared: int
    leaders: tuple  # (party name, seats), most seats first, ties all shown
    turnout: object

    @property
    def url(self):
        return page_url("pages:region-detail", slug=self.slug)


def region_summaries(at=None):
    """Each nation and region: seats, seats declared, the party with most, turnout."""
    by_region = defaultdict(list)
    for seat in all_seats(at):
        if seat.region_slug:
            by_region[(seat.region_name, seat.region_slug)].append(seat)
    summaries = []
    for (name, slug), seats in sorted(by_region.items()):
        won = Counter(seat.party for seat in seats if seat.declared).most_common()
        most = won[0][1] if won else 0
        summaries.append(
            RegionSummary(
                name=name,
                slug=slug,
                seats=len(seats),
                declared=sum(1 for seat in seats if seat.declared),
                leaders=tuple((party, count) for party, count in won if count == most),
                turnout=turnout(seats),
            )
        )
    return summaries


@dataclass(frozen=True)
class Place:
    name: str
    url: str


def places_of(seats, kind):
    """The places of a kind ("region", "county") the seats are in, by name."""
    names = {
        getattr(seat, f"{kind}_slug"): getattr(seat, f"{kind}_name")
        for seat in seats
        if getattr(seat, f"{kind}_slug")
    }
    return [
        Place(name=name, url=page_url(f"pages:{kind}-detail", slug=slug))
        for slug, name in sorted(names.items(), key=lambda item: item[1])
    ]
