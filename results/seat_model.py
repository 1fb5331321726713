"""The seat model: each British seat's 2024 shares predicted from what was known before it
declared, fitted on the seats declared so far, starting from the exit poll. Pure functions,
no database; results.projection calls it as Method.MODEL.

How it works, and why:

- **What a seat is known by.** Its 2019 notional shares (Rallings & Thrasher) of the
  Conservatives, Labour, the Liberal Democrats, the Brexit Party (Reform UK's 2019 baseline)
  and the Greens, its own party's notional share, its 2019 turnout and electorate, and its
  region. A party's 2024 share in a seat is its prior share (below) corrected by a linear
  function of these (FEATURES), one function per party: this holds both uniform swing
  (share = notional + a) and proportional swing (share = b × notional: the Conservatives
  fall furthest where they were strongest) as special cases, and lets Reform UK rise most
  where the Conservatives were strong, as the broadcasters' exit-poll regression on seat
  characteristics does.
- **The prior, from the exit poll.** Before any seat declares, every party's share is its
  notional share scaled by one national factor (Conservative, Labour, Liberal Democrat, SNP,
  Plaid Cymru: proportional swing), or its notional share plus one national change (Reform
  UK and the Greens, who stood aside in many seats in 2019, so that scaling a zero would
  give them nothing), and the factors are calibrated so that the seat totals are the exit
  poll's (`calibrate`). With no exit poll, the prior is no change from 2019.
- **The update.** As seats declare, each party's correction of its prior share (declared
  share minus prior share) is fitted as a linear function of the seat's characteristics,
  a national constant and its region's departure from that constant. The prior enters as
  PRIOR_WEIGHT pseudo-seats with no correction: every British seat, weighted so that
  together they count as PRIOR_WEIGHT declared seats. A weighted least-squares fit thus
  starts at the exit poll and moves to the data as seats declare (shrinkage): at
  PRIOR_WEIGHT declared seats the two weigh the same. A region departs from the national
  correction only against REGION_WEIGHT seats' worth of doubt, so that what the declared
  seats say of the poll reaches the regions still to declare.
- **Seats by chance.** A seat still to declare counts for each party by its chance of
  winning it (`win_chances`: shares misjudged by about the typical error), added up and
  rounded (`expected_seats`), as the exit poll counts its own seats. Counting likeliest
  winners alone would miss that, where many seats lean narrowly one way, some go the other;
  the prior is calibrated on these expected seats too.
- **No exit poll.** The prior is then no change since 2019, weighted as NO_POLL_WEIGHT seats
  only, so that the declared seats soon carry the fit.
- Northern Ireland, the Speaker's seat and declared seats are not modelled here: the caller
  (results.projection) keeps declared winners, the Speaker, and projects Northern Ireland by
  its own uniform swing.
- **The range.** For each party, the widest of three: the seats it could lose or gain when
  each seat's projected lead is wrong by the typical error of the model (`seat_range`:
  the lower end counts off the seats it leads by less than the margin, the upper end adds
  those it trails the leader in by less; the typical error is the root mean square of the
  fitted residuals in the declared seats, shrunk towards PRIOR_ERROR points by the same
  PRIOR_WEIGHT); its expected seats with its share moved by twice NATIONAL_ERROR (shrunk
  likewise) in every seat at once, widened by twice the seats' own standard deviation
  (`spread_seats`); and for Others, Independents winning from far behind at the rate seen
  in the declared seats (`surprise_rate`). results.projection puts them together.
"""

from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from math import erfc, sqrt

from results.notionals import OTHERS

