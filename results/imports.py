"""Every import of results: the seed documents' county pages (`results_page_import`,
with the manifest's `county_constituencies_import` and a live page's printed scoreboard,
`published_scoreboard_import`) and the House of Commons Library's files
(`national_import`, `national_nominations_import`); what every import reports
(`ImportSummary`), the compare-then-write step they share (`upsert`), and which results
an import may write (`kept_because`), which the apps above use for their own documents.
Each function runs inside the caller's transaction.

The Library's files are applied in bulk: a fixed number of queries whatever the number
of seats: everything is read at once, compared in memory, and written with bulk_create /
bulk_update. Merging with what is already there:
- A constituency is the one with the same ONS code, else the one whose name matches
  (case, punctuation and `&`/`and` forgiven): seats from the seeds are never duplicated.
- A candidacy is the one with the same name and party in that seat, else the unmatched
  one with the same Democracy Club person id, else the one with the same party and votes
  (a spelling corrected: `Aburamadan` is `Abduramadan` in the file). A candidacy so
  matched keeps its id (its primary key), which the API and the CSVs give.
- Results entered by the results desk are left alone (`kept_because`, the rule every
  import follows). Any other result takes the file's figures; where a result from a
  seed document disagrees with the file on a figure, the import says so. Shares are
  computed from the votes, as for every other source (results.arithmetic).
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from results import arithmetic
from results.changes import changes_record
from results.documents import DocumentError
from results.exit_poll import is_others
from results.models import (
    Candidacy,
    ChangeAction,
    ChangeKind,
    Constituency,
    County,
    Election,
    NotionalVote,
    Outcome,
    Party,
    PublishedScoreboard,
    PublishedTally,
    Region,
    Result,
    ResultRevision,
    ResultSource,
    scoreboard_content,
)
from results.naming import constituency_slug, normalise_name, party_slug
from results.national import LIBRARY_EDITION
from results.notionals import OTHERS
from results.replay import night_start
from results.services import (
    ExitPollLineEntered,
    exit_poll_check,
    exit_poll_record,
    exit_poll_time_check,
    result_change_record,
    result_revision_record,
    result_snapshot,
    scoreboard_revision_record,
    snapshot_from,
    write_if_changed,
)
from results.times import UK

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
            labels = (party.slug, party.former_slug, party.name, party.short_name, *party.aliases)
            for label in filter(None, labels):
                self.by_label.setdefault(normalise_name(label), party)

    def find(self, label):
        return self.by_label.get(normalise_name(label))

    def resolve(self, label, short_name=None):
        party = self.find(label)
        if party is None:
            party, created = Party.objects.get_or_create(
                slug=party_slug(label),
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


# The exit poll.


def exit_poll_import(*, lines, source, published_at=None, poll_source=""):
    """Record the current election's exit poll from a file's parsed `lines`
    (results.exit_poll.ExitPollSeats), each label matched to a party as the national
    import matches them (name, short name, alias), "Others" to none. Announced by
    default at polls' close, 22:00 UK time on polling day. Returns (the ExitPoll,
    whether anything changed); a label naming no party, or a poll the service refuses,
    is a DocumentError at its line.
    """
    election = Election.objects.current()
    if election is None:
        raise DocumentError(source, 1, "there is no election in the database")
    published_at = published_at or night_start(election.polling_day, UK)
    too_early = exit_poll_time_check(published_at)
    if too_early:
        raise DocumentError(source, 1, too_early)
    parties = PartyResolver(ImportSummary())
    entered = []
    for line in lines:
        party = None if is_others(line.label) else parties.find(line.label)
        if party is None and not is_others(line.label):
            raise DocumentError(
                source,
                line.line,
                f"no party is called {line.label!r}: name it as the site does "
                "(its name, short name or an alias), or 'Others' for the rest",
            )
        entered.append(ExitPollLineEntered(line.label, party, line.seats))
    for index, message in exit_poll_check(election=election, lines=entered):
        at = lines[index].line if index is not None else (lines[-1].line if lines else 1)
        raise DocumentError(source, at, message)
    return exit_poll_record(
        election=election,
        published_at=published_at,
        lines=entered,
        source=poll_source,
    )


# The seed documents.


def document_name(source):
    """The file name a row records as its source (not the path, which differs by machine)."""
    return Path(str(source)).name


def county_get_or_create(*, name, summary):
    """The county of that name (case and `&` forgiven), created if new."""
    slug = constituency_slug(name)
    county = County.objects.filter(slug=slug).first()
    if county is None:
        county = County.objects.create(slug=slug, name=name)
        summary.created["county"] += 1
    return county


def election_for_year(*, year, source):
    election = Election.objects.filter(polling_day__year=year).first()
    if election is None:
        raise DocumentError(source, 1, f"there is no {year} election in the database")
    return election


def county_constituencies_import(*, county_name, constituencies, source):
    """Create or update a county's constituencies from the manifest.

    `constituencies` are mappings with `name` and optionally `ons_code` and
    `notional_2019` (the label of the 2019 notional winner on the 2024 boundaries).
    """
    summary = ImportSummary()
    parties = PartyResolver(summary)
    county = county_get_or_create(name=county_name, summary=summary)
    for entry in constituencies:
        notional = None
        if entry.get("notional_2019"):
            notional = parties.find(entry["notional_2019"])
            if notional is None:
                raise DocumentError(
                    source,
                    entry.get("line", 0),
                    f"unknown party {entry['notional_2019']!r} as 2019 winner of {entry['name']}",
                )
        upsert(
            Constituency,
            {"slug": constituency_slug(entry["name"])},
            {
                "name": entry["name"],
                "county": county,
                "ons_code": entry.get("ons_code") or None,
                "notional_winner": notional,
            },
            summary,
            "constituency",
        )
    return summary


def results_page_import(*, page, source, county_name=None):
    """Apply a parsed county results page (`results.parsers.ResultsPage`)."""
    summary = ImportSummary()
    parties = PartyResolver(summary)
    county = county_get_or_create(name=county_name or page.county, summary=summary)
    existing = {
        constituency.slug: constituency
        for constituency in Constituency.objects.filter(
            slug__in=[constituency_slug(seat.name) for seat in page.seats]
        ).select_related("result", "notional_winner")
    }
    for seat in page.seats:
        slug = constituency_slug(seat.name)
        constituency = existing.get(slug)
        if constituency is None:
            constituency = Constituency.objects.create(
                slug=slug, name=seat.name, county=county, profile=seat.profile
            )
            summary.created["constituency"] += 1
        elif write_if_changed(
            constituency, {"profile": seat.profile, "county": constituency.county or county}
        ):
            summary.updated["constituency"] += 1
        else:
            summary.unchanged["constituency"] += 1

        reason = kept_because(getattr(constituency, "result", None), importing=ResultSource.SEED)
        if reason:
            summary.left_alone.append(f"{constituency.name}: {reason}")
            continue
        seat_result_import(
            constituency=constituency, seat=seat, parties=parties, source=source, summary=summary
        )
    return summary


def seat_result_import(*, constituency, seat, parties, source, summary):
    before = result_snapshot(getattr(constituency, "result", None))
    unmatched = {
        (normalise_name(candidacy.name), candidacy.party_id): candidacy
        for candidacy in constituency.candidacies.all()
    }
    candidacies = {}
    for candidate in seat.candidates:
        values = {
            "name": candidate.name,
            "party_id": parties.resolve(candidate.party_label).pk,
            "party_label": candidate.party_label,
            "votes": candidate.votes,
            "share": candidate.share,
            "dc_person_id": None,
        }
        candidacy = unmatched.pop((normalise_name(candidate.name), values["party_id"]), None)
        candidacy = candidacy or respelt(unmatched, values)
        if candidacy is None:
            del values["dc_person_id"]
            candidacies[candidate] = Candidacy.objects.create(constituency=constituency, **values)
            summary.created["candidacy"] += 1
            continue
        candidacies[candidate] = candidacy
        if candidacy.dc_person_id is not None or candidacy.ec_party_id:
            # The Library's candidate, with the ids it gave: the party they stood for as
            # the Library names it (`Labour and Co-operative`, not the seed's `Labour`).
            del values["party_label"]
        if candidacy.dc_person_id is not None:
            # And the spelling they are known by there.
            if candidacy.name != candidate.name:
                summary.discrepancies.append(
                    f"{constituency.name}: {candidate.name!r} ({document_name(source)}, "
                    f"line {candidate.line}) is {candidacy.name!r} in the Library's file"
                )
            del values["name"]
        del values["dc_person_id"]
        if write_if_changed(candidacy, values):
            summary.updated["candidacy"] += 1
        else:
            summary.unchanged["candidacy"] += 1
    winner = candidacies[seat.winner]
    verdict_party = parties.find(seat.verdict_label)
    if verdict_party != winner.party:
        raise DocumentError(
            source,
            seat.result_line,
            f"says {seat.verdict_label} {seat.outcome}, but the votes make {winner.name} "
            f"({winner.party.name}) the winner",
        )
    notional = constituency.notional_winner
    gained_from = None
    if seat.outcome == Outcome.GAIN:
        if notional == winner.party:
            raise DocumentError(
                source,
                seat.result_line,
                f"says GAIN, but {winner.party.name} also won the seat notionally in 2019",
            )
        gained_from = notional
    elif notional is not None and notional != winner.party:
        raise DocumentError(
            source,
            seat.result_line,
            f"says HOLD, but {notional.name} won the seat notionally in 2019",
        )

    result = upsert(
        Result,
        {"constituency": constituency},
        {
            "winner": winner,
            "outcome": seat.outcome,
            "gained_from": gained_from,
            "majority": seat.majority,
            "turnout": seat.turnout,
            "source": ResultSource.SEED,
            "source_document": document_name(source),
            "source_line": seat.line,
            "source_edition": "",
            "declared_at_approximate": False,
            "discrepancies": [],
        },
        summary,
        "result",
    )
    stale = constituency.candidacies.exclude(pk__in=[c.pk for c in candidacies.values()])
    removed, _ = stale.delete()
    if removed:
        summary.removed["candidacy"] += removed
    if result_revision_record(result=result, before=before, source=ResultSource.SEED):
        result_change_record(result=result, declared=before is None)


def published_scoreboard_import(*, election, scoreboard, source):
    """Store a scoreboard as a document printed it (`seats_for_majority`, `seats_to_go`,
    `tallies` of `label`, `seats`, `change`)."""
    summary = ImportSummary()
    parties = PartyResolver(summary)
    figures = {
        "seats_for_majority": scoreboard.seats_for_majority,
        "seats_to_go": scoreboard.seats_to_go,
    }
    published = PublishedScoreboard.objects.filter(election=election).first()
    before = scoreboard_content(published) if published is not None else None
    if published is None:
        published = PublishedScoreboard.objects.create(
            election=election, source_document=document_name(source), **figures
        )
        summary.created["scoreboard"] += 1
    # Every live page prints the scoreboard; the source changes only with the figures.
    elif write_if_changed(published, figures):
        write_if_changed(published, {"source_document": document_name(source)})
        summary.updated["scoreboard"] += 1
    else:
        summary.unchanged["scoreboard"] += 1
    labels = []
    for position, tally in enumerate(scoreboard.tallies, start=1):
        labels.append(tally.label)
        upsert(
            PublishedTally,
            {"scoreboard": published, "label": tally.label},
            {
                "position": position,
                # "Others" is no party: it stays unlinked rather than becoming one.
                "party": parties.find(tally.label),
                "seats": tally.seats,
                "change": tally.change,
            },
            summary,
            "scoreboard line",
        )
    removed, _ = published.tallies.exclude(label__in=labels).delete()
    if removed:
        summary.removed["scoreboard line"] += removed
    scoreboard_revision_record(scoreboard=published, before=before, document=document_name(source))
    return summary


# The House of Commons Library's files.

# The notional file spells two parties its own way.
NOTIONAL_SPELLINGS = {"Spkr": "Spk", "All": "APNI"}

CONSTITUENCY_FIELDS = (
    "name",
    "ons_code",
    "region_id",
    "notional_winner_id",
    "notional_electorate",
    "notional_valid_votes",
)
# The ids others know a candidacy by (results.national.NationalCandidacy), as the file
# gives them: a file without them leaves each candidacy without.
CANDIDACY_IDS = ("dc_person_id", "mnis_id", "ec_party_id", "ec_adjunct_party_id")
CANDIDACY_FIELDS = (
    "name",
    "party_id",
    "party_label",
    "votes",
    "share",
    "share_change",
    "sitting_mp",
    *CANDIDACY_IDS,
)
RESULT_FIELDS = (
    "winner_id",
    "outcome",
    "gained_from_id",
    "majority",
    "turnout",
    "electorate",
    "valid_votes",
    "invalid_votes",
    "label",
    "declared_at",
    "source",
    "source_document",
    "source_line",
    "source_edition",
    "declared_at_approximate",
    "discrepancies",
)
# Figures a seed document also gives, which the import compares.
# (A different winner shows as a different majority and outcome; names are reported
# with the candidacies.)
COMPARED = ("outcome", "majority", "turnout")


@dataclass(frozen=True)
class NationalFiles:
    """Parsed files (see results.national) and the names to report them by."""

    constituencies: tuple
    candidacies: tuple
    constituencies_source: str
    candidacies_source: str
    declarations: dict | None = None
    notionals: dict | None = None  # {ONS code: results.notionals.NotionalVotes}
    # ONS codes of the seats whose declaration time the file gives only roughly.
    approximate_times: frozenset = frozenset()
    edition: str = LIBRARY_EDITION


def national_import(*, files):
    summary = ImportSummary()
    parties = PartyResolver(summary)
    candidates_by_seat = defaultdict(list)
    for candidacy in files.candidacies:
        candidates_by_seat[candidacy.ons_code].append(candidacy)
    missing = [seat for seat in files.constituencies if seat.ons_code not in candidates_by_seat]
    if missing:
        raise DocumentError(
            files.constituencies_source,
            missing[0].line,
            f"{missing[0].name} has no candidates in {files.candidacies_source}",
        )

    before = result_snapshots()
    regions = regions_import(files.constituencies, summary)
    seats = constituencies_import(files, regions, parties, summary)
    kept = {}
    for ons_code in sorted(seats):
        seat = seats[ons_code]
        reason = kept_because(
            getattr(seat, "current_result", None), importing=ResultSource.NATIONAL
        )
        if reason:
            kept[seat.pk] = reason
            summary.left_alone.append(f"{seat.name}: {reason}")
    candidacies, stale = candidacies_import(
        files, seats, kept, candidates_by_seat, parties, summary
    )
    results_import(files, seats, kept, candidacies, parties, before, summary)
    if files.notionals is not None:
        notional_votes_import(files, seats, parties, summary)
    # Only now that no result points at them can the candidacies gone from the file go.
    Candidacy.objects.filter(pk__in=stale).delete()
    if stale:
        summary.removed["candidacy"] += len(stale)
    return summary


def result_snapshots():
    """Every stored result's figures, by constituency, in two queries."""
    votes = defaultdict(dict)
    for constituency_id, name, count_ in Candidacy.objects.values_list(
        "constituency_id", "name", "votes"
    ):
        votes[constituency_id][name] = count_
    return {
        result.constituency_id: snapshot_from(result, votes[result.constituency_id])
        for result in Result.objects.select_related("winner__party", "gained_from")
    }


