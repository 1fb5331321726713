"""The night's seat projection from the seats declared so far. Pure functions, no database.

Give `project` every seat as a SeatShares (its 2019 notional shares, and for a declared seat
its 2024 shares and winner) and a Method; it returns a Projection: seats per party, declared
winners plus projected winners of the undeclared seats. Shares are percentages (0-100).

The methods:

- Method.UNIFORM: each party's swing is its mean change in share (2024 share minus 2019
  notional share, in points) over the declared seats, one seat one figure; it is added to
  each undeclared seat's notional share, and the highest projected share wins.
- Method.REGIONAL: the same within the seat's region (the nine English regions, Scotland,
  Wales, Northern Ireland, as the Library files group seats). A party's regional figure is
  used only when it rests on at least REGIONAL_MINIMUM (5) declared seats of the region;
  otherwise its national figure is, so one or two early results do not swing a region alone.
- Method.MODEL, the seat model (results.seat_model): each British seat's shares from its
  2019 shares, region, turnout and electorate, fitted on the declared seats and starting
  from the exit poll (`prior`: seats per projection key); undeclared seats are counted by
  their chances of going to each party, and each party gets a range (Projection.ranges).
  Northern Ireland is projected by its own uniform swing.

The rules of the two swing methods (the Speaker's seat, ties and declared seats hold for
the seat model too):

- Great Britain and Northern Ireland are separate: the national figure for a Northern Ireland
  seat comes from the declared Northern Ireland seats only, and for a British seat from the
  British ones. Northern Ireland has its own parties (DUP, SF, SDLP, UUP, APNI), which thus
  swing only there, and a GB party's swing in Great Britain says nothing about its few
  candidates there (the Conservatives stood in 5 of its 18 seats in 2024).
- A party that stood in a seat in 2019 (notional share above 0) swings by its mean change
  over the declared seats where it also stood. A party that did not (notional share 0) gets
  its mean 2024 share over the declared seats where it did not stand either: like is compared
  with like. Adding a swing measured where a party stood to a seat where it starts from
  nothing mixes two different things: Reform UK's change on the Brexit Party's 2019 vote is
  smaller than its share where the Brexit Party stood aside for the Conservatives in 2019.
  Until such a seat has declared, the party's swing where it stood is added to 0.
- The Brexit Party's 2019 votes count as Reform UK's (the same party, renamed in 2021; see
  results.notionals). "Others" (OTHERS) are every other candidate, together, as one party.
- A projected share below 0 is floored at 0. Shares are not rescaled to 100: that would not
  change which party is largest.
- With no declared seat to go on, a party's notional share stands (no evidence, no change).
- The Speaker's seat (the one whose notional 2019 winner is the Speaker, Chorley) is projected
  as the Speaker's, counted as the Speaker (SPEAKER), not a party, and left out of every swing:
  the main parties do not stand against the Speaker, so its changes are not swing.
- A declared seat keeps its actual winner, whatever party that is (an Independent included).
- A tie in projected share goes to the seat's notional 2019 winner, then alphabetically.
- A projection is shown only once MINIMUM_DECLARED (3) seats have declared: the first hour
  at which one region's declared seats could be judged from another's, and the seat model
  then misplaced no more of them than the exit poll alone (scripts/projection_report.py
  works this out by replaying the night, and fails if the figure here differs).
"""

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache
from math import sqrt
from statistics import fmean

from results import seat_model
from results.notionals import NOTIONAL_COLUMNS, OTHERS, SPEAKER

PARTIES = tuple(NOTIONAL_COLUMNS.values())
MINIMUM_DECLARED = 3
REGIONAL_MINIMUM = 5
NORTHERN_IRELAND = "Northern Ireland"
GREAT_BRITAIN = "Great Britain"


class Method(StrEnum):
    UNIFORM = "uniform"
    REGIONAL = "regional"
    MODEL = "model"

    @property
    def label(self):
        return {
            "uniform": "uniform swing",
            "regional": "regional swing",
            "model": "seat model",
        }[self.value]


