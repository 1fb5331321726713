"""What changed, as the domain announces it. Pages and caches listen; the domain calls none.

Every write readers could see sends `content_changed` with a `Change` that names the kind
of object and which ones. Saves and deletes of the models announce themselves, so that
no path is missed (services, the admin, fixtures, tests); writes in bulk, which send no
model signals, announce what they touched themselves (imports announce `everything`).
"""

import threading
from contextlib import contextmanager
from dataclasses import dataclass, field, fields

from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import Signal

# Sent with `change=Change(...)`.
content_changed = Signal()


@dataclass(frozen=True)
class Change:
    """What changed. Each field holds primary keys.

    - `constituencies`: seats whose result or candidates changed;
    - `parties`: parties whose seats won, gained, lost or came second in changed;
    - `live_pages`, `posts`: a county's live page, or posts on it;
    - `post_links`: seats whose list of posts about them changed;
    - `national`: the published national scoreboard;
    - `everything`: anything else (names, geography, parties' colours, an import).
    """

    everything: bool = False
    national: bool = False
    constituencies: frozenset = field(default_factory=frozenset)
    parties: frozenset = field(default_factory=frozenset)
    live_pages: frozenset = field(default_factory=frozenset)
    posts: frozenset = field(default_factory=frozenset)
    post_links: frozenset = field(default_factory=frozenset)

    def merged(self, other):
        """One Change saying all that this one and `other` say."""
        return Change(
            **{
                spec.name: getattr(self, spec.name) | getattr(other, spec.name)
                for spec in fields(self)
            }
        )


_held = threading.local()


def announce(sender, **changed):
    """Send `content_changed`: `announce(Result, constituencies=[pk], parties=[pk])`."""
    values = {
        name: value if isinstance(value, bool) else frozenset(pk for pk in value if pk)
        for name, value in changed.items()
    }
    change = Change(**values)
    held = getattr(_held, "changes", None)
    if held is not None:
        held.append((sender, change))
    else:
        content_changed.send(sender=sender, change=change)


class HeldChanges:
    """What was announced while held, to be sent as one Change, or dropped."""

    def __init__(self, changes):
        self.changes = changes

    def send(self):
        if self.changes:
            sender, change = self.changes[0]
            for _, other in self.changes[1:]:
                change = change.merged(other)
            content_changed.send(sender=sender, change=change)


@contextmanager
def changes_held():
    """Hold announcements made within (an import's hundreds of rows), for the caller to
    send once as one Change (`held.send()`) or drop (a dry run)."""
    outer = getattr(_held, "changes", None)
    _held.changes = []
    try:
        yield HeldChanges(_held.changes)
    finally:
        _held.changes = outer


def connect(model, describe, *, before=None):
    """Announce each save and delete of `model`: `describe(instance)` says what changed.

    `before(instance)`, if given, runs before the write, to note what the row was (a
    result's previous winner, whose party page changes too).
    """

    def announce_row(sender, instance, raw=False, **kwargs):
        if raw:  # loaddata: rows arrive in any order; say everything changed
            announce(sender, everything=True)
        else:
            announce(sender, **describe(instance))

    def note_row(sender, instance, raw=False, **kwargs):
        if not raw:
            before(instance)

    uid = f"announce-{model._meta.label_lower}"
    post_save.connect(announce_row, sender=model, dispatch_uid=uid, weak=False)
    post_delete.connect(announce_row, sender=model, dispatch_uid=uid, weak=False)
    if before is not None:
        pre_save.connect(note_row, sender=model, dispatch_uid=uid, weak=False)
        pre_delete.connect(note_row, sender=model, dispatch_uid=uid, weak=False)


def result_parties_note(result):
    """Keep the parties a result named before this write (its winner's, and gained from)."""
    result.parties_before = set()
    if result.pk:
        result.parties_before = set(
            type(result)
            .objects.filter(pk=result.pk)
            .values_list("winner__party_id", "gained_from_id")
            .first()
            or ()
        )


def result_change(result):
    """A result changes the seats of its winner's party, the party it was gained from,
    and of every party that stood: a party's seats include those where it came second."""
    from results.models import Candidacy

    stood = Candidacy.objects.filter(constituency_id=result.constituency_id)
    return {
        "constituencies": [result.constituency_id],
        "parties": {
            result.winner.party_id,
            result.gained_from_id,
            *getattr(result, "parties_before", ()),
            *stood.values_list("party_id", flat=True),
        },
    }


def connect_results_models():
    from results import models

    connect(models.Result, result_change, before=result_parties_note)
    connect(
        models.Candidacy,
        lambda candidacy: {
            "constituencies": [candidacy.constituency_id],
            "parties": [candidacy.party_id],
        },
    )
    for model in (models.PublishedScoreboard, models.PublishedTally):
        connect(model, lambda row: {"national": True})
    for model in (
        models.Election,
        models.Party,
        models.Region,
        models.County,
        models.Constituency,
    ):
        connect(model, lambda row: {"everything": True})
