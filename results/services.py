"""Writes to the results data: the desk's declarations and corrections, and the audit
trail every write keeps (imports are results.imports). Each function runs inside the
caller's transaction."""

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone

from results import arithmetic
from results.changes import change_record, changes_record
from results.models import (
    Candidacy,
    ChangeAction,
    ChangeKind,
    Constituency,
    DeclarationEntry,
    Election,
    ExitPoll,
    ExitPollLine,
    Outcome,
    Party,
    Result,
    ResultRevision,
    ResultSource,
    ScoreboardRevision,
    ballot_name,
    person_name,
    scoreboard_content,
    verdict_in_short,
)
from results.naming import normalise_name
from results.replay import outside_the_night
from results.signals import announce, changes_held, result_declared


def write_if_changed(instance, values):
    """Set `values` on a saved instance and save it only if one differs; True if saved."""
    changed = [name for name, value in values.items() if getattr(instance, name) != value]
    for name in changed:
        setattr(instance, name, values[name])
    if changed:
        instance.save(update_fields=changed)
    return bool(changed)


def result_snapshot(result):
    """The figures of a result as plain data, for its audit trail; None if there is none."""
    if result is None:
        return None
    votes = dict(result.constituency.candidacies.values_list("name", "votes"))
    return snapshot_from(result, votes)


def snapshot_from(result, votes, parties=None):
    """A result's figures as plain data, given its candidates' votes by name.

    `parties` maps ids to parties, for a result whose parties are not loaded with it.
    """
    party = parties[result.winner.party_id] if parties else result.winner.party
    gained_from = None
    if result.gained_from_id:
        gained_from = parties[result.gained_from_id] if parties else result.gained_from
    return {
        "winner": result.winner.name,
        "party": party.short_name,
        "outcome": result.outcome,
        "gained_from": gained_from.short_name if gained_from else None,
        "majority": result.majority,
        "turnout": str(result.turnout) if result.turnout is not None else None,
        "electorate": result.electorate,
        # In UTC, as the database gives it back: the same moment reads the same.
        "declared_at": result.declared_at.astimezone(UTC).isoformat()
        if result.declared_at
        else None,
        "votes": votes,
    }


def result_revision_record(
    *, result, before, source, user=None, note="", after=None, confirmed_by=None
):
    """Keep a revision if the result's figures changed; returns it, or None. `after`,
    the figures now, if the caller has them; `confirmed_by`, under double entry, the
    second desk member or the supervisor."""
    if after is None:
        after = result_snapshot(Result.objects.with_parties().get(pk=result.pk))
    if after == before:
        return None
    return ResultRevision.objects.create(
        result=result,
        changed_by=user,
        confirmed_by_name=person_name(confirmed_by) if confirmed_by else "",
        source=source,
        before=before,
        after=after,
        note=note,
    )


def computed_verdict(winner_party, notional_winner):
    """(outcome, gained_from) that follow from the winner's party and the 2019 notional
    winner (see results.models.Outcome): HOLD if they are the same party, else GAIN
    from the notional winner; None when the notional winner is not known."""
    if notional_winner is None:
        return None
    if winner_party == notional_winner:
        return Outcome.HOLD, None
    return Outcome.GAIN, notional_winner


VOTES = "votes"  # a problem with the votes as a whole
# The most a count (a seat's votes, its electorate) may be: what every database keeps
# in a positive integer field. Far beyond any seat, so only a slip reaches it.
MOST_VOTES = 2_147_483_647


def declaration_check(
    *, declared_at=None, kept_declared_at=None, electorate=None, turnout=None, **count
):
    """What is wrong with a declaration, each beside what it concerns: a list of
    (where, message), `where` being a candidate's index in `candidates`,
    "declared_at", "electorate", "turnout", "outcome", "gained_from", "reason", or
    VOTES for the count as a whole.

    A time typed, `declared_at`, must be in the night (results.replay.NIGHT_LENGTH),
    unless it is the result's own already, `kept_declared_at` (a result declared with no
    time on a rehearsal's day, then corrected); an electorate and a turnout typed must be
    ones a seat could have.

    `candidates` are (name, party, votes) for each candidate, votes None where the box
    was left empty: every candidate's votes are typed, 0 too, so that a forgotten row is
    never counted as none. The verdict follows from
    the votes and the 2019 notional winner; `outcome` and `gained_from` may only say the
    same (an old form, or a script, that names them), except where the notional winner
    is not known, when they are the desk's own call and need a `reason`.
    """
    out_of_bounds = [
        (where, message)
        for where, message in (
            (
                "declared_at",
                None if declared_at == kept_declared_at else declared_at_problem(declared_at),
            ),
            ("electorate", electorate_problem(electorate)),
            ("turnout", turnout_problem(turnout)),
        )
        if message
    ]
    # Said with whatever is wrong with the count, which an impossible electorate leaves
    # unmeasured.
    if any(where == "electorate" for where, _ in out_of_bounds):
        electorate = None
    return out_of_bounds + count_check(electorate=electorate, **count)


