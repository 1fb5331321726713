"""What every import reports, the compare-then-write step they share, and which results
an import may write (kept_because)."""

from collections import Counter
from dataclasses import dataclass, field

from results.models import Party, ResultSource
from results.naming import constituency_slug, normalise_name

NEW_PARTIES_NAMED = 10
# Where a result comes from, lowest first. An import writes over a result from its own
# source or one below it, never above: the results desk over the national results
# file over the seed documents.
PRECEDENCE = (ResultSource.SEED, ResultSource.NATIONAL, ResultSource.DESK)
KEPT_BECAUSE = {
    ResultSource.DESK: "the result was entered by the results desk",
    ResultSource.NATIONAL: "the result comes from the national results file",
}


def kept_because(result, *, importing):
    """Why an import from the source `importing` must leave a stored `result` alone (its
    source ranks above), or None if the import may write it. Every import asks this."""
    if result is None or PRECEDENCE.index(result.source) <= PRECEDENCE.index(importing):
        return None
    return KEPT_BECAUSE[result.source]


@dataclass
class ImportSummary:
    """Counts of what an import created, updated, removed and left alone, and why."""

    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    removed: Counter = field(default_factory=Counter)
    left_alone: list[str] = field(default_factory=list)
    new_parties: list[str] = field(default_factory=list)
    discrepancies: list[str] = field(default_factory=list)

    def merge(self, other):
        for name in ("created", "updated", "unchanged", "removed"):
            getattr(self, name).update(getattr(other, name))
        self.left_alone += other.left_alone
        self.new_parties += [party for party in other.new_parties if party not in self.new_parties]
        self.discrepancies += other.discrepancies
        return self

    @property
    def changed_anything(self):
        return bool(self.created or self.updated or self.removed)

    def line(self):
        """One line: `created 7 results, 47 candidacies; updated nothing; ...`."""

        def counts(counter):
            if not counter:
                return "nothing"
            return ", ".join(f"{number} {plural(noun, number)}" for noun, number in counter.items())

        parts = [
            f"created {counts(self.created)}",
            f"updated {counts(self.updated)}",
            f"removed {counts(self.removed)}",
            f"unchanged {counts(self.unchanged)}",
            f"left alone {len(self.left_alone) or 'nothing'}",
        ]
        if self.new_parties:
            named = ", ".join(self.new_parties[:NEW_PARTIES_NAMED])
            more = len(self.new_parties) - NEW_PARTIES_NAMED
            parts.append(
                f"new parties (shown grey): {named}" + (f" and {more} more" if more > 0 else "")
            )
        if self.discrepancies:
            parts.append(f"{len(self.discrepancies)} discrepancies")
        return "; ".join(parts)


def plural(noun, number):
    if number == 1:
        return noun
    return noun[:-1] + "ies" if noun.endswith("y") else noun + "s"


def write_if_changed(instance, values):
    """Set `values` on a saved instance and save it only if one differs; True if saved."""
    changed = [name for name, value in values.items() if getattr(instance, name) != value]
    for name in changed:
        setattr(instance, name, values[name])
    if changed:
        instance.save(update_fields=changed)
    return bool(changed)


def upsert(model, lookup, values, summary, noun):
    """Create or update one row, counting it under `noun`; returns the row."""
    instance = model.objects.filter(**lookup).first()
    if instance is None:
        instance = model.objects.create(**lookup, **values)
        summary.created[noun] += 1
    elif write_if_changed(instance, values):
        summary.updated[noun] += 1
    else:
        summary.unchanged[noun] += 1
    return instance


class PartyResolver:
    """Maps printed party labels to parties through their names and aliases.

    A label never seen before becomes a new party, grey, reported in the summary.
    """

    def __init__(self, summary):
        self.summary = summary
        self.by_label = {}
        self.by_pk = {}
        for party in Party.objects.all():
            self.by_pk[party.pk] = party
            for label in (party.slug, party.name, party.short_name, *party.aliases):
                self.by_label.setdefault(normalise_name(label), party)

    def find(self, label):
        return self.by_label.get(normalise_name(label))

    def resolve(self, label, short_name=None):
        party = self.find(label)
        if party is None:
            party, created = Party.objects.get_or_create(
                slug=constituency_slug(label)[:50],
                defaults={
                    "name": label,
                    "short_name": (short_name or label)[:12],
                    "aliases": [label],
                },
            )
            self.by_label[normalise_name(label)] = party
            self.by_pk[party.pk] = party
            if created:
                self.summary.created["party"] += 1
                self.summary.new_parties.append(label)
        return party