def regions_import(records, summary):
    """The regions and nations the files name, by ONS code."""
    existing = {region.ons_code: region for region in Region.objects.all()}
    wanted = {}
    for record in records:
        wanted.setdefault(
            record.region_code,
            {
                "name": record.region_name,
                "nation": record.country_name,
                "slug": constituency_slug(record.region_name),
            },
        )
    to_create, to_update = [], []
    for code, values in wanted.items():
        region = existing.get(code)
        if region is None:
            existing[code] = region = Region(ons_code=code, **values)
            to_create.append(region)
        elif changed(region, values):
            to_update.append(region)
    Region.objects.bulk_create(to_create)
    Region.objects.bulk_update(to_update, ["name", "nation", "slug"])
    count(summary, "region", len(to_create), len(to_update), len(wanted))
    return existing


def constituencies_import(files, regions, parties, summary):
    """Constituencies by ONS code, matched to those already here, created where new."""
    existing = list(Constituency.objects.select_related("result"))
    by_code = {seat.ons_code: seat for seat in existing if seat.ons_code}
    by_name = {seat.search_name: seat for seat in existing}
    seats, to_create, to_update = {}, [], []
    for record in files.constituencies:
        values = {
            "name": record.name,
            "ons_code": record.ons_code,
            "region_id": regions[record.region_code].pk,
        }
        if files.notionals is not None:
            notional = files.notionals.get(record.ons_code)
            held = notional and notional.winner
            values["notional_winner_id"] = notional_party(held, parties, files, record).pk
            values["notional_electorate"] = notional.electorate
            values["notional_valid_votes"] = notional.total
        seat = by_code.get(record.ons_code) or by_name.get(normalise_name(record.name))
        if seat is None:
            seat = Constituency(slug=constituency_slug(record.name), **values).with_search_name()
            to_create.append(seat)
        else:
            seat.current_result = getattr(seat, "result", None)
            if changed(seat, values):
                to_update.append(seat.with_search_name())
        seats[record.ons_code] = seat
    Constituency.objects.bulk_create(to_create)
    Constituency.objects.bulk_update(to_update, [*CONSTITUENCY_FIELDS, "search_name"])
    count(summary, "constituency", len(to_create), len(to_update), len(seats))
    return seats