def declared_at_problem(declared_at):
    """What is wrong with a declaration time typed, or None: it must be in the night of
    the current election, so that no typo of a year is kept (and walked, hour by hour,
    by the chart of the night)."""
    election = Election.objects.current() if declared_at is not None else None
    reason = election and outside_the_night(declared_at, election.polling_day)
    if not reason:
        return None
    try:
        typed = timezone.localtime(declared_at)
    except OverflowError:  # year 9999 or 1 in another zone: said as typed
        typed = declared_at
    return f"Declared at {typed:%H:%M, %-d %b %Y} {reason}"


def electorate_problem(electorate):
    if electorate is None or 1 <= electorate <= MOST_VOTES:
        return None
    return f"An electorate of {electorate:,} cannot be: give one from 1 to {MOST_VOTES:,}."


def turnout_problem(turnout):
    if turnout is None or 0 <= turnout <= 100:
        return None
    return f"A turnout of {turnout}% cannot be: give one from 0 to 100."


def count_check(
    *,
    candidates,
    notional_winner=None,
    seat="the seat",
    outcome=None,
    gained_from=None,
    reason="",
    electorate=None,
):
    """declaration_check's of the votes and the verdict."""
    if not candidates:
        return [(VOTES, "Enter each candidate's votes.")]
    problems = []
    seen = {}
    for index, (name, party, votes) in enumerate(candidates):
        key = (normalise_name(name), party)
        if key in seen:
            problems.append((index, f"{name} is entered twice: each candidate once."))
        seen.setdefault(key, index)
        if votes is None:
            problems.append((index, f"Type {name}'s votes: 0 if none."))
        elif votes < 0:
            problems.append((index, f"{name} has negative votes ({votes})."))
    counted = sorted((votes or 0 for _, _, votes in candidates), reverse=True)
    total = sum(counted)
    if problems:
        # The sums of a count with a row missing would mislead: the rows first.
        return problems
    if total == 0:
        return [*problems, (VOTES, "Enter each candidate's votes: so far they add up to none.")]
    if total > MOST_VOTES:
        return [
            (
                VOTES,
                f"The votes add up to {total:,}, more than any seat could cast: check each "
                "candidate's votes.",
            )
        ]
    if electorate is not None and total > electorate:
        problems.append(
            (
                "electorate",
                f"The votes add up to {total:,}, more than the electorate of {electorate:,}.",
            )
        )
    if len(counted) > 1 and counted[0] == counted[1]:
        problems.append(
            (VOTES, "Two candidates tie for first place: enter the result after the lot.")
        )
        return problems
    winner_party = max(candidates, key=lambda candidate: candidate[2] or 0)[1]
    problems += verdict_problems(
        winner_party=winner_party,
        notional_winner=notional_winner,
        seat=seat,
        outcome=outcome,
        gained_from=gained_from,
        reason=reason,
    )
    return problems


