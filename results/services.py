"""Writes to the results data. Each function runs inside the caller's transaction."""

from pathlib import Path

from django.utils.text import slugify

from results.documents import DocumentError
from results.imports import ImportSummary, PartyResolver, upsert, write_if_changed
from results.models import (
    Candidacy,
    Constituency,
    County,
    Election,
    Outcome,
    PublishedScoreboard,
    PublishedTally,
    Result,
    ResultSource,
)
from results.naming import constituency_slug, normalise_name


def document_name(source):
    """The file name a row records as its source (not the path, which differs by machine)."""
    return Path(str(source)).name


def county_get_or_create(*, name, summary):
    """The county of that name (case and `&` forgiven), created if new."""
    slug = slugify(normalise_name(name))
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

        current = getattr(constituency, "result", None)
        if current is not None and current.source == ResultSource.DESK:
            summary.left_alone.append(
                f"{constituency.name}: the result was entered by the results desk"
            )
            continue
        seat_result_import(
            constituency=constituency, seat=seat, parties=parties, source=source, summary=summary
        )
    return summary


def seat_result_import(*, constituency, seat, parties, source, summary):
    candidacies = {}
    for candidate in seat.candidates:
        candidacies[candidate.name] = upsert(
            Candidacy,
            {"constituency": constituency, "name": candidate.name},
            {
                "party": parties.resolve(candidate.party_label),
                "party_label": candidate.party_label,
                "votes": candidate.votes,
                "share": candidate.share,
            },
            summary,
            "candidacy",
        )
    winner = candidacies[seat.winner.name]
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

    upsert(
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
        },
        summary,
        "result",
    )
    stale = constituency.candidacies.exclude(name__in=list(candidacies))
    removed, _ = stale.delete()
    if removed:
        summary.removed["candidacy"] += removed


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
    return summary