def notional_party(abbreviation, parties, files, record):
    if abbreviation is None:
        raise DocumentError(
            files.constituencies_source, record.line, f"{record.name} has no 2019 notional result"
        )
    party = parties.find(NOTIONAL_SPELLINGS.get(abbreviation, abbreviation))
    if party is None:
        raise DocumentError(
            files.constituencies_source,
            record.line,
            f"the 2019 notional winner of {record.name}, {abbreviation!r}, is no known party",
        )
    return party


def notional_votes_import(files, seats, parties, summary):
    """Each seat's 2019 notional votes by party (every other candidate's together, with no
    party), written where they differ from those stored."""
    existing = {
        (vote.constituency_id, vote.party_id): vote
        for vote in NotionalVote.objects.filter(constituency__in=list(seats.values()))
    }
    wanted = {}
    for ons_code, seat in seats.items():
        notional = files.notionals[ons_code]
        for abbreviation, votes in notional.votes.items():
            if not votes:
                continue
            party = (
                None
                if abbreviation == OTHERS
                else notional_party(abbreviation, parties, files, notional)
            )
            wanted[(seat.pk, party and party.pk)] = votes
    to_create, to_update = [], []
    for (seat_pk, party_pk), votes in wanted.items():
        vote = existing.get((seat_pk, party_pk))
        if vote is None:
            to_create.append(NotionalVote(constituency_id=seat_pk, party_id=party_pk, votes=votes))
        elif vote.votes != votes:
            vote.votes = votes
            to_update.append(vote)
    stale = [vote.pk for key, vote in existing.items() if key not in wanted]
    NotionalVote.objects.bulk_create(to_create)
    NotionalVote.objects.bulk_update(to_update, ["votes"])
    NotionalVote.objects.filter(pk__in=stale).delete()
    count(summary, "2019 notional vote", len(to_create), len(to_update), len(wanted))
    if stale:
        summary.removed["2019 notional vote"] += len(stale)