def verdict_problems(*, winner_party, notional_winner, seat, outcome, gained_from, reason):
    computed = computed_verdict(winner_party, notional_winner)
    winner = winner_party.name if winner_party else "the winner's party"
    if computed is not None:
        if not outcome:
            return []
        expected, held_by = computed
        if outcome == Outcome.HOLD and expected == Outcome.GAIN:
            return [
                (
                    "outcome",
                    f"{held_by.name} won {seat} in 2019 (the notional result on the new "
                    f"boundaries), so a {winner} win is a GAIN from {held_by.name}, not a "
                    "HOLD.",
                )
            ]
        if outcome == Outcome.GAIN and expected == Outcome.HOLD:
            return [
                (
                    "outcome",
                    f"{winner} won {seat} in 2019 (the notional result on the new "
                    f"boundaries), so this is a {winner} HOLD, not a GAIN.",
                )
            ]
        if outcome == Outcome.GAIN and gained_from is not None and gained_from != held_by:
            return [
                (
                    "gained_from",
                    f"{held_by.name} won {seat} in 2019 (notionally), so {winner} gained it "
                    f"from {held_by.name}, not from {gained_from.name}.",
                )
            ]
        if outcome == Outcome.HOLD and gained_from is not None:
            return [("gained_from", "A HOLD was gained from nobody: leave 'gained from' empty.")]
        return []
    # No notional result for the seat: the desk says, and says why.
    problems = []
    if not outcome:
        problems.append(
            (
                "outcome",
                f"The 2019 notional result of {seat} is not known, so the verdict cannot "
                "be worked out: choose HOLD or GAIN (and from whom), and say why.",
            )
        )
    elif outcome == Outcome.GAIN and gained_from is None:
        problems.append(("gained_from", "Say which party the seat was gained from."))
    elif outcome == Outcome.GAIN and gained_from == winner_party:
        problems.append(
            (
                "gained_from",
                f"A GAIN from {gained_from.name}, but {gained_from.name} won: that is a HOLD.",
            )
        )
    elif outcome == Outcome.HOLD and gained_from is not None:
        problems.append(
            ("gained_from", "A HOLD was gained from nobody: leave 'gained from' empty.")
        )
    if outcome and not (reason or "").strip():
        problems.append(("reason", "Say why: the reason is kept in the audit trail."))
    return problems


def declaration_problems(**check):
    """The messages of `declaration_check`, without where each stands."""
    return [message for _, message in declaration_check(**check)]


@dataclass(frozen=True)
class Count:
    """A count worked out from its votes, as readers will see it: `rows` are (name,
    party, votes, share) by votes, most first (ties by name)."""

    rows: list
    total: int
    majority: int
    majority_share: Decimal
    outcome: str | None
    gained_from: object
    turnout: Decimal | None
    electorate: int | None

    @property
    def winner(self):
        return self.rows[0]

    @property
    def verdict(self):
        """`LAB GAIN FROM CON`; None while the desk has not chosen it (no notional result)."""
        if not self.outcome:
            return None
        gained_from = self.gained_from.short_name if self.gained_from else None
        return verdict_in_short(self.winner[1].short_name, self.outcome, gained_from)


def count_compute(
    *, candidates, notional_winner, outcome=None, gained_from=None, electorate=None, turnout=None
):
    """Winner, shares, majority, turnout and verdict of `candidates`, (name, party,
    votes) that `declaration_check` passed: the one rule for the confirmation page and
    for `result_declare`. The verdict follows from the 2019 notional winner where it is
    known; else it is the desk's `outcome` and `gained_from`. Turnout is worked out from
    the electorate when it is given, else it is the `turnout` typed."""
    total = sum(votes for _, _, votes in candidates)
    rows = sorted(
        ((name, party, votes, arithmetic.share(votes, total)) for name, party, votes in candidates),
        key=lambda row: (-row[2], row[0]),
    )
    majority = arithmetic.majority(votes for _, _, votes in candidates)
    computed = computed_verdict(rows[0][1], notional_winner)
    if computed is not None:
        outcome, gained_from = computed
    if electorate:
        turnout = arithmetic.turnout(total, electorate)
    return Count(
        rows=rows,
        total=total,
        majority=majority,
        majority_share=arithmetic.percentage(majority, total),
        outcome=outcome or None,
        gained_from=gained_from if outcome == Outcome.GAIN else None,
        turnout=turnout,
        electorate=electorate,
    )


def share_change_since_2019(candidacy, total, notional_votes, notional_total):
    """A candidate's change in share since 2019, in points: against their party's votes
    in the seat's 2019 notional result ({party pk: votes}; Reform UK's are the Brexit
    Party's, results.notionals), as the Library's "Change" is. None for a party that
    had no votes there in 2019, an independent, or a seat with no notional result."""
    then = notional_votes.get(candidacy.party_id)
    if not then:
        return None
    return arithmetic.change_in_share(candidacy.votes, total, then, notional_total)


