"""Every change readers could see, numbered in the order it committed: what the changes
feed (/api/v1/changes) reads, so that a poller who keeps the last number it saw misses
nothing.

A change is a result declared, corrected or withdrawn, or a live-blog post shown, edited
or removed (results.models.ChangeRecord). Numbers are taken by an UPDATE of the one
ChangeCounter row, which holds the row until the transaction commits, as each live page
numbers its own changes (liveblog.changes): a second writer waits for the first to
commit before it takes the next number, so changes commit in number order and a reader
who has seen number 12 has seen every change up to it. The writers call these functions
where the change is made (results.services, results.imports, liveblog.receivers), inside
their transaction, and as late in it as they can: the row is held from then on.

A writer that also writes a live page's row holds the counter first (`counter_hold`),
so every writer takes the two rows in one order and none waits for a row held by one
waiting for its own (a deadlock, on PostgreSQL).
"""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from results.models import ChangeCounter, ChangeRecord

COUNTER = 1  # the primary key of the one counter row


def counter_add(count):
    """Add `count` to the counter, holding its row until commit."""
    taken = ChangeCounter.objects.filter(pk=COUNTER).update(value=F("value") + count)
    if not taken:
        # The first change ever: two writers may both find no row; get_or_create's
        # savepoint lets the second read the first's once it commits.
        ChangeCounter.objects.get_or_create(pk=COUNTER)
        ChangeCounter.objects.filter(pk=COUNTER).update(value=F("value") + count)


def counter_hold():
    """Hold the counter's row until commit, taking no number: what a writer does before
    it writes a live page's row (liveblog.changes.next_number, liveblog.imports)."""
    counter_add(0)


def numbers_take(count):
    """Take the next `count` change numbers (holding the counter's row until commit);
    the last of them."""
    counter_add(count)
    return ChangeCounter.objects.filter(pk=COUNTER).values_list("value", flat=True).get()


def change_record(kind, object_id, action):
    """Record one change (results.models.ChangeKind, ChangeAction); returns its record."""
    return changes_record(kind, [(object_id, action)])[0]


def changes_record(kind, changes):
    """Record several changes of one kind at once, each (object_id, action), in order:
    three queries however many (an import's). Returns their records."""
    changes = list(changes)
    if not changes:
        return []
    # Outside a transaction (a save in the shell), the number and its record still
    # commit together: a number committed alone could be passed over by a poller.
    with transaction.atomic():
        last = numbers_take(len(changes))
        now = timezone.now()
        return ChangeRecord.objects.bulk_create(
            ChangeRecord(
                number=last - len(changes) + position,
                kind=kind,
                object_id=object_id,
                action=action,
                changed_at=now,
            )
            for position, (object_id, action) in enumerate(changes, start=1)
        )