def candidacies_import(files, seats, kept, candidates_by_seat, parties, summary):
    """Each seat's candidacies, ordered by votes, matched to those already here."""
    existing = defaultdict(list)
    for candidacy in Candidacy.objects.filter(constituency__in=[s for s in seats.values()]):
        existing[candidacy.constituency_id].append(candidacy)
    to_create, to_update, to_delete, by_seat = [], [], [], {}
    for ons_code, seat in seats.items():
        unmatched = {(normalise_name(c.name), c.party_id): c for c in existing[seat.pk]}
        if seat.pk in kept:
            to_update += ids_of_kept(candidates_by_seat[ons_code], unmatched, parties)
            continue
        records = candidates_by_seat[ons_code]
        valid_votes = sum(record.votes for record in records)
        rows = []
        for record in sorted(records, key=lambda r: (-r.votes, r.name)):
            party = party_of(record, parties)
            values = {
                "name": record.name,
                "party_id": party.pk,
                "party_label": record.party_name,
                "votes": record.votes,
                "share": arithmetic.share(record.votes, valid_votes),
                "share_change": record.change,
                "sitting_mp": record.sitting_mp,
                **candidacy_ids(record),
            }
            candidacy = unmatched.pop((normalise_name(record.name), party.pk), None)
            if candidacy is None:
                candidacy = respelt(unmatched, values)
                if candidacy is not None and candidacy.name != record.name:
                    summary.discrepancies.append(
                        f"{seat.name}: {candidacy.name!r} is {record.name!r} in "
                        f"{files.candidacies_source} (line {record.line})"
                    )
            if candidacy is None:
                candidacy = Candidacy(constituency=seat, **values).with_search_name()
                to_create.append(candidacy)
            elif changed(candidacy, values):
                to_update.append(candidacy.with_search_name())
            rows.append(candidacy)
        to_delete += [candidacy.pk for candidacy in unmatched.values()]
        by_seat[ons_code] = rows
    Candidacy.objects.bulk_create(to_create)
    Candidacy.objects.bulk_update(to_update, [*CANDIDACY_FIELDS, "search_name", "ballot_name"])
    count(summary, "candidacy", len(to_create), len(to_update), len(files.candidacies))
    return by_seat, to_delete


