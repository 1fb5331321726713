"""Times as readers and machines see them: in UK time, whatever the server's own."""

from zoneinfo import ZoneInfo

from django.utils.timezone import localtime

UK = ZoneInfo("Europe/London")


def uk_time_of(moment):
    """A moment in UK time."""
    return localtime(moment, UK)


def to_the_second(moment):
    """A moment in UK time, to the second: what pages and feeds show, and what survives
    a dumpdata/loaddata round trip (which keeps only milliseconds)."""
    return uk_time_of(moment).replace(microsecond=0)