def result_declare(
    *,
    constituency,
    outcome=None,
    gained_from=None,
    reason="",
    electorate=None,
    turnout=None,
    declared_at=None,
    user=None,
    before=None,
    source=ResultSource.DESK,
    candidacies=None,
    confirmed_by=None,
):
    """Declare or correct a constituency's result from its candidacies' votes.

    Winner, shares, majority, valid votes and the verdict (GAIN or HOLD, and from whom,
    against the 2019 notional result) are computed, never typed (`count_compute`):
    `outcome` and `gained_from`, if given, must agree (see `declaration_check`), unless
    the seat has no notional result, when they are the desk's call. `reason`, the
    desk's why, is kept in the revision with every change. Turnout is computed from the
    electorate when it is given. A change to a result already declared is a correction,
    which readers see. `before` is the result's snapshot from before the votes were
    saved, when the caller saved them. Raises ValidationError listing every problem.
    Sends results.signals.result_declared if the result changed.
    `candidacies`, the seat's with their parties, saves reading them again;
    `confirmed_by`, under double entry, who agreed.
    """
    candidacies = list(candidacies or constituency.candidacies.select_related("party"))
    notional = constituency.notional_winner
    existing = Result.objects.with_parties().filter(constituency=constituency).first()
    problems = declaration_problems(
        candidates=[(c.name, c.party, c.votes) for c in candidacies],
        notional_winner=notional,
        seat=constituency.name,
        outcome=outcome,
        gained_from=gained_from,
        reason=reason,
        electorate=electorate,
        turnout=turnout,
        declared_at=declared_at,
        kept_declared_at=existing.declared_at if existing else None,
    )
    if problems:
        raise ValidationError(problems)

    count = count_compute(
        candidates=[(c.name, c.party, c.votes) for c in candidacies],
        notional_winner=notional,
        outcome=outcome,
        gained_from=gained_from,
        electorate=electorate,
        turnout=turnout,
    )
    then = dict(
        constituency.notional_votes.filter(party__isnull=False).values_list("party_id", "votes")
    )
    # The count's rows are the one ranking and the one share of each candidate: each
    # is a candidacy's, which declaration_check keeps to one per name and party.
    by_candidate = {(c.name, c.party_id): c for c in candidacies}
    ranked = []
    for name, party, _, share in count.rows:
        candidacy = by_candidate[(name, party.pk)]
        candidacy.share = share
        candidacy.share_change = share_change_since_2019(
            candidacy, count.total, then, constituency.notional_valid_votes
        )
        ranked.append(candidacy)
    Candidacy.objects.bulk_update(ranked, ["share", "share_change"])
    announce(Candidacy, constituencies=[constituency.pk])  # bulk_update sends no signal

    if before is None:
        before = result_snapshot(existing)
    declared_at = declared_at or (existing.declared_at if existing else None) or timezone.now()
    values = {
        "winner": ranked[0],
        "outcome": count.outcome,
        "gained_from": count.gained_from,
        "majority": count.majority,
        "turnout": count.turnout,
        "electorate": electorate,
        "valid_votes": count.total,
        "declared_at": declared_at,
        "source": source,
        # The figures are the desk's own: who typed them and when are in the revision.
        "source_document": "",
        "source_line": None,
        "source_edition": "",
        "discrepancies": [],
        # A time the desk leaves as it was stays as roughly known as it was.
        "declared_at_approximate": bool(
            existing and existing.declared_at == declared_at and existing.declared_at_approximate
        ),
    }
    if existing is None:
        result = Result.objects.create(constituency=constituency, **values)
    else:
        result = existing
        write_if_changed(result, values)
    # The figures as they now stand, from the rows in hand (the parties are loaded).
    after = snapshot_from(result, {c.name: c.votes for c in ranked})
    revision = result_revision_record(
        result=result,
        before=before,
        source=source,
        user=user,
        note=reason or "",
        after=after,
        confirmed_by=confirmed_by,
    )
    if existing is not None and revision is not None:
        result.corrected_at = revision.changed_at
        # When it last changed, too: the declarations feed tells readers of the correction.
        result.save(update_fields=["corrected_at", "updated_at"])
    if revision is not None:
        result_declared.send(sender=Result, result=result, revision=revision, user=user)
        # Last, as the number holds the counter till commit (results.changes).
        result_change_record(result=result, declared=existing is None)
    return result, revision


def result_change_record(*, result, declared):
    """Number the change readers see: a result `declared`, else corrected."""
    action = ChangeAction.DECLARED if declared else ChangeAction.CORRECTED
    change_record(ChangeKind.RESULT, result.constituency_id, action)