# The method the site shows: the one that misplaced the fewest seats left out of its fit,
# region by region, hour by hour, with only the seats declared by then (docs/projection.md,
# made by scripts/projection_report.py, which checks this choice): not its final error.
SHOWN_METHOD = Method.MODEL


def shares_from_votes(votes):
    """{party: percentage share} from {abbreviation: votes}; abbreviations outside PARTIES
    (and the Speaker) are added together as OTHERS."""
    grouped = Counter()
    for abbreviation, count in votes.items():
        key = abbreviation if abbreviation in PARTIES or abbreviation == SPEAKER else OTHERS
        grouped[key] += count
    total = sum(grouped.values())
    if total <= 0:
        raise ValueError("no votes to take shares of")
    return {party: 100 * count / total for party, count in grouped.items()}


@dataclass(frozen=True)
class SeatShares:
    """One seat: its 2019 notional shares and, once declared, its 2024 shares and winner."""

    ons_code: str
    region: str
    nation: str
    notional: Mapping[str, float]
    declared: Mapping[str, float] | None = None
    winner: str | None = None
    turnout: float = 67.0  # 2019, percent; the seat model's, where known
    electorate: float = 72.0  # 2019, thousands

    def __post_init__(self):
        if (self.declared is None) != (self.winner is None):
            raise ValueError(f"{self.ons_code}: a declared seat needs both its shares and winner")
        if not self.notional:
            raise ValueError(f"{self.ons_code} has no notional shares")

    @classmethod
    def from_votes(
        cls,
        *,
        ons_code,
        region,
        nation,
        notional_votes,
        declared_votes=None,
        winner=None,
        electorate=None,
    ):
        """A SeatShares from votes by abbreviation (see shares_from_votes); with the 2019
        electorate, its turnout too."""
        total = sum(notional_votes.values())
        known = {}
        if electorate:
            known = {"turnout": 100 * total / electorate, "electorate": electorate / 1000}
        return cls(
            **known,
            ons_code=ons_code,
            region=region,
            nation=nation,
            notional=shares_from_votes(notional_votes),
            declared=None if declared_votes is None else shares_from_votes(declared_votes),
            winner=winner,
        )

    @property
    def is_declared(self):
        return self.declared is not None

    @property
    def notional_winner(self):
        return max(sorted(self.notional), key=self.notional.get)

    @property
    def is_speakers_seat(self):
        return self.notional_winner == SPEAKER

    @property
    def pool(self):
        """Where the seat's national figures come from: Great Britain or Northern Ireland."""
        return NORTHERN_IRELAND if self.nation == NORTHERN_IRELAND else GREAT_BRITAIN