MODELLED = ("Con", "Lab", "LD", "RUK", "Green", "SNP", "PC", OTHERS)
NATIONAL_PARTIES = {"SNP": "Scotland", "PC": "Wales"}
# Parties whose prior is a change added to their notional share rather than a factor: both
# stood aside in many seats in 2019 (the Brexit Party in the Conservatives' seats, the
# Greens in the Remain alliance's), so a factor would keep them at nothing there.
ADDITIVE = frozenset({"RUK", "Green"})
# The exit poll counts as this many declared seats: it is drawn from about 130 polling
# stations, each standing for the seats like it (set before the night, not fitted; the
# report's leave-out check among 32 to 260 agrees: docs/projection.md).
PRIOR_WEIGHT = 130.0
# With no exit poll, "no change since 2019" is a poor guess on a night of big change: it
# only steadies the fit until the declared seats can carry it.
NO_POLL_WEIGHT = 10.0
NATIONAL_ERROR = 2.0  # points: an exit poll's typical error on a party's national share
PRIOR_ERROR = 4.0  # points: a seat's share misjudged by this much before any seat declares
CALIBRATION_ROUNDS = 12
# A declared seat won by Others where the prior gave them less than this was won from far
# behind, beyond what the shares' errors allow (one in 40: outside a 95% interval).
SURPRISE_CHANCE = 0.025


@dataclass(frozen=True)
class Seat:
    """A British seat as the model sees it: shares in points (0-100)."""

    code: str
    region: str
    nation: str
    notional: dict
    turnout: float  # 2019 turnout, percent
    electorate: float  # thousands
    declared: dict | None = None


@dataclass(frozen=True)
class Fit:
    """The model's projected shares of each undeclared seat and its typical error."""

    shares: dict  # {code: {party: share}}
    margin: float  # points: the typical error of a projected lead
    prior: dict  # {party: (intercept, factor)}
    national: float = 0.0  # points: the typical error of a party's share everywhere at once
    # The chance that a seat still to declare goes to Others from far behind, as
    # Independents win: out of any model's reach, so counted apart (`surprise_rate`).
    surprise: float = 0.0


def stands(party, seat):
    """Whether `party` can stand in `seat` (the SNP only in Scotland, Plaid only in Wales)."""
    return NATIONAL_PARTIES.get(party, seat.nation) == seat.nation


def prior_share(party, seat, parameter):
    """The prior's share of `party` in `seat`: notional × factor, or notional + change."""
    if not stands(party, seat):
        return 0.0
    base = seat.notional.get(party, 0.0)
    return max(0.0, base + parameter if party in ADDITIVE else base * parameter)


def no_change(party):
    return 0.0 if party in ADDITIVE else 1.0


def winners_of(seats, shares_of):
    """{party: seats won} where each seat goes to the largest of `shares_of(seat)`."""
    return Counter(largest(shares_of(seat)) for seat in seats)


def largest(shares):
    return min(shares, key=lambda party: (-shares[party], party))


def calibrate_winners(seats, targets):
    """{party: parameter} of the prior such that the seat totals of `seats` come as close to
    `targets` ({party: seats}) as a factor or change per party allows.

    One party at a time, with the others fixed: the party wins a seat exactly when its
    parameter passes a threshold (the share of the seat's leader over its notional share, or
    minus it), so sorting the thresholds gives the interval of parameters that wins it the
    target number; the parameter moves to the middle of that interval unless it is in it
    already. Rounds repeat until no parameter moves."""
    parameters = {party: no_change(party) for party in MODELLED}
    for _ in range(CALIBRATION_ROUNDS):
        moved = False
        for party in MODELLED:
            if party not in targets:
                continue
            thresholds = []
            for seat in seats:
                if not stands(party, seat):
                    continue
                others = max(
                    prior_share(other, seat, parameters[other])
                    for other in MODELLED
                    if other != party
                )
                base = seat.notional.get(party, 0.0)
                if party in ADDITIVE:
                    thresholds.append(others - base)
                elif base > 0:
                    thresholds.append(others / base)
            thresholds.sort()
            target = min(targets[party], len(thresholds))
            low = thresholds[target - 1] if target > 0 else None
            high = thresholds[target] if target < len(thresholds) else None
            current = parameters[party]
            if (low is None or current > low) and (high is None or current < high):
                continue
            if low is None:
                value = high - 1.0 if party in ADDITIVE else high / 2
            elif high is None:
                value = low + 1.0 if party in ADDITIVE else low * 1.1
            else:
                value = (low + high) / 2
            parameters[party] = value
            moved = True
        if not moved:
            break
    return parameters