def declaration_state(*, constituency):
    """A short digest of a seat's candidates and result as they stand now: figures
    checked against one state are not published over another (a stale confirmation)."""
    candidates = list(
        Candidacy.objects.filter(constituency=constituency)
        .order_by("pk")
        .values_list("pk", "name", "party_id", "votes")
    )
    changed = (
        Result.objects.filter(constituency=constituency)
        .values_list("updated_at", flat=True)
        .first()
    )
    text = json.dumps([candidates, changed.isoformat() if changed else None])
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def entry_figures(
    *,
    candidates,
    electorate=None,
    turnout=None,
    declared_at=None,
    outcome=None,
    gained_from=None,
    reason="",
):
    """A declaration as the desk typed it, as plain data to keep, compare and publish:
    `candidates` are (candidacy or None for a new one, name, party, votes)."""
    return {
        "candidates": [
            {"id": c.pk if c else None, "name": name, "party": party.pk, "votes": votes}
            for c, name, party, votes in candidates
        ],
        "electorate": electorate,
        "turnout": turnout_typed(turnout, electorate),
        "declared_at": declared_at.astimezone(UTC).isoformat() if declared_at else None,
        "outcome": outcome or "",
        "gained_from": gained_from.pk if gained_from else None,
        "reason": reason or "",
    }


def turnout_typed(turnout, electorate):
    """A typed turnout as an entry keeps and compares it: to two places ("59.0" is
    "59.00"), and none where an electorate was given, from which it is worked out."""
    if electorate or turnout in (None, ""):
        return None
    return str(Decimal(str(turnout)).quantize(Decimal("0.01")))


@dataclass(frozen=True)
class FigureLine:
    """One figure of several entries side by side, in words, in the entries' order."""

    label: str
    values: tuple

    @property
    def differs(self):
        return len(set(self.values)) > 1


def entries_compared(*entries):
    """Entries' figures (entry_figures) side by side, figure by figure: each
    candidate's votes, the electorate, the turnout typed, the time and the verdict
    chosen. The reason is words, not a figure, and is not compared."""
    parties = Party.objects.in_bulk(
        {row["party"] for figures in entries for row in figures["candidates"]}
        | {figures["gained_from"] for figures in entries} - {None}
    )
    by_candidate = [
        {(normalise_name(row["name"]), row["party"]): row for row in figures["candidates"]}
        for figures in entries
    ]
    keys = list(dict.fromkeys(key for rows in by_candidate for key in rows))
    # In ballot-paper order, as the desk typed them and the returning officer read them.
    keys.sort(
        key=lambda key: (ballot_name(next(r[key] for r in by_candidate if key in r)["name"]), key)
    )
    lines = []
    for key in keys:
        row = next(rows[key] for rows in by_candidate if key in rows)
        lines.append(
            FigureLine(
                f"{row['name']} ({parties[row['party']].short_name})",
                tuple(votes_in_words(rows.get(key)) for rows in by_candidate),
            )
        )
    return [
        *lines,
        FigureLine("Electorate", tuple(number_in_words(f["electorate"]) for f in entries)),
        FigureLine("Turnout typed", tuple(turnout_in_words(f) for f in entries)),
        FigureLine("Declared at", tuple(time_in_words(f["declared_at"]) for f in entries)),
        FigureLine("Verdict chosen", tuple(choice_in_words(f, parties) for f in entries)),
    ]


def turnout_in_words(figures):
    turnout = turnout_typed(figures["turnout"], figures["electorate"])
    return "–" if turnout is None else f"{turnout}%"


def votes_in_words(row):
    return "not entered" if row is None else f"{row['votes']:,}"


def number_in_words(number, none="–"):
    return none if number is None else f"{number:,}"


def time_in_words(moment, none="when published", style="%H:%M:%S, %-d %b %Y"):
    """A moment kept as ISO text (entry_figures, result_snapshot), in local time."""
    if not moment:
        return none
    return timezone.localtime(datetime.fromisoformat(moment)).strftime(style)


