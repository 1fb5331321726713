"""Times as readers and machines see them."""

from django.utils.timezone import localtime


def to_the_second(moment):
    """A moment in UK time, to the second: what pages and feeds show, and what survives
    a dumpdata/loaddata round trip (which keeps only milliseconds)."""
    return localtime(moment).replace(microsecond=0)