def candidacy_ids(record):
    return {name: getattr(record, name) for name in CANDIDACY_IDS}


def ids_of_kept(records, unmatched, parties):
    """The candidacies of a seat whose result is kept (the desk's), matched to the file's
    `records` and given the ids and registered party the file gives them: never a name,
    party or figure, which are the result's, and none created or removed."""
    updated = []
    for record in records:
        values = {
            "party_id": party_of(record, parties).pk,
            "votes": record.votes,
            **candidacy_ids(record),
        }
        candidacy = unmatched.pop((normalise_name(record.name), values["party_id"]), None)
        candidacy = candidacy or respelt(unmatched, values)
        ids = {"party_label": record.party_name, **candidacy_ids(record)}
        if candidacy is not None and changed(candidacy, ids):
            updated.append(candidacy)
    return updated


def respelt(unmatched, values):
    """The unmatched candidacy with the same Democracy Club person id (the same person,
    renamed or relabelled), else with the same party and votes (a name respelt), else
    the only one of the same party with no votes yet (a nomination respelt), taken from
    `unmatched`."""
    person = values["dc_person_id"]
    for key, candidacy in unmatched.items():
        if person is not None and candidacy.dc_person_id == person:
            return unmatched.pop(key)
    for key, candidacy in unmatched.items():
        if candidacy.party_id == values["party_id"] and candidacy.votes == values["votes"]:
            return unmatched.pop(key)
    nominated = [
        key
        for key, candidacy in unmatched.items()
        if candidacy.party_id == values["party_id"] and not candidacy.votes
    ]
    if len(nominated) == 1 and not any(
        candidacy.party_id == values["party_id"] and candidacy.votes
        for candidacy in unmatched.values()
    ):
        return unmatched.pop(nominated[0])
    return None