def snapshot_in_words(snapshot):
    """A result snapshot in a line, every figure of it: `LAB GAIN from CON, majority
    3,820 (Rosie ... 18,009, ...), turnout 59.02%, electorate 78,000, declared 03:12:00`."""
    if not snapshot:
        return ""
    outcome = snapshot["outcome"]
    if snapshot.get("gained_from"):
        outcome += f" from {snapshot['gained_from']}"
    votes = ", ".join(f"{name} {count:,}" for name, count in snapshot["votes"].items())
    turnout = f"{snapshot['turnout']}%" if snapshot.get("turnout") else "not given"
    electorate = number_in_words(snapshot.get("electorate") or None, none="not given")
    declared = time_in_words(snapshot.get("declared_at"), none="not given", style="%H:%M:%S")
    return (
        f"{snapshot['party']} {outcome}, majority {snapshot['majority']:,} ({votes}), "
        f"turnout {turnout}, electorate {electorate}, declared {declared}"
    )


def choice_in_words(figures, parties):
    if not figures["outcome"]:
        return "from the votes"
    gained_from = parties.get(figures["gained_from"])
    return figures["outcome"] + (f" from {gained_from.short_name}" if gained_from else "")


def entries_agree(first, second):
    return not any(line.differs for line in entries_compared(first, second))


PUBLISHED, AWAITING, DISAGREE = "published", "awaiting a second entry", "entries disagree"


@dataclass(frozen=True)
class Entered:
    """What became of a desk member's entry: `state` is PUBLISHED (with its
    `revision`, None if nothing changed), AWAITING a second entry, or DISAGREE with
    another member's; `entries` are the seat's entries concerned."""

    state: str
    revision: object = None
    entries: tuple = ()


def seat_lock(*, constituency, state=None):
    """Hold a seat's row till the transaction ends (PostgreSQL; SQLite holds the whole
    database as it writes) and, given the `state` (declaration_state) its figures were
    checked in, refuse them if the seat has changed since: two members confirming at
    once are taken one at a time, and the second is told, not overwritten."""
    Constituency.objects.select_for_update().only("pk").get(pk=constituency.pk)
    if state is not None and state != declaration_state(constituency=constituency):
        raise ValidationError(
            f"The result of {constituency.name} changed after you checked these figures: "
            "check them again."
        )


def declaration_enter(*, constituency, figures, user, alone=False, state=None):
    """Take a desk member's confirmed figures for a seat (entry_figures), checked in
    `state` (declaration_state; see seat_lock).

    Without double entry (settings.RESULTS_DOUBLE_ENTRY), they are published. With it,
    they are kept as the member's entry (replacing their own earlier one), and
    published only when they agree, figure by figure, with another member's entry; a
    supervisor (results.publish_single_entry) may publish their own `alone`.
    """
    if alone and not user.has_perm("results.publish_single_entry"):
        raise PermissionDenied("Only a results supervisor publishes one entry alone.")
    with transaction.atomic():
        seat_lock(constituency=constituency, state=state)
        if not settings.RESULTS_DOUBLE_ENTRY or alone:
            _, revision = entry_publish(
                constituency=constituency,
                figures=figures,
                user=user,
                confirmed_by=user if settings.RESULTS_DOUBLE_ENTRY else None,
            )
            return Entered(PUBLISHED, revision)
        return entry_keep(constituency=constituency, figures=figures, user=user)


def entry_keep(*, constituency, figures, user):
    """Keep a member's entry of a seat, and publish it if another member's agrees."""
    pending = constituency.entries.pending()
    pending.filter(entered_by=user).delete()
    others = list(pending.select_related("entered_by"))
    mine = DeclarationEntry.objects.create(
        constituency=constituency, entered_by=user, figures=figures
    )
    for other in others:
        if entries_agree(other.figures, figures):
            # The reason is words: whichever member gave one.
            agreed = {**other.figures, "reason": other.figures["reason"] or figures["reason"]}
            _, revision = entry_publish(
                constituency=constituency,
                figures=agreed,
                user=other.entered_by,
                confirmed_by=user,
            )
            return Entered(PUBLISHED, revision, (other, mine))
    return Entered(DISAGREE if others else AWAITING, None, (*others, mine))


def entry_publish_alone(*, entry, user, state=None):
    """A supervisor publishes one desk member's entry without a second, as checked in
    `state` (see seat_lock). Returns (result, revision)."""
    if not user.has_perm("results.publish_single_entry"):
        raise PermissionDenied("Only a results supervisor publishes one entry alone.")
    with transaction.atomic():
        seat_lock(constituency=entry.constituency, state=state)
        if not DeclarationEntry.objects.pending().filter(pk=entry.pk).exists():
            raise ValidationError(
                f"{entry.entered_by_name}'s entry of {entry.constituency.name} is no longer "
                "awaiting: it was published or set aside."
            )
        return entry_publish(
            constituency=entry.constituency,
            figures=entry.figures,
            user=entry.entered_by,
            confirmed_by=user,
        )


