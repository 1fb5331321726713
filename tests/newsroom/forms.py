"""The admin forms' POST data, as a browser sends it."""

from html.parser import HTMLParser

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
    version=None,
    **fields,
):
    """The add/change form of a post, sent with a button: Publish for `status`
    "published", Save draft for "draft". `when` is the Publish at time (empty by
    default: publish now); `blocks` are dicts of Block fields, in order; `version` the
    version of the post the form was opened at (the post's own, if not given)."""
    live_page = live_page or LivePage.objects.get(county__slug="derbyshire")
    data = {
        "live_page": live_page.pk,
        "title": title,
        "publish_at_0": "",
        "publish_at_1": "",
        "byline_name": "",
        "byline_role": "",
        "about": [constituency.pk for constituency in about],
        "blocks-TOTAL_FORMS": str(len(blocks)),
        "blocks-INITIAL_FORMS": "0",
        "blocks-MIN_NUM_FORMS": "0",
        "blocks-MAX_NUM_FORMS": "1000",
    }
    if when is not None and when > timezone.now():
        when = timezone.localtime(when)
        data["publish_at_0"] = when.strftime("%d/%m/%Y")
        data["publish_at_1"] = when.strftime("%H:%M:%S")
    if version is not None:
        data["opened_version"] = version
    if status == "published":
        data["_publish"] = "Publish"
    for index, block in enumerate(blocks):
        for name, value in {"position": index, "kind": "paragraph", **block}.items():
            data[f"blocks-{index}-{name}"] = value
    data.update(fields)
    return data


def existing_blocks(post, about=True):
    """The inline data that keeps a post's blocks as they are, and (as the form shows
    them) the seats it links to, unless `about` is false."""
    blocks = list(post.blocks.all())
    data = {
        "opened_version": post.version,
        "blocks-TOTAL_FORMS": str(len(blocks)),
        "blocks-INITIAL_FORMS": str(len(blocks)),
        "blocks-MIN_NUM_FORMS": "0",
        "blocks-MAX_NUM_FORMS": "1000",
    }
    if about:
        data["about"] = post.linked_constituencies
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
    `existing` (candidacy, votes) for those already there; votes of None are a box left
    empty."""
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
            "votes": "" if votes is None else votes,
        }
        for candidacy, votes in existing
    ] + [
        {
            "constituency": constituency.pk,
            "name": name,
            "party": party.pk,
            "votes": "" if votes is None else votes,
        }
        for name, party, votes in candidates
    ]
    for index, row in enumerate(rows):
        for name, value in row.items():
            data[f"candidacies-{index}-{name}"] = value
    return data


def declaration_address(seat):
    return f"/admin/results/declaration/{seat.pk}/change/"


def declaration_post(client, seat, data, *, button="_save", **extra):
    """The declaration page sent as the desk sends it: checked (the page's `button`,
    or Enter in any box), then confirmed from the confirmation page. Returns the last
    response: the confirmation's (a redirect once kept), or the check's when the
    figures were refused (the page again, with the problems beside them). `extra` goes
    to the confirmation's post (`follow=True`, say)."""
    checked = client.post(declaration_address(seat), {**data, button: "Check"})
    confirmation = confirmation_data(checked)
    if confirmation is None:
        return checked
    return client.post(declaration_address(seat), confirmation, **extra)


def confirmation_data(response):
    """What the confirmation page's form sends when its `_confirm` button is pressed,
    or None if the response is not a confirmation page."""
    if response.status_code != 200:
        return None
    reader = _FormReader()
    reader.feed(response.content.decode())
    for fields, buttons in reader.forms:
        confirm = [value for name, value in buttons if name == "_confirm"]
        if confirm:
            data = {}
            for name, value in fields:
                data.setdefault(name, []).append(value)
            data["_confirm"] = confirm[0]
            return data
    return None


class _FormReader(HTMLParser):
    """Each POST form's inputs as (name, value), its buttons apart."""

    def __init__(self):
        super().__init__()
        self.forms = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self.forms.append(([], []))
        elif tag in ("input", "button") and self.forms and attrs.get("name"):
            fields, buttons = self.forms[-1]
            kind = (attrs.get("type") or ("submit" if tag == "button" else "text")).lower()
            if kind == "submit":
                buttons.append((attrs["name"], attrs.get("value") or ""))
            elif kind not in ("checkbox", "radio") or "checked" in attrs:
                fields.append((attrs["name"], attrs.get("value") or ""))