def party_of(record, parties):
    """A candidacy's party: by the file's abbreviation, else its name, else a new party."""
    party = parties.find(record.party_abbreviation) or parties.find(record.party_name)
    if party is None:
        party = parties.resolve(record.party_name, short_name=record.party_abbreviation)
    return party


def results_import(files, seats, kept, candidacies, parties, before, summary):
    existing = {result.constituency_id: result for result in Result.objects.all()}
    document = files.constituencies_source.rsplit("/", 1)[-1]
    to_create, to_update, revisions = [], [], []
    for record in files.constituencies:
        seat = seats[record.ons_code]
        if seat.pk in kept:
            continue
        rows = candidacies[record.ons_code]
        values = result_values(record, rows, parties, files, document)
        result = existing.get(seat.pk)
        if result is None:
            result = Result(constituency=seat, **values)
            to_create.append(result)
        else:
            disagreements = report_disagreements(result, values, seat, files, record, summary)
            # A seed's figures that differ stay beside the Library's, which replace them;
            # an import over its own earlier one keeps what the seed had said.
            values["discrepancies"] = (
                disagreements if result.source == ResultSource.SEED else result.discrepancies
            )
            if not changed(result, values):
                continue
            to_update.append(result)
        result.winner = rows[0]  # the row itself, so the snapshot needs no query
        after = snapshot_from(result, {row.name: row.votes for row in rows}, parties.by_pk)
        revisions.append((result, before.get(seat.pk), after))
    Result.objects.bulk_create(to_create)
    Result.objects.bulk_update(to_update, list(RESULT_FIELDS))
    revisions = [(result, old, new) for result, old, new in revisions if old != new]
    ResultRevision.objects.bulk_create(
        ResultRevision(result=result, source=ResultSource.NATIONAL, before=old, after=new)
        for result, old, new in revisions
    )
    # One change for each result whose figures readers see changed: none for the same
    # file imported again.
    changes_record(
        ChangeKind.RESULT,
        (
            (
                result.constituency_id,
                ChangeAction.DECLARED if old is None else ChangeAction.CORRECTED,
            )
            for result, old, _ in revisions
        ),
    )
    count(summary, "result", len(to_create), len(to_update), len(files.constituencies))