def entry_count(figures, *, notional_winner):
    """The count an entry's figures (entry_figures) give, as count_compute works it out
    for the confirmation page."""
    rows = figures["candidates"]
    parties = Party.objects.in_bulk(
        {row["party"] for row in rows} | {figures["gained_from"]} - {None}
    )
    return count_compute(
        candidates=[(row["name"], parties[row["party"]], row["votes"]) for row in rows],
        notional_winner=notional_winner,
        outcome=figures["outcome"] or None,
        gained_from=parties.get(figures["gained_from"]),
        electorate=figures["electorate"],
        turnout=Decimal(figures["turnout"]) if figures["turnout"] else None,
    )


def entry_publish(*, constituency, figures, user=None, confirmed_by=None):
    """Publish a seat's figures (entry_figures): the candidates' votes written (new
    candidates added, those taken off removed) and the result declared or corrected by
    `result_declare`, which checks them all again. Every entry of the seat still
    awaiting is closed by the change. Returns (result, revision)."""
    before = result_snapshot(
        Result.objects.with_parties().filter(constituency=constituency).first()
    )
    existing = {c.pk: c for c in constituency.candidacies.select_related("party")}
    rows = figures["candidates"]
    parties = Party.objects.in_bulk(
        {row["party"] for row in rows} | {figures["gained_from"]} - {None}
    )
    kept, changed = [], []
    for row in rows:
        candidacy = existing.pop(row["id"], None) if row["id"] else None
        if candidacy is None:
            candidacy = Candidacy.objects.create(
                constituency=constituency,
                name=row["name"],
                party=parties[row["party"]],
                votes=row["votes"],
            )
        elif candidacy.votes != row["votes"]:
            candidacy.votes = row["votes"]
            changed.append(candidacy)
        kept.append(candidacy)
    Candidacy.objects.bulk_update(changed, ["votes"])
    result, revision = result_declare(
        constituency=constituency,
        candidacies=kept,
        outcome=figures["outcome"] or None,
        gained_from=parties.get(figures["gained_from"]),
        reason=figures["reason"],
        electorate=figures["electorate"],
        turnout=Decimal(figures["turnout"]) if figures["turnout"] else None,
        declared_at=datetime.fromisoformat(figures["declared_at"])
        if figures["declared_at"]
        else None,
        user=user,
        before=before,
        confirmed_by=confirmed_by,
    )
    if existing:
        # Taken off the declaration by the desk; no longer anyone's winner.
        Candidacy.objects.filter(pk__in=list(existing)).delete()
    pending = constituency.entries.pending()
    if revision is None:
        pending.delete()  # nothing changed: nothing to keep them for
    else:
        pending.update(revision=revision)
    return result, revision


def results_clear():
    """Take every result off, as before polls close: results, their revisions and the
    desk's entries go (every seat starts over), and candidates keep their names and
    parties with no votes (nor shares, nor changes). Posts and live pages are not
    results and stay. Returns how many results went."""
    seats = list(
        Result.objects.order_by("constituency_id").values_list("constituency_id", flat=True)
    )
    DeclarationEntry.objects.all().delete()
    # One statement for every revision and one for every result, whatever their number:
    # the ORM's delete would fetch each result and send its signals, each announcing
    # and withdrawing one with queries of its own (results.receivers), ten a result.
    with connection.cursor() as cursor:
        for model in (ResultRevision, Result):
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")
    Candidacy.objects.update(votes=0, share=0, share_change=None)
    # Withdrawn here, all at once, and last: the counter is held from then on.
    changes_record(ChangeKind.RESULT, ((seat, ChangeAction.WITHDRAWN) for seat in seats))
    announce(Result, everything=True)  # written in bulk: every page may have changed
    return len(seats)


