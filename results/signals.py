"""What changed, as the domain announces it. Pages and caches listen; the domain calls none.

Every write readers could see sends `content_changed` with a `Change` that names the kind
of object and which ones. Saves and deletes of the models announce themselves (the
receivers are in each app's `receivers` module), so that no path is missed (services,
the admin, fixtures, tests); writes in bulk, which send no model signals, announce what
they touched themselves (imports announce `everything`).

A declaration or a correction also sends `result_declared`, for what the newsroom does
next: results knows nothing of it.
"""

import threading
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import Signal

# Sent with `change=Change(...)`.
content_changed = Signal()

# Sent by results.services.result_declare when a declaration or a correction changed a
# result, with `result`, `revision` (its ResultRevision) and `user`.
result_declared = Signal()


@dataclass(frozen=True)
class Change:
    """What changed: `everything` (names, geography, parties' colours, an import), or by
    kind the primary keys of what changed (`change["parties"]`). Each app names its own
    kinds where it announces them; results':

    - `constituencies`: seats whose result or candidates changed;
    - `parties`: parties whose seats won, gained, lost or came second in changed;
    - `national`: published national scoreboards;
    - `exit_poll`: exit polls whose figures or time changed.
    """

    everything: bool = False
    kinds: dict = field(default_factory=dict)  # kind: frozenset of primary keys

    def __getitem__(self, kind):
        return self.kinds.get(kind, frozenset())

    def merged(self, other):
        """One Change saying all that this one and `other` say."""
        return Change(
            everything=self.everything or other.everything,
            kinds={
                kind: self[kind] | other[kind] for kind in self.kinds.keys() | other.kinds.keys()
            },
        )


_held = threading.local()


def announce(sender, *, everything=False, **kinds):
    """Send `content_changed`: `announce(Result, constituencies=[pk], parties=[pk])`."""
    change = Change(
        everything=everything,
        kinds={kind: frozenset(pk for pk in pks if pk) for kind, pks in kinds.items()},
    )
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
