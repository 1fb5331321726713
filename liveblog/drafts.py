"""Posts drafted from declarations: the results desk declares a seat, and a draft post
waits on its county's live page for an editor to publish, edit or discard.

The wording and the result card are made here from the result and its candidacies
(pure: no reads, no writes); the writes are liveblog.services `result_post_draft`
(after a declaration, liveblog.receivers) and `result_post_refresh`. A card
keeps the figures as they were when drafted, so a published post says what it said;
a correction updates a draft, and flags a published post for an editor.
"""

from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils import timezone

# How a party is named as the subject of a headline ("Conservatives gain ...") and as
# its object ("... from the Conservatives"); others by their own name.
SUBJECTS = {
    "conservative": "Conservatives",
    "liberal-democrat": "Liberal Democrats",
    "green-party": "Greens",
    "scottish-national-party": "SNP",
    "democratic-unionist-party": "DUP",
    "ulster-unionist-party": "UUP",
    "social-democratic-and-labour-party": "SDLP",
    "alliance-party-of-northern-ireland": "Alliance",
    "traditional-unionist-voice": "TUV",
    "speaker": "The Speaker",
}
OBJECTS = {
    "conservative": "the Conservatives",
    "liberal-democrat": "the Liberal Democrats",
    "green-party": "the Greens",
    "scottish-national-party": "the SNP",
    "democratic-unionist-party": "the DUP",
    "ulster-unionist-party": "the UUP",
    "social-democratic-and-labour-party": "the SDLP",
    "alliance-party-of-northern-ireland": "Alliance",
    "traditional-unionist-voice": "the TUV",
    "speaker": "the Speaker",
}


def subject(party):
    return SUBJECTS.get(party.slug, party.name)


def object_of(party):
    return OBJECTS.get(party.slug, party.name)


def votes(number):
    return f"{intcomma(number)} vote{'' if number == 1 else 's'}"


def draft_title(result):
    """`Labour gain Kettering from the Conservatives: Rosie Wrighting wins by 3,820 votes`."""
    party, seat, winner = result.winner.party, result.constituency.name, result.winner.name
    lead = f"{subject(party)} hold {seat}"
    if result.outcome == "GAIN":
        lead = f"{subject(party)} gain {seat}"
        if result.gained_from:
            lead += f" from {object_of(result.gained_from)}"
    return f"{lead}: {winner} wins by {votes(result.majority)}"


def draft_summary(result, candidacies):
    """The first paragraph: who won, by how much over whom, and the turnout."""
    winner = result.winner
    text = f"{winner.name} ({winner.party.name}) wins {result.constituency.name}"
    runner_up = next((c for c in candidacies if c.pk != winner.pk), None)
    if runner_up is not None:
        text += (
            f" with a majority of {intcomma(result.majority)} over {runner_up.name} "
            f"({runner_up.party.name})"
        )
    text += "."
    if result.outcome == "GAIN" and result.gained_from:
        text += f" {capitalised(object_of(result.gained_from))} held the seat in 2019."
    if result.turnout is not None:
        text += f" Turnout was {result.turnout}%."
    return text


def capitalised(text):
    return text[:1].upper() + text[1:]


def card(result, candidacies):
    """A result card's figures, as plain data kept with the post. Parties are named by
    slug, not by colour: a card shows its party's colour as it is when read
    (pages.templatetags.liveblog_tags.card_swatch)."""
    party = result.winner.party
    return {
        "seat": result.constituency.name,
        "url": result.constituency.get_absolute_url(),
        "verdict": result.verdict,
        "verdict_in_words": result.verdict_in_words,
        "winner": result.winner.name,
        "party": party.name,
        "party_slug": party.slug,
        "majority": result.majority,
        "turnout": str(result.turnout) if result.turnout is not None else None,
        "declared_at": result.declared_at.isoformat() if result.declared_at else None,
        "candidates": [
            {
                "name": candidacy.name,
                "party": candidacy.party.name,
                "short_name": candidacy.party.short_name,
                "party_slug": candidacy.party.slug,
                "votes": candidacy.votes,
                "share": str(candidacy.share),
            }
            for candidacy in candidacies
        ],
        "title": draft_title(result),
        "summary": draft_summary(result, candidacies),
    }


def attention_note(result):
    """What a published post drafted from a result says to its editor after a correction."""
    when = timezone.localtime(result.corrected_at or timezone.now()).strftime("%H:%M %Z")
    return (
        f"The result was corrected at {when}: now {result.verdict}, majority "
        f"{intcomma(result.majority)}. This post gives the figures first declared."
    )
