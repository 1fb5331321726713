"""The arithmetic of figures: shares, turnout, majority and swing, with one rounding rule.

Every figure is a percentage (or percentage points) to two decimal places, computed
exactly from whole numbers and rounded half up (away from zero at a half), as the House
of Commons Library rounds: 1 vote of 800 is 0.13%, not the 0.12% of rounding half to
even. The results-page parser, the national import, the results desk's declarations and
the scoreboard all use these functions, so a figure is the same whichever way it came.

- share: a candidate's (or party's) votes as a percentage of the valid votes cast.
- turnout: valid votes as a percentage of the electorate (the Library's definition:
  Daventry, 53,082 of 80,879 is 65.63%).
- majority: the winner's votes less the runner-up's (all of them if unopposed).
- change in share: the share now less the share then (the 2019 notional result), each
  exact, in points.
- swing: Butler swing between the top two, from the runner-up to the winner:
  ((winner's share now − then) − (runner-up's share now − then)) / 2, in points;
  positive when the seat moved towards the winner. None where the Speaker stands: the
  main parties do not stand against the Speaker, so what moves there is not a swing.
- two-party swing over many seats (two_party_swing): the same, of two named parties'
  votes added up over the seats, each share of all the valid votes in them, exactly.
"""

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

PLACES = 2


def rounded(value, places=PLACES):
    """A number (int, Decimal, Fraction or decimal text) to two places (or `places`),
    halves away from zero: the one rounding rule."""
    if isinstance(value, Fraction):
        return rounded_ratio(value.numerator, value.denominator, places)
    return Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def rounded_ratio(numerator, denominator, places=PLACES):
    """`numerator / denominator` (whole numbers) by the same rule, exactly: no division
    in a Decimal context, which would round first. In whole numbers rather than as a
    Fraction, ten times faster: a page shows a hundred of these."""
    units, remainder = divmod(abs(numerator) * 10**places, abs(denominator))
    if 2 * remainder >= abs(denominator):
        units += 1
    return Decimal(-units if (numerator < 0) != (denominator < 0) else units).scaleb(-places)


def percentage(part, whole, places=PLACES):
    """`part` of `whole` as a percentage to two places (or `places`); 0 of nothing."""
    if not whole:
        return rounded(0, places)
    if isinstance(part, int) and isinstance(whole, int):
        return rounded_ratio(part * 100, whole, places)
    return rounded(Fraction(part) * 100 / Fraction(whole), places)


def share(votes, valid_votes):
    """A candidate's or party's share of the valid votes, in per cent."""
    return percentage(votes, valid_votes)


def turnout(valid_votes, electorate):
    """Valid votes over the electorate, in per cent; None if the electorate is unknown."""
    return percentage(valid_votes, electorate) if electorate else None


def from_fraction(fraction):
    """A fraction as a file prints it (`0.4239`) as a percentage to two places (42.39)."""
    return rounded(Decimal(fraction) * 100)


def majority(votes):
    """The winner's lead over the runner-up, from every candidate's votes."""
    first, second, *_ = sorted(votes, reverse=True) + [0, 0]
    return first - second


def change_in_share(votes, total, then_votes, then_total, places=PLACES):
    """How far a share moved, in points: `votes` of `total` now against `then_votes` of
    `then_total` (the 2019 notional result); None where there was no `then`."""
    if not total or not then_total:
        return None
    if all(isinstance(figure, int) for figure in (votes, total, then_votes, then_total)):
        return rounded_ratio(
            (votes * then_total - then_votes * total) * 100, total * then_total, places
        )
    exact = (Fraction(votes) / Fraction(total) - Fraction(then_votes) / Fraction(then_total)) * 100
    return rounded(exact, places)


def swing(winner_change, runner_up_change, *, speaker_stands=False):
    """Butler swing from the runner-up to the winner, in points, from each one's change
    in share since last time (in points); None if either change is unknown, or if the
    Speaker is one of the two (`speaker_stands`): no main party stands against him."""
    if speaker_stands or winner_change is None or runner_up_change is None:
        return None
    # Halving a difference of decimals is exact in Decimal (one more place), and Decimal
    # is C: the map and lists take a swing for each of 650 seats.
    return rounded((Decimal(winner_change) - Decimal(runner_up_change)) / 2)


def two_party_swing(towards, away, total, then_total):
    """Butler swing from one party to another over some seats, in points: half of (the
    change in share of the party swung `towards` less that of the one swung `away`
    from). Each is (votes now, votes then), added up over the seats; shares are of all
    the valid votes in them now (`total`) and then (`then_total`), exactly, rounded
    once. Negative when the seats moved the other way; None without both totals."""
    if not total or not then_total:
        return None
    (votes, then_votes), (other_votes, other_then_votes) = towards, away
    # ((v/t - v0/t0) - (w/t - w0/t0)) / 2 * 100, over the one denominator 2·t·t0.
    numerator = ((votes - other_votes) * then_total - (then_votes - other_then_votes) * total) * 100
    return rounded_ratio(numerator, 2 * total * then_total)