def calibrate(seats, targets):
    """The prior's parameters for `seats` and `targets` (see `calibrated`), worked out once
    per set of notional shares and exit poll: they do not change as seats declare."""
    known = tuple((seat.nation, tuple(sorted(seat.notional.items()))) for seat in seats)
    return dict(calibrated_once(known, tuple(targets.items())))


@lru_cache(maxsize=4)
def calibrated_once(known, targets):
    """`calibrated` for seats known by (nation, notional shares), as a hashable tuple."""
    seats = [
        Seat(
            code=str(index),
            region="",
            nation=nation,
            notional=dict(notional),
            turnout=0.0,
            electorate=0.0,
        )
        for index, (nation, notional) in enumerate(known)
    ]
    return tuple(calibrated(seats, dict(targets)).items())


def calibrated(seats, targets):
    """{party: parameter} of the prior such that the expected seats of `seats` (each seat's
    chances of going to each party, with shares misjudged by about PRIOR_ERROR, added up, as
    the exit poll counts its own seats) are `targets`: first by winners alone
    (`calibrate_winners`), then by Newton steps on the expected seats."""
    parameters = calibrate_winners(seats, targets)
    margin = PRIOR_ERROR * sqrt(2)
    steps = {party: 0.01 if party not in ADDITIVE else 0.1 for party in MODELLED}
    for _ in range(CALIBRATION_ROUNDS):
        expected = prior_expected(seats, parameters, margin)
        if max(abs(expected[party] - targets[party]) for party in targets) < 0.5:
            break
        for party in targets:
            if abs(expected[party] - targets[party]) < 0.5:
                continue
            nudged = dict(parameters, **{party: parameters[party] + steps[party]})
            slope = (prior_expected(seats, nudged, margin)[party] - expected[party]) / steps[party]
            if slope > 0:
                move = (targets[party] - expected[party]) / slope
                # Never more than halfway to nothing: a factor stays positive.
                limit = 0.5 * abs(parameters[party]) if party not in ADDITIVE else 5.0
                parameters[party] += max(-limit, min(limit, move))
    return parameters


def prior_expected(seats, parameters, margin):
    """{party: expected seats} of `seats` under the prior's `parameters`."""
    expected = Counter({party: 0.0 for party in MODELLED})
    for seat in seats:
        shares = {party: prior_share(party, seat, parameters[party]) for party in MODELLED}
        expected.update(win_chances(shares, margin))
    return expected


def features(party, seat, regions):
    """The seat's characteristics for the correction of `party`'s prior share, in the order
    of FEATURES, then a constant (the national correction), then one indicator per region
    (its departure from the national correction)."""
    notional = seat.notional
    order = sorted(notional, key=lambda other: (-notional[other], other))
    first = 1.0 if order[0] == party else 0.0
    second = 1.0 if len(order) > 1 and order[1] == party else 0.0
    conservative_seat = 1.0 if order[0] == "Con" else 0.0
    own = notional.get(party, 0.0)
    lead = notional[order[0]] - notional[order[1]] if len(order) > 1 else 100.0
    row = [
        own if party in OWN_FEATURE else 0.0,
        notional.get("Con", 0.0),
        notional.get("Lab", 0.0),
        notional.get("LD", 0.0),
        notional.get("RUK", 0.0),
        notional.get("Green", 0.0),
        seat.turnout - 67.0,
        seat.electorate - 72.0,
        first,
        second,
        second * conservative_seat,
        own * conservative_seat,
        lead if first or second else 0.0,
    ]
    return row + [1.0] + [1.0 if seat.region == region else 0.0 for region in regions]