def result_values(record, rows, parties, files, document):
    winner = rows[0]
    majority = arithmetic.majority(row.votes for row in rows)
    if majority != record.majority:
        raise DocumentError(
            files.constituencies_source,
            record.line,
            f"majority {record.majority:,} for {record.name} disagrees with the candidates' "
            f"votes in {files.candidacies_source}: {majority:,}",
        )
    label_winner = parties.find(record.winner_abbreviation)
    if label_winner is None or label_winner.pk != winner.party_id:
        raise DocumentError(
            files.constituencies_source,
            record.line,
            f"{record.name}: Result {record.result!r} names another winner than the votes "
            f"({winner.name})",
        )
    gained_from = None
    if record.outcome == Outcome.GAIN:
        gained_from = parties.find(record.gained_from_abbreviation)
        if gained_from is None:
            raise DocumentError(
                files.constituencies_source,
                record.line,
                f"{record.name}: {record.gained_from_abbreviation!r} is no known party",
            )
    declared_at = (files.declarations or {}).get(record.ons_code)
    return {
        "winner_id": winner.pk,
        "outcome": record.outcome,
        "gained_from_id": gained_from.pk if gained_from else None,
        "majority": majority,
        # Valid votes over the electorate, as the Library computes it (Daventry 65.63%).
        "turnout": arithmetic.turnout(record.valid_votes, record.electorate),
        "electorate": record.electorate,
        "valid_votes": record.valid_votes,
        "invalid_votes": record.invalid_votes,
        "label": record.result,
        "declared_at": declared_at,
        "source": ResultSource.NATIONAL,
        "source_document": document,
        "source_line": record.line,
        "source_edition": files.edition,
        "declared_at_approximate": record.ons_code in files.approximate_times,
        "discrepancies": [],
    }


def report_disagreements(result, values, seat, files, record, summary):
    """Report each figure a seed result gives otherwise than the file; returns them as
    the result keeps them: [{field, value, source, line}], the seed's value as text."""
    if result.source != ResultSource.SEED:
        return []
    disagreements = []
    for name in COMPARED:
        ours, theirs = getattr(result, name), values[name]
        if ours is None or ours == theirs:
            continue
        summary.discrepancies.append(
            f"{seat.name}: {name} {ours} in {result.source_document}, {theirs} in "
            f"{files.constituencies_source} (line {record.line})"
        )
        disagreements.append(
            {
                "field": name,
                "value": str(ours),
                "source": result.source_document,
                "line": result.source_line,
            }
        )
    return disagreements


def changed(instance, values):
    """Set `values` on an instance; True if any differed."""
    differing = [name for name, value in values.items() if getattr(instance, name) != value]
    for name in differing:
        setattr(instance, name, values[name])
    return bool(differing)


def count(summary, noun, created, updated, total):
    if created:
        summary.created[noun] += created
    if updated:
        summary.updated[noun] += updated
    if total - created - updated:
        summary.unchanged[noun] += total - created - updated