@dataclass(frozen=True)
class Projection:
    """Seats per party (declared and projected together), largest first."""

    method: Method
    seats: dict[str, int]
    declared: int
    winners: dict[str, str]
    # {party: (fewest, most) seats}: the seat model's range; empty for the swing methods.
    ranges: dict[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def total(self):
        return sum(self.seats.values())

    @property
    def is_shown(self):
        """Whether enough seats have declared for the projection to be published."""
        return self.declared >= MINIMUM_DECLARED


@dataclass(frozen=True)
class Evidence:
    """What the declared seats of one area say about each party: its changes in share where
    it stood in 2019, and its 2024 shares where it did not."""

    changes: dict[str, list[float]]
    new_shares: dict[str, list[float]]


def project(seats, method, prior=None):
    """The Projection of `seats` (every seat of the election) by `method`; `prior` is the
    exit poll ({projection key: seats}), which only the seat model uses."""
    method = Method(method)
    if method == Method.MODEL:
        return project_by_model(seats, prior)
    winners = {}
    shares = projected_shares(seats, method)
    for seat in seats:
        if seat.is_declared:
            winners[seat.ons_code] = seat.winner
        elif seat.is_speakers_seat:
            winners[seat.ons_code] = SPEAKER
        else:
            winners[seat.ons_code] = largest(shares[seat.ons_code], seat.notional_winner)
    counts = Counter(winners.values())
    return Projection(
        method=method,
        seats=dict(sorted(counts.items(), key=lambda item: (-item[1], item[0]))),
        declared=sum(seat.is_declared for seat in seats),
        winners=winners,
    )


def project_by_model(seats, prior):
    """The Projection by the seat model (results.seat_model) of the British seats, with
    Northern Ireland by its own uniform swing; worked out once per set of seats as they
    stand (declared or not) and exit poll, as readers replaying one moment, and the live
    page between two declarations, ask for the same projection many times."""
    return projected_once(Standing(seats, prior))


class Standing:
    """The seats as they stand and the exit poll, as a key for projected_once: equal when
    every seat's shares, winner and characteristics, the poll and the model's settings
    are equal."""

    __slots__ = ("seats", "prior", "key")

    def __init__(self, seats, prior):
        self.seats, self.prior = seats, prior
        self.key = (
            tuple(
                (
                    seat.ons_code,
                    seat.region,
                    seat.nation,
                    tuple(seat.notional.items()),
                    None if seat.declared is None else tuple(seat.declared.items()),
                    seat.winner,
                    seat.turnout,
                    seat.electorate,
                )
                for seat in seats
            ),
            None if prior is None else tuple(prior.items()),
            # The model's settings, which scripts/projection_report.py varies to choose them.
            (seat_model.PRIOR_WEIGHT, seat_model.REGION_WEIGHT),
        )

    def __hash__(self):
        return hash(self.key)

    def __eq__(self, other):
        return isinstance(other, Standing) and self.key == other.key


@lru_cache(maxsize=64)
def projected_once(standing):
    """`model_projection` of `standing`'s seats and prior. The Projection is shared between
    callers: none changes it."""
    return model_projection(standing.seats, standing.prior)


def model_projection(seats, prior):
    """project_by_model, worked out."""
    british = [seat for seat in seats if seat.pool == GREAT_BRITAIN and not seat.is_speakers_seat]
    fitted = seat_model.fit([model_seat(seat) for seat in british], british_targets(seats, prior))
    irish = [seat for seat in seats if seat.pool == NORTHERN_IRELAND]
    irish_shares = projected_shares(irish, Method.UNIFORM) if irish else {}
    winners = {}
    for seat in seats:
        if seat.is_declared:
            winners[seat.ons_code] = seat.winner
        elif seat.is_speakers_seat:
            winners[seat.ons_code] = SPEAKER
        elif seat.ons_code in fitted.shares:
            winners[seat.ons_code] = largest(fitted.shares[seat.ons_code], seat.notional_winner)
        else:
            winners[seat.ons_code] = largest(irish_shares[seat.ons_code], seat.notional_winner)
    undeclared = [*fitted.shares.values(), *irish_shares.values()]
    # The seats still to declare are counted by their chances, as the exit poll counts
    # its seats, not by their likeliest winners: where many seats lean narrowly one way, a
    # few of them will go the other, and counting winners alone would miss those.
    counts = Counter(
        winners[seat.ons_code] for seat in seats if seat.is_declared or seat.is_speakers_seat
    )
    chances = [seat_model.win_chances(shares, fitted.margin) for shares in undeclared]
    counts.update(seat_model.expected_seats(chances))
    counts = +counts
    losses, gains = seat_model.seat_range(undeclared, fitted.margin)
    return Projection(
        method=Method.MODEL,
        seats=dict(sorted(counts.items(), key=lambda item: (-item[1], item[0]))),
        declared=sum(seat.is_declared for seat in seats),
        winners=winners,
        ranges=model_ranges(counts, losses, gains, fitted, chances[: len(fitted.shares)]),
    )


def model_ranges(counts, losses, gains, fitted, chances):
    """{party: (fewest, most)}: the wider of two ranges. Seat by seat, the seats a party
    could lose or gain if every lead were wrong by the typical error (`losses`, `gains`);
    and nationally, its expected seats were its share misjudged by twice the national
    typical error in every British seat still to declare, as when a poll is wrong about a
    party everywhere at once (the Greens' and Reform UK's handfuls of seats come from this).
    `chances` are the British seats' chances, in the order of `fitted.shares`."""
    undeclared = list(fitted.shares.values())
    expected = Counter()
    for seat_chances in chances:
        expected.update(seat_chances)
    ranges = {}
    for party in sorted(set(counts) | set(gains) | ({OTHERS} if undeclared else set())):
        fewest = counts[party] - losses[party]
        most = counts[party] + gains[party]
        if party in seat_model.MODELLED and undeclared:
            for shift in (-2 * fitted.national, 2 * fitted.national):
                low, high = seat_model.spread_seats(undeclared, party, shift, fitted.margin)
                fewest = min(fewest, round(counts[party] + low - expected[party]))
                most = max(most, round(counts[party] + high - expected[party]))
        if party == OTHERS and undeclared:
            # Independents winning from far behind, at the rate seen so far: the expected
            # such seats plus twice their (Poisson) standard deviation.
            surprising = fitted.surprise * len(undeclared)
            most = max(most, counts[party] + round(surprising + 2 * sqrt(surprising)))
        ranges[party] = (max(0, min(counts[party], fewest)), max(counts[party], most))
    return ranges


def projection_key_of(short_name, aliases):
    """The projection's key for a party known by `short_name` and `aliases` (the Library's
    abbreviation among them), or OTHERS."""
    for label in (short_name, *aliases):
        if label in PARTIES or label == SPEAKER:
            return label
    return OTHERS


def prior_from(lines):
    """{projection key: seats} from an exit poll's (projection key, seats) lines; two
    lines of one key (two parties counted as Others) add up."""
    prior = Counter()
    for key, seats in lines:
        prior[key] += seats
    return dict(prior)


def british_targets(seats, prior):
    """The exit poll's seats in Great Britain, by party of the model: its figure for each
    British party, and for Others what is left of the British seats (but the Speaker's)
    once those are counted, as the poll's Others are mostly Northern Ireland's."""
    if not prior:
        return None
    british = sum(seat.pool == GREAT_BRITAIN and not seat.is_speakers_seat for seat in seats)
    targets = {party: prior[party] for party in seat_model.MODELLED if party in prior}
    targets.pop(OTHERS, None)
    targets[OTHERS] = max(0, british - sum(targets.values()))
    return targets


def model_seat(seat):
    return seat_model.Seat(
        code=seat.ons_code,
        region=seat.region,
        nation=seat.nation,
        notional=dict(seat.notional),
        turnout=seat.turnout,
        electorate=seat.electorate,
        declared=None if seat.declared is None else dict(seat.declared),
    )


def projected_shares(seats, method):
    """{ONS code: {party: projected share}} for each undeclared seat but the Speaker's."""
    method = Method(method)
    counted = [seat for seat in seats if seat.is_declared and not seat.is_speakers_seat]
    pools = {
        pool: evidence([seat for seat in counted if seat.pool == pool])
        for pool in {seat.pool for seat in seats}
    }
    regions = {}
    if method == Method.REGIONAL:
        regions = {
            region: evidence([seat for seat in counted if seat.region == region])
            for region in {seat.region for seat in seats}
        }
    parties = {
        pool: {
            party
            for seat in seats
            if seat.pool == pool
            for party in (*seat.notional, *(seat.declared or ()))
        }
        - {SPEAKER}
        for pool in pools
    }
    projected = {}
    for seat in seats:
        if seat.is_declared or seat.is_speakers_seat:
            continue
        national = pools[seat.pool]
        local = regions.get(seat.region)
        projected[seat.ons_code] = {
            party: party_share(seat.notional.get(party, 0), party, local, national)
            for party in sorted(parties[seat.pool])
        }
    return projected


def evidence(declared):
    """The Evidence of a list of declared seats."""
    changes, new_shares = {}, {}
    parties = {party for seat in declared for party in (*seat.notional, *seat.declared)}
    for party in parties - {SPEAKER}:
        for seat in declared:
            before = seat.notional.get(party, 0)
            after = seat.declared.get(party, 0)
            if before > 0:
                changes.setdefault(party, []).append(after - before)
            else:
                new_shares.setdefault(party, []).append(after)
    return Evidence(changes, new_shares)


def party_share(notional_share, party, local, national):
    """One party's projected share in a seat, from the local Evidence where it is enough."""
    changes = local_or_national(party, "changes", local, national)
    if notional_share > 0:
        return max(0.0, notional_share + fmean(changes)) if changes else notional_share
    new_shares = local_or_national(party, "new_shares", local, national)
    if new_shares:
        return fmean(new_shares)
    return max(0.0, fmean(changes)) if changes else 0.0


def local_or_national(party, kind, local, national):
    """The local figures when there are REGIONAL_MINIMUM of them, else the national ones."""
    if local is not None:
        figures = getattr(local, kind).get(party, [])
        if len(figures) >= REGIONAL_MINIMUM:
            return figures
    return getattr(national, kind).get(party, [])


def largest(shares, notional_winner):
    """The party with the largest share; a tie goes to the notional winner, then A to Z."""
    return min(shares, key=lambda party: (-shares[party], party != notional_winner, party))


# The parties the broadcasters' exit poll names; it counts every other seat as Others.
EXIT_POLL_PARTIES = ("Lab", "Con", "LD", "RUK", "SNP", "Green", "PC")


def grouped(seats):
    """Seats in the exit poll's own categories: its parties, and Others for the rest
    (Northern Ireland's parties, Independents, the Speaker), so that a projection and the
    poll are measured with one yardstick."""
    result = Counter()
    for party, count in seats.items():
        result[party if party in EXIT_POLL_PARTIES else OTHERS] += count
    return dict(result)


def seat_errors(projected, final):
    """{party: projected seats - final seats} for every party in either, A to Z."""
    parties = sorted(set(projected) | set(final))
    return {party: projected.get(party, 0) - final.get(party, 0) for party in parties}


def misallocated(projected, final):
    """Seats given to the wrong party: half the sum of the per-party differences, as each
    misallocated seat is one too many for one party and one too few for another."""
    if sum(projected.values()) != sum(final.values()):
        raise ValueError("the projection and the result have different numbers of seats")
    return sum(abs(error) for error in seat_errors(projected, final).values()) // 2


def seats_from_national(notional_votes, constituencies, candidacies, declared=None):
    """A SeatShares for each seat of the national files (results.notionals and
    results.national records); `declared` is the set of ONS codes declared so far, by
    default all of them. Region and nation are the notional file's."""
    winners = {record.ons_code: record.winner_abbreviation for record in constituencies}
    votes = {}
    for candidacy in candidacies:
        seat = votes.setdefault(candidacy.ons_code, Counter())
        seat[candidacy.party_abbreviation] += candidacy.votes
    seats = []
    for record in notional_votes:
        if record.ons_code not in winners or record.ons_code not in votes:
            raise ValueError(f"{record.ons_code} ({record.name}) has no 2024 result")
        is_declared = declared is None or record.ons_code in declared
        seats.append(
            SeatShares.from_votes(
                ons_code=record.ons_code,
                region=record.region,
                nation=record.nation,
                notional_votes=record.votes,
                declared_votes=votes[record.ons_code] if is_declared else None,
                winner=winners[record.ons_code] if is_declared else None,
                electorate=record.electorate,
            )
        )
    return seats
