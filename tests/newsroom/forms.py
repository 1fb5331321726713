"""The admin forms' POST data, as a browser sends it."""

from django.utils import timezone

from liveblog.models import LivePage


def post_form(
    *,
    live_page=None,
    title="A new post",
    status="published",
    when=None,
    blocks=(),
    about=(),
    **fields,
):
    """The add/change form of a post: `blocks` are dicts of Block fields."""
    live_page = live_page or LivePage.objects.get(county__slug="derbyshire")
    when = timezone.localtime(when or timezone.now())
    data = {
        "live_page": live_page.pk,
        "title": title,
        "status": status,
        "published_at_0": when.strftime("%d/%m/%Y"),
        "published_at_1": when.strftime("%H:%M:%S"),
        "byline_name": "",
        "byline_role": "",
        "about": [constituency.pk for constituency in about],
        "blocks-TOTAL_FORMS": str(len(blocks)),
        "blocks-INITIAL_FORMS": "0",
        "blocks-MIN_NUM_FORMS": "0",
        "blocks-MAX_NUM_FORMS": "1000",
    }
    for index, block in enumerate(blocks):
        for name, value in {"position": index, "kind": "paragraph", **block}.items():
            data[f"blocks-{index}-{name}"] = value
    data.update(fields)
    return data


def existing_blocks(post):
    """The inline data that keeps a post's blocks as they are."""
    blocks = list(post.blocks.all())
    data = {
        "blocks-TOTAL_FORMS": str(len(blocks)),
        "blocks-INITIAL_FORMS": str(len(blocks)),
        "blocks-MIN_NUM_FORMS": "0",
        "blocks-MAX_NUM_FORMS": "1000",
    }
    for index, block in enumerate(blocks):
        prefix = f"blocks-{index}-"
        data |= {
            f"{prefix}id": block.pk,
            f"{prefix}post": post.pk,
            f"{prefix}position": block.position,
            f"{prefix}kind": block.kind,
            f"{prefix}text": block.text,
            f"{prefix}alt": block.alt,
            f"{prefix}caption": block.caption,
            f"{prefix}credit": block.credit,
        }
    return data


def declaration_form(
    constituency, candidates, *, outcome, gained_from=None, electorate="", turnout="", existing=()
):
    """The declaration page: `candidates` are (name, party, votes) for new candidacies,
    `existing` (candidacy, votes) for those already there."""
    data = {
        "outcome": outcome,
        "gained_from": gained_from.pk if gained_from else "",
        "electorate": electorate,
        "turnout": turnout,
        "declared_at_0": "",
        "declared_at_1": "",
        "candidacies-TOTAL_FORMS": str(len(existing) + len(candidates)),
        "candidacies-INITIAL_FORMS": str(len(existing)),
        "candidacies-MIN_NUM_FORMS": "1",
        "candidacies-MAX_NUM_FORMS": "1000",
    }
    rows = [
        {
            "id": candidacy.pk,
            "constituency": constituency.pk,
            "name": candidacy.name,
            "party": candidacy.party_id,
            "votes": votes,
        }
        for candidacy, votes in existing
    ] + [
        {"constituency": constituency.pk, "name": name, "party": party.pk, "votes": votes}
        for name, party, votes in candidates
    ]
    for index, row in enumerate(rows):
        for name, value in row.items():
            data[f"candidacies-{index}-{name}"] = value
    return data
