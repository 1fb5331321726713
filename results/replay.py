"""The night replayed: results as they stood at a moment of election night."""

import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.utils.formats import date_format
from django.utils.timezone import get_current_timezone, make_aware

POLLS_CLOSE = time(22, 0)
# The night runs for a week from polls closing: the last seat of 2024, Inverness, Skye and
# West Ross-shire, declared on Saturday 6 July at 18:00, two days in; a week leaves room
# for a later recount, while a slip of the day's, month's or year's digits falls outside.
# Every walk over the night's hours stops at its end, whatever a stored time says.
NIGHT_LENGTH = timedelta(days=7)
HOUR_MINUTE = re.compile(r"^(?P<hour>[01]?\d|2[0-3]):(?P<minute>[0-5]\d)$")


def moment_of_the_night(value, polling_day):
    """The moment `?at=` names, or None if it names none.

    `HH:MM` is a time of election night: from 22:00, when polls closed, it is on polling
    day; before 22:00 it is the morning or day after. `YYYY-MM-DDTHH:MM` names any moment
    (Inverness, Skye and West Ross-shire declared two days later).
    """
    if not value:
        return None
    if match := HOUR_MINUTE.match(value.strip()):
        clock = time(int(match["hour"]), int(match["minute"]))
        day = polling_day if clock >= POLLS_CLOSE else polling_day + timedelta(days=1)
        return make_aware(datetime.combine(day, clock))
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return moment if moment.tzinfo else make_aware(moment)


def happened_by(when, moment):
    """Whether what happened `when` had happened by `moment` (None: now). What has no
    time cannot be placed in the night, so a replay leaves it out; now, it has happened."""
    return moment is None or (when is not None and when <= moment)


@dataclass(frozen=True)
class Hour:
    start: datetime
    declared: int
    so_far: int
    at: str  # the `?at=` value for the end of the hour
    on_the_night: bool  # in the 24 hours from polls closing

    @property
    def label(self):
        """`02:00`, or `Later` for the hours after the night."""
        return self.start.strftime("%H:%M") if self.on_the_night else "Later"

    @property
    def span(self):
        """`02:00–02:59`."""
        return f"{self.start:%H:%M}–{self.start:%H}:59"

    @property
    def day(self):
        """`Sat 6 Jul`: which day an hour after the night was."""
        return date_format(self.start, "D j M")


HOUR = 3600  # seconds
# How `?at=` writes a moment: the time alone on election night, in full otherwise.
AT_ON_THE_NIGHT, AT_IN_FULL = "%H:%M", "%Y-%m-%dT%H:%M"


def night_start(polling_day, zone):
    """When polls closed: asked for each hour of the night's chart, worked out once."""
    return make_aware(datetime.combine(polling_day, POLLS_CLOSE), zone)


def night_end(polling_day, zone):
    """When the night is over: no declaration comes after it (NIGHT_LENGTH)."""
    return night_start(polling_day, zone) + NIGHT_LENGTH


def outside_the_night(moment, polling_day):
    """What is wrong with `moment` as a time of the night of `polling_day`, or None: the
    reason, to follow what the time is called and how it was written."""
    zone = get_current_timezone()
    start, end = night_start(polling_day, zone), night_end(polling_day, zone)
    try:
        within = start <= moment < end
    except OverflowError:  # year 1 in a zone east of UTC: long before the night
        within = False
    if within:
        return None
    return (
        f"is not in the night of the election: give a time from {start:%H:%M, %-d %b %Y}, "
        f"when polls closed, to {end:%H:%M, %-d %b %Y}."
    )


def hour_of(moment):
    """The hour a moment falls in, as whole hours since the epoch: the UK's offsets are
    whole hours, so an hour begins at the same moment in UTC and UK time, and counting
    650 declarations by hour needs no conversion of each."""
    return int(moment.timestamp()) // HOUR


def declarations_by_hour(hours, polling_day):
    """Every hour from polls closing to the last declaration, each with its count of
    declarations (none, for an hour without one) and the running total: at most the
    hours of NIGHT_LENGTH, whatever the times say.

    `hours` are the hours of the declarations (hour_of their times). The services keep
    every time within the night; one that got past them (a row written by hand) counts
    in the night's first or last hour, so the totals still agree with the scoreboard's
    and the walk never outlasts the night."""
    zone = get_current_timezone()
    night = night_start(polling_day, zone)
    first, last = hour_of(night), hour_of(night_end(polling_day, zone)) - 1
    counts = Counter(min(max(hour, first), last) for hour in hours)
    if not counts:
        return []
    night_over = night + timedelta(days=1)
    running = 0
    timeline = []
    for hour in range(first, max(counts) + 1):
        start = datetime.fromtimestamp(hour * HOUR, zone)
        on_the_night = night <= start < night_over  # so is its end: polls close on the hour
        running += counts[hour]
        timeline.append(
            Hour(
                start=start,
                declared=counts[hour],
                so_far=running,
                at=(start + timedelta(minutes=59)).strftime(
                    AT_ON_THE_NIGHT if on_the_night else AT_IN_FULL
                ),
                on_the_night=on_the_night,
            )
        )
    return timeline