def national_nominations_import(*, files):
    """The nominations before the night: every candidate in the Library's candidates
    file with their party and seat, and no votes (0, share 0, no change), standing in
    for the statements of persons nominated; no results. Seats come from the
    constituencies file if given, else from the candidates file (each gives a seat's ONS
    code, region and nation: a change on 2019 and a swing are measured by region);
    2019 notional winners and votes from the notionals, if given (the verdict of each
    declaration is worked out from them). A seat already declared is left alone, and
    said so: a nomination never undoes a result. Runs inside the caller's transaction.
    """
    summary = ImportSummary()
    parties = PartyResolver(summary)
    candidates_by_seat = defaultdict(list)
    for candidacy in files.candidacies:
        candidates_by_seat[candidacy.ons_code].append(candidacy)
    if files.constituencies:
        regions = regions_import(files.constituencies, summary)
        seats = constituencies_import(files, regions, parties, summary)
    else:
        regions = regions_import(
            [record for record in files.candidacies if record.region_code], summary
        )
        regions |= {region.name: region for region in list(regions.values())}
        seats = nominated_seats_import(files, candidates_by_seat, regions, parties, summary)
    declared = set(Result.objects.values_list("constituency_id", flat=True))
    existing = defaultdict(dict)
    for candidacy in Candidacy.objects.filter(constituency__in=list(seats.values())):
        key = (normalise_name(candidacy.name), candidacy.party_id)
        existing[candidacy.constituency_id][key] = candidacy
    to_create, to_update, stale = [], [], []
    for ons_code, seat in sorted(seats.items(), key=lambda item: item[1].name):
        if seat.pk in declared:
            summary.left_alone.append(f"{seat.name}: already declared")
            continue
        unmatched = existing[seat.pk]
        for record in candidates_by_seat.get(ons_code, ()):
            party = party_of(record, parties)
            values = {
                "name": record.name,
                "party_id": party.pk,
                "party_label": record.party_name,
                "votes": 0,
                "share": 0,
                "share_change": None,
                "sitting_mp": record.sitting_mp,
                **candidacy_ids(record),
            }
            candidacy = unmatched.pop((normalise_name(record.name), party.pk), None)
            if candidacy is None:
                to_create.append(Candidacy(constituency=seat, **values).with_search_name())
            elif changed(candidacy, values):
                to_update.append(candidacy.with_search_name())
        stale += [candidacy.pk for candidacy in unmatched.values()]
    Candidacy.objects.bulk_create(to_create)
    Candidacy.objects.bulk_update(to_update, [*CANDIDACY_FIELDS, "search_name", "ballot_name"])
    count(summary, "nomination", len(to_create), len(to_update), len(files.candidacies))
    Candidacy.objects.filter(pk__in=stale).delete()
    if stale:
        summary.removed["nomination"] += len(stale)
    if files.notionals is not None:
        notional_votes_import(files, seats, parties, summary)
    return summary


def nominated_seats_import(files, candidates_by_seat, regions, parties, summary):
    """Seats by ONS code from the candidates file alone, with their regions (`regions`,
    by ONS code and by name) where it gives them, matched to those already here by ONS
    code or name, created where new."""
    existing = list(Constituency.objects.all())
    by_code = {seat.ons_code: seat for seat in existing if seat.ons_code}
    by_name = {seat.search_name: seat for seat in existing}
    seats, to_create, to_update = {}, [], []
    for ons_code, records in candidates_by_seat.items():
        name = records[0].constituency_name
        values = {"name": name, "ons_code": ons_code}
        region = regions.get(records[0].region_code) or regions.get(records[0].region_name)
        if region is not None:
            values["region_id"] = region.pk
        notional = (files.notionals or {}).get(ons_code)
        if notional is not None:
            values["notional_winner_id"] = notional_party(
                notional.winner, parties, files, records[0]
            ).pk
            values["notional_electorate"] = notional.electorate
            values["notional_valid_votes"] = notional.total
        seat = by_code.get(ons_code) or by_name.get(normalise_name(name))
        if seat is None:
            seat = Constituency(slug=constituency_slug(name), **values).with_search_name()
            to_create.append(seat)
        elif changed(seat, values):
            to_update.append(seat.with_search_name())
        seats[ons_code] = seat
    Constituency.objects.bulk_create(to_create)
    fields = ["name", "ons_code", "region_id", "search_name"]
    if files.notionals is not None:
        fields += ["notional_winner_id", "notional_electorate", "notional_valid_votes"]
    Constituency.objects.bulk_update(to_update, fields)
    count(summary, "constituency", len(to_create), len(to_update), len(seats))
    return seats