# Parties whose own 2019 share is not already among the features.
OWN_FEATURE = frozenset({"SNP", "PC", OTHERS})
# Second to the Conservatives, and the Conservatives' 2019 lead, are there for tactical
# voting: in 2024 the Conservatives lost most where one party was placed to beat them.
FEATURES = (
    "own 2019 share (SNP, Plaid, Others)",
    "Con 2019",
    "Lab 2019",
    "LD 2019",
    "Brexit Party 2019",
    "Green 2019",
    "turnout 2019",
    "electorate",
    "first in 2019",
    "second in 2019",
    "second to the Conservatives in 2019",
    "own 2019 share where the Conservatives won",
    "2019 lead of the first over the second (for those two)",
)
RIDGE = 1e-6
# How many seats' worth of doubt a region's departure from the national correction must
# overcome: chosen by scripts/projection_report.py among REGION_WEIGHTS by the seats left
# out region by region, hour by hour (docs/projection.md), not by the final result.
REGION_WEIGHT = 130.0


def solve(matrix, vector):
    """x with matrix · x = vector, by Gaussian elimination with partial pivoting."""
    size = len(vector)
    rows = [list(matrix[i]) + [vector[i]] for i in range(size)]
    for column in range(size):
        pivot = max(range(column, size), key=lambda row: abs(rows[row][column]))
        rows[column], rows[pivot] = rows[pivot], rows[column]
        head = rows[column][column]
        if abs(head) < 1e-12:
            continue
        source = rows[column]
        for row in range(column + 1, size):
            factor = rows[row][column] / head
            if factor:
                # One list comprehension per row: several times quicker than a loop in
                # Python (the columns before `column` are zero on both rows already).
                rows[row] = [
                    value - factor * pivot_value
                    for value, pivot_value in zip(rows[row], source, strict=True)
                ]
    solution = [0.0] * size
    for row in range(size - 1, -1, -1):
        head = rows[row][row]
        if abs(head) < 1e-12:
            continue
        total = rows[row][size] - sum(rows[row][k] * solution[k] for k in range(row + 1, size))
        solution[row] = total / head
    return solution


def fit(seats, prior=None):
    """The Fit of `seats` (every British seat but the Speaker's, declared or not): the prior
    calibrated to `prior` ({party: seats in Great Britain}), or no change where it is None,
    updated by the declared seats."""
    known = tuple(
        (
            seat.code,
            seat.region,
            seat.nation,
            tuple(sorted(seat.notional.items())),
            seat.turnout,
            seat.electorate,
        )
        for seat in seats
    )
    targets = tuple(prior.items()) if prior else None
    prior_weight = PRIOR_WEIGHT if prior else NO_POLL_WEIGHT
    equations, parameters = prior_equations(known, targets, REGION_WEIGHT, prior_weight)
    declared = [seat for seat in seats if seat.declared is not None]
    undeclared = [seat for seat in seats if seat.declared is None]
    shares = {seat.code: {} for seat in undeclared}
    squares, count = 0.0, 0
    for party, (matrix, vector, rows) in equations.items():
        # The prior's part of the normal equations is worked out once per set of seats and
        # exit poll (prior_equations); only the declared seats' part is added here.
        matrix = [list(line) for line in matrix]
        vector = list(vector)
        standing = [seat for seat in declared if seat.code in rows]
        for seat in standing:
            row, before = rows[seat.code]
            correction = seat.declared.get(party, 0.0) - before
            for i, value in row:
                vector[i] += value * correction
                line = matrix[i]
                for j, other in row:
                    line[j] += value * other
        coefficients = solve(matrix, vector)

        def predict(code, coefficients=coefficients, rows=rows):
            row, before = rows[code]
            return max(0.0, before + sum(coefficients[i] * value for i, value in row))

        for seat in undeclared:
            shares[seat.code][party] = predict(seat.code) if seat.code in rows else 0.0
        for seat in standing:
            squares += (predict(seat.code) - seat.declared.get(party, 0.0)) ** 2
            count += 1
    # A lead is the difference of two shares, each misjudged by about the typical error.
    typical = sqrt(
        (prior_weight * PRIOR_ERROR**2 + squares / max(count, 1) * len(declared))
        / (prior_weight + len(declared))
    )
    # A party's share may be misjudged everywhere at once (the poll's national error, or the
    # declared seats' bias), less so as more seats declare.
    national = NATIONAL_ERROR * sqrt(prior_weight / (prior_weight + len(declared)))
    surprises = 0
    if declared:
        before = prior_chances(known, targets)
        surprises = sum(
            largest(seat.declared) == OTHERS and before[seat.code] < SURPRISE_CHANCE
            for seat in declared
        )
    return Fit(
        shares=shares,
        margin=typical * sqrt(2),
        prior=dict(parameters),
        national=national,
        surprise=surprise_rate(surprises, len(declared), prior_weight),
    )


