"""The query parameters reader pages read, parsed; no other counts (and Varnish strips
any other before it looks a page up: config/varnish/parameters.vcl). A value that does
not parse reads as the parameter's default, and no value can make the site render
without end:
- `at`: a moment of the night replayed (results.replay.moment_of_the_night), rounded
  down to the minute and clamped to the night: before polls closed reads as when they
  closed; from the present, or after the night (NIGHT_LENGTH from polls closing), it is
  the present, which is no `at` at all. A replay never shows what readers cannot see now.
- `page`: a whole number from 1 (anything else is 1); past the last page is a 404;
- `q`: the search, spaces collapsed, at most Q_LENGTH characters;
- `since`: a post id, a whole number from 1 (anything else is none); on the API's
  declarations, a moment (`moment`: ISO 8601, to the second);
- `sort`: a column of a sortable table, optionally descending (`-votes`), else none;
- `view`: `gains` for the map of seats that changed hands, else none;
- `nation`, `outcome`: one of a few choices; `region`, `party`, `held`: a slug (the page
  answers 404, which is not kept, for one it does not know).
"""

import re
from datetime import UTC, datetime

from django.utils import timezone

from pages.fragments import kept_election
from results.replay import (
    AT_IN_FULL,
    AT_ON_THE_NIGHT,
    NIGHT_LENGTH,
    POLLS_CLOSE,
    moment_of_the_night,
)

Q_LENGTH = 100
WHOLE_NUMBER = re.compile(r"^\s*\+?0*([1-9]\d{0,17})\s*$")
SORTABLE = frozenset(
    {"name", "party", "votes", "share", "share_change"}  # a seat's candidates
    | {"region", "winner", "majority", "majority_share", "turnout", "declared"}  # every seat
)
SLUG = re.compile(r"[-a-z0-9]{1,120}")  # whole values only (fullmatch: "$" allows a "\n")
NATIONS = frozenset({"england", "scotland", "wales", "northern-ireland"})
OUTCOMES = frozenset({"gain", "hold", "awaiting"})
VIEWS = frozenset({"gains"})  # the map of every seat: all of them (none), or gains only


def polling_day():
    """The current election's polling day (read once per change of the site)."""
    election = kept_election()
    return election.polling_day if election else None


def parse_at(value):
    """The moment `?at=` names, clamped to the night and rounded down to the minute; None
    for the present. ValueError if it names no moment."""
    day = polling_day() if value else None
    if day is None:
        return None
    night_start = timezone.make_aware(datetime.combine(day, POLLS_CLOSE))
    moment = moment_of_the_night(value, day)
    if moment is None:
        raise ValueError(f"{value!r} names no moment")
    try:
        moment = moment.astimezone(UTC).replace(second=0, microsecond=0)
    except OverflowError:  # year 1 or 9999 with its zone: long before or after the night
        return None if moment.year > day.year else timezone.localtime(night_start)
    if moment >= min(timezone.now(), night_start + NIGHT_LENGTH):
        return None
    return timezone.localtime(max(moment, night_start))


def at_value(at):
    """How `?at=` names the moment `at` (parse_at's): the time alone (`03:00`) where that
    names it, the date and time otherwise (the night's second and third days)."""
    moment = timezone.localtime(at)
    short = moment.strftime(AT_ON_THE_NIGHT)
    day = polling_day()
    if day is not None and moment_of_the_night(short, day) == moment:
        return short
    return moment.strftime(AT_IN_FULL)


def whole_number(value):
    match = WHOLE_NUMBER.match(value or "")
    if not match:
        raise ValueError(f"{value!r} is not a whole number from 1")
    return int(match[1])


def parse_moment(value):
    """A moment in ISO 8601 (UK time if it names no zone), to the second, in UTC."""
    try:
        moment = datetime.fromisoformat((value or "").strip())
        if moment.tzinfo is None:
            moment = timezone.make_aware(moment)
        return moment.astimezone(UTC).replace(microsecond=0)
    except OverflowError as error:
        raise ValueError(str(error)) from error


def parse_q(value):
    return " ".join((value or "").split())[:Q_LENGTH]


def parse_slug(value):
    """A slug (a region, a party): its shape only; a page names none it does not know."""
    value = (value or "").strip().lower()
    if not SLUG.fullmatch(value):
        raise ValueError(f"{value!r} is not a slug")
    return value


def parse_choice(choices):
    def parse(value):
        value = (value or "").strip().lower()
        if value not in choices:
            raise ValueError(f"{value!r} is not one of {sorted(choices)}")
        return value

    return parse


def parse_sort(value):
    value = (value or "").strip()
    if value.removeprefix("-") not in SORTABLE:
        raise ValueError(f"{value!r} is no column to sort by")
    return value


PARSERS = {
    "at": (parse_at, None),
    "page": (whole_number, 1),
    "q": (parse_q, ""),
    "since": (whole_number, None),
    "sort": (parse_sort, None),
    "view": (parse_choice(VIEWS), None),
    # The list of every seat's filters (pages.filters.ConstituencyFilter).
    "nation": (parse_choice(NATIONS), None),
    "region": (parse_slug, None),
    "party": (parse_slug, None),
    "held": (parse_slug, None),
    "outcome": (parse_choice(OUTCOMES), None),
}


def as_text(value):
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds" if value.second else "minutes")
    return str(value)


def parsed(query, names):
    """{name: value} for the parameters `names` of a QueryDict, each by its parser; a
    value that does not parse is the parameter's default."""
    values = {}
    for name in names:
        parse, default = PARSERS[name]
        raw = query.get(name)
        try:
            values[name] = parse(raw) if raw is not None else default
        except ValueError:
            values[name] = default
    return values