def count_declare(*, constituency, votes, electorate=None, declared_at=None, user=None, **rest):
    """Declare a seat from a count: `votes` maps each candidacy's pk to its votes; the
    rest is result_declare's, which works out everything else."""
    candidacies = list(constituency.candidacies.select_related("party"))
    for candidacy in candidacies:
        candidacy.votes = votes.get(candidacy.pk, 0)
    Candidacy.objects.bulk_update(candidacies, ["votes"])
    return result_declare(
        constituency=constituency,
        electorate=electorate,
        declared_at=declared_at,
        user=user,
        candidacies=candidacies,
        **rest,
    )


@dataclass(frozen=True)
class ExitPollLineEntered:
    """One line of an exit poll as the desk or a file gives it: `party` None for Others."""

    label: str
    party: object
    seats: int


def exit_poll_check(*, election, lines):
    """What is wrong with an exit poll's `lines` (ExitPollLineEntered), each message
    with the index of the line it concerns, or None for the poll as a whole."""
    if not lines:
        return [(None, "Enter the poll's seats: one line per party, and Others.")]
    problems = []
    labels, parties, others = {}, {}, None
    for index, line in enumerate(lines):
        label = line.label.strip()
        if not label:
            problems.append((index, "Name the line: the party as the poll announced it."))
        elif label.casefold() in labels:
            problems.append((index, f"{label} is entered twice: each line once."))
        labels.setdefault(label.casefold(), index)
        if line.party is None:
            if others is not None:
                problems.append(
                    (index, "Only one line may be without a party: Others, for the rest.")
                )
            others = index
        elif line.party.pk in parties:
            problems.append((index, f"{line.party.name} is entered twice: each party on one line."))
        else:
            parties[line.party.pk] = index
        if line.seats is None or line.seats < 0:
            problems.append((index, f"Type the seats for {label or 'this line'}: 0 if none."))
    total = sum(line.seats or 0 for line in lines)
    if total > election.total_seats:
        problems.append(
            (
                None,
                f"The seats add up to {total}, more than the House's {election.total_seats}.",
            )
        )
    return problems


def exit_poll_time_check(published_at):
    """What is wrong with an exit poll announced at `published_at`, if anything: pages keep
    "no poll yet" until the figures change, so one saved before its time would stay hidden."""
    if published_at > timezone.now():
        return "The exit poll's time is in the future: save it when it is announced."
    return None


def exit_poll_record(*, election, published_at, lines, source=""):
    """Record `election`'s exit poll as announced at `published_at`: its `lines`
    (ExitPollLineEntered) in the order given, replacing any the election had (a
    correction). Raises ValidationError listing every problem (exit_poll_check). The
    pages showing the poll hear of it once, when it is all written. Returns (the
    ExitPoll, whether anything changed): the same poll again writes nothing.
    """
    problems = [message for _, message in exit_poll_check(election=election, lines=lines)]
    too_early = exit_poll_time_check(published_at)
    if too_early or problems:
        raise ValidationError([too_early] if too_early else problems)
    wanted = [
        (position, line.label.strip(), line.party.pk if line.party else None, line.seats)
        for position, line in enumerate(lines, start=1)
    ]
    with transaction.atomic(), changes_held() as held:
        poll, created = ExitPoll.objects.select_for_update().get_or_create(
            election=election, defaults={"published_at": published_at, "source": source}
        )
        if not created:
            stored = list(poll.lines.values_list("position", "label", "party_id", "seats"))
            times_changed = write_if_changed(poll, {"published_at": published_at, "source": source})
            if stored == wanted and not times_changed:
                return poll, False
            poll.lines.all().delete()
        ExitPollLine.objects.bulk_create(
            ExitPollLine(
                exit_poll=poll, position=position, label=label, party_id=party, seats=seats
            )
            for position, label, party, seats in wanted
        )
        # Lines written in bulk send no model signals: the poll as a whole changed.
        announce(ExitPoll, exit_poll=[poll.pk])
        # Sent as one Change once the whole poll is written, in its transaction.
        held.send()
    return poll, True


def scoreboard_revision_record(*, scoreboard, before, user=None, document=""):
    """Keep a revision of the published scoreboard that a person (`user`) or an import
    (of `document`) has just written, if it changed from `before`; returns it."""
    after = scoreboard_content(scoreboard)
    if after == before:
        return None
    return ScoreboardRevision.objects.create(
        scoreboard=scoreboard,
        election_name=scoreboard.election.name,
        changed_by=user if getattr(user, "pk", None) else None,
        changed_by_name=person_name(user) if getattr(user, "pk", None) else "",
        source_document=document,
        before=before,
        after=after,
    )