def seats_known_by(known):
    """The Seats of (code, region, nation, notional shares, turnout, electorate) tuples:
    the hashable form the cached functions below are called with."""
    return [
        Seat(
            code=code,
            region=region,
            nation=nation,
            notional=dict(notional),
            turnout=turnout,
            electorate=electorate,
        )
        for code, region, nation, notional, turnout, electorate in known
    ]


@lru_cache(maxsize=4)
def prior_chances(known, targets):
    """{code: the chance of Others} in each seat known by `known` (as in prior_equations)
    before any seat declared: the prior alone."""
    seats = seats_known_by(known)
    fitted = fit(seats, dict(targets) if targets else None)
    return {
        code: win_chances(shares, fitted.margin).get(OTHERS, 0.0)
        for code, shares in fitted.shares.items()
    }


@lru_cache(maxsize=4)
def prior_equations(known, targets, region_weight, prior_weight):
    """({party: (matrix, vector, rows)}, parameters) for seats known by (code, region,
    nation, notional shares, turnout, electorate): the prior's pseudo-seats' part of each
    party's weighted normal equations, and each standing seat's features as (index, value)
    pairs of its non-zero entries (`rows`, by code). None of it changes as seats declare,
    so it is worked out once per set of seats, exit poll (`targets`) and weights
    (REGION_WEIGHT; PRIOR_WEIGHT, or NO_POLL_WEIGHT with no poll), not per call."""
    seats = seats_known_by(known)
    if targets:
        parameters = calibrate(seats, dict(targets))
    else:
        parameters = {party: no_change(party) for party in MODELLED}
    regions = sorted({seat.region for seat in seats})
    equations = {}
    for party in MODELLED:
        standing = [seat for seat in seats if stands(party, seat)]
        if not standing:
            continue
        rows = {
            seat.code: (
                tuple(
                    (i, value) for i, value in enumerate(features(party, seat, regions)) if value
                ),
                prior_share(party, seat, parameters[party]),
            )
            for seat in standing
        }
        size = len(FEATURES) + 1 + len(regions)
        matrix = [[0.0] * size for _ in range(size)]
        # Each pseudo-seat says "no correction": it adds to the matrix only.
        vector = [0.0] * size
        weight = prior_weight / len(standing)
        for seat in standing:
            row, _ = rows[seat.code]
            for i, value in row:
                line = matrix[i]
                for j, other in row:
                    line[j] += weight * value * other
        for i in range(size):
            # The shares add up to 100 and the regions cover every seat, so some features
            # are sums of others: a small ridge makes the equations solvable regardless.
            matrix[i][i] += RIDGE * (matrix[i][i] + 1.0)
        for i in range(len(FEATURES) + 1, size):
            # A region departs from the national correction only as far as its own declared
            # seats, against REGION_WEIGHT seats' worth of doubt, show: so a correction
            # seen elsewhere reaches a region with no seat declared yet.
            matrix[i][i] += region_weight
        equations[party] = (
            tuple(tuple(line) for line in matrix),
            tuple(vector),
            rows,
        )
    return equations, parameters


def shifted_seats(shares_by_seat, party, shift, margin):
    """`party`'s expected seats among `shares_by_seat` with its share moved by `shift` points
    in every seat at once."""
    return sum(shifted_chances(shares_by_seat, party, shift, margin))


def shifted_chances(shares_by_seat, party, shift, margin):
    """`party`'s chance of winning each seat of `shares_by_seat` where it has one worth
    counting, with its share moved by `shift` points in every seat at once."""
    chances = []
    reach = 4 * margin  # as in win_chances: beyond it, a chance is not worth counting
    for shares in shares_by_seat:
        if party not in shares:
            continue
        share = max(0.0, shares[party] + shift)
        best_other = max((other for name, other in shares.items() if name != party), default=0)
        if best_other - share >= reach:
            continue  # no chance worth counting, as win_chances would say
        if share - best_other >= reach:
            chances.append(1.0)  # the only contender left
            continue
        chances.append(win_chances(dict(shares, **{party: share}), margin).get(party, 0.0))
    return chances


def spread_seats(shares_by_seat, party, shift, margin):
    """(fewest, most) seats `party` could win among `shares_by_seat` with its share moved by
    `shift` points everywhere: its expected seats, less or plus twice their standard
    deviation (the seats are independent once the national error is fixed, so their
    variance is the sum of p(1 − p) over the seats)."""
    chances = shifted_chances(shares_by_seat, party, shift, margin)
    expected = sum(chances)
    deviation = sqrt(sum(chance * (1 - chance) for chance in chances))
    return expected - 2 * deviation, expected + 2 * deviation


def surprise_rate(surprises, declared, prior_weight):
    """The chance that a seat still to declare goes to Others from far behind: the
    `surprises` among the `declared` seats (won by Others where the prior gave them under
    SURPRISE_CHANCE), plus one in the prior's `prior_weight` pseudo-seats, so that it is
    never nothing (the add-one rule, set before the night)."""
    return (surprises + 1) / (prior_weight + declared)


def seat_range(shares_by_seat, margin):
    """{party: (fewest, most)} extra seats each party could lose or win among `shares_by_seat`
    when every projected lead is wrong by up to `margin` points."""
    losses, gains = Counter(), Counter()
    for shares in shares_by_seat:
        leader = largest(shares)
        close = [
            party
            for party, share in shares.items()
            if party != leader and shares[leader] - share < margin
        ]
        if close:
            losses[leader] += 1
        for party in close:
            gains[party] += 1
    return losses, gains


def win_chances(shares, margin):
    """{party: chance of winning} where each share may be wrong by about `margin` / √2:
    each party's chance of leading every other, pair by pair, scaled to add up to 1."""
    top = max(shares.values())
    # A party further behind than this has no chance worth counting (under 1 in 10,000).
    contenders = {party: share for party, share in shares.items() if top - share < 4 * margin}
    scores = dict.fromkeys(contenders, 1.0)
    names = list(contenders)
    # Pair by pair, once each: the chance that one leads the other is one less the chance
    # that the other leads (half the work of asking both).
    for index, party in enumerate(names):
        for other in names[index + 1 :]:
            leads = normal((contenders[party] - contenders[other]) / margin)
            scores[party] *= leads
            scores[other] *= 1.0 - leads
    total = sum(scores.values())
    return {party: score / total for party, score in scores.items()}


def normal(z):
    """The standard normal distribution function."""
    return 0.5 * erfc(-z / sqrt(2))


def expected_seats(chances_by_seat):
    """{party: whole seats} from each seat's chances: the expected seats, rounded so that
    they still add up to the seats (largest remainders first)."""
    expected = Counter()
    for chances in chances_by_seat:
        expected.update(chances)
    seats = {party: int(value) for party, value in expected.items()}
    short = len(chances_by_seat) - sum(seats.values())
    by_remainder = sorted(expected, key=lambda party: (seats[party] - expected[party], party))
    for party in by_remainder[:short]:
        seats[party] += 1
    return seats
