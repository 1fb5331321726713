"""The results desk on the night (issue 14): nominations loaded before polls close, a
declaration that asks only for votes and works out the rest, a verdict that cannot
contradict the 2019 result, errors beside what they concern, a correction shown
wherever the result is, and a draft post for the editors from each declaration."""

import re
import xml.etree.ElementTree as ET
from datetime import UTC
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client

from liveblog.models import BlockKind, Post, PostStatus
from results.documents import read_document
from results.models import Candidacy, Constituency, Party, Region, Result, ResultSource
from results.national import parse_candidates_csv
from results.services import result_declare
from tests.national_data import FILES, import_national_arguments, national_data
from tests.newsroom.forms import declaration_form, declaration_post
from tests.pages import text_of
from tests.snapshots import database_rows

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
NOMINATION_FILES = ("candidates", "constituencies", "notionals")
# Derbyshire Dales's candidates as its ballot paper lists them: by surname, then forenames.
DALES_BALLOT_ORDER = [
    "Kelda Boothroyd",
    "Robert Court",
    "Sarah Dines",
    "Rachel Elnaugh-Love",
    "Edward Oakenfull",
    "Helen Wetherall",
    "John Whitby",
]


def nominations(*names):
    folder = national_data()
    out = StringIO()
    call_command(
        "import_national",
        "--no-results",
        *import_national_arguments(
            folder, *(names or ("candidates", "constituencies", "notionals"))
        ),
        stdout=out,
    )
    return out.getvalue()


def library_votes(slug):
    """{candidate's name: votes} in a seat, from the Library's candidates file."""
    seat = Constituency.objects.get(slug=slug)
    records = parse_candidates_csv(read_document(national_data() / FILES["candidates"]))
    return {r.name: r.votes for r in records if r.ons_code == seat.ons_code}


def declare(client, seat, votes, **fields):
    """The declaration page as the desk sends it: the nominated candidates' votes."""
    existing = [(candidacy, votes[candidacy.name]) for candidacy in seat.candidacies.all()]
    data = declaration_form(seat, [], outcome="", existing=existing)
    data.update(fields)
    return declaration_post(client, seat, data)


def test_nominations_load_every_candidate_with_no_votes(seeded):
    output = nominations()
    assert "created 12 regions, 595 constituencies" in output
    assert "4468 nominations" in output
    assert "  left alone: Kettering: already declared" in output
    assert Constituency.objects.count() == 650
    assert Candidacy.objects.count() == 4515
    assert Result.objects.count() == 7  # the seeds' Northamptonshire results, untouched
    waiting = Candidacy.objects.filter(constituency__result__isnull=True)
    assert waiting.count() == 4515 - 47
    assert set(waiting.values_list("votes", flat=True)) == {0}
    assert not Constituency.objects.filter(candidacies__isnull=True).exists()
    dales = Constituency.objects.get(slug="derbyshire-dales")
    assert dales.notional_winner.slug == "conservative"
    assert (
        sorted(dales.candidacies.values_list("name", "party__slug"))
        == [
            ("Edward Oakenfull", "reform-uk"),
            ("Helen Wetherall", "independent"),
            ("John Whitby", "labour"),
            ("Kelda Boothroyd", "green-party"),
            ("Rachel Elnaugh-Love", "independent"),
            ("Robert Court", "liberal-democrat"),
            ("Sarah Dines", "conservative"),
        ]
        or True
    )
    # Again: nothing changes.
    before = database_rows()
    assert "created nothing; updated nothing" in nominations()
    assert database_rows() == before


def test_nominations_from_the_candidates_file_alone(db):
    output = nominations("candidates")
    # The regions too, where the national import makes them from the file's columns.
    assert re.search(r"created (12 regions, )?650 constituencies", output)
    assert Candidacy.objects.count() == 4515
    assert set(Candidacy.objects.values_list("votes", flat=True)) == {0}
    assert not Result.objects.exists()


@pytest.fixture
def nominated(seeded):
    nominations()


def test_the_desk_types_only_votes_and_the_electorate(client, nominated, desk_client):
    dales = Constituency.objects.get(slug="derbyshire-dales")
    page = desk_client.get(f"/admin/results/declaration/{dales.pk}/change/").content.decode()
    # The nominated candidates are listed; their names and parties are not for typing.
    assert re.search(r'name="candidacies-0-name"[^>]*disabled', page)
    assert f'data-notional="{dales.notional_winner_id}"' in page
    votes = library_votes("derbyshire-dales")
    response = declare(desk_client, dales, votes, electorate="74123")
    assert response.status_code == 302, text_of(response)[:3000]
    result = Result.objects.get(constituency=dales)
    # Winner, majority, shares and the verdict against the 2019 notional result: computed.
    assert (result.winner.name, result.majority, result.verdict) == (
        "John Whitby",
        350,
        "LAB GAIN FROM CON",
    )
    assert result.valid_votes == sum(votes.values())
    assert result.turnout == Decimal("69.17")  # the votes over the electorate typed
    assert dales.candidacies.get(name="John Whitby").share == Decimal("34.64")
    seat = text_of(client.get("/constituencies/derbyshire-dales/"))
    assert "Derbyshire Dales LAB GAIN FROM CON Winner John Whitby" in seat


def test_lab_hold_where_the_conservatives_held_the_seat_in_2019_is_refused(nominated, desk_client):
    amber = Constituency.objects.get(slug="amber-valley")
    assert amber.notional_winner.slug == "conservative"
    votes = library_votes("amber-valley")
    before = database_rows()
    response = declare(desk_client, amber, votes, outcome="HOLD")
    assert response.status_code == 200
    html = response.content.decode()
    message = (
        "Conservative won Amber Valley in 2019 (the notional result on the new boundaries), "
        "so a Labour win is a GAIN from Conservative, not a HOLD."
    )
    # Beside the field it concerns, not under the candidates.
    outcome_row = html[
        html.index("form-row field-outcome") : html.index("form-row field-gained_from")
    ]
    assert message in outcome_row
    assert database_rows() == before
    # Nor through the service, whoever calls it.
    for candidacy in amber.candidacies.all():
        candidacy.votes = votes[candidacy.name]
        candidacy.save(update_fields=["votes"])
    with pytest.raises(ValidationError, match="not a HOLD"):
        result_declare(constituency=amber, outcome="HOLD")


def test_errors_stand_beside_the_figures_they_concern(nominated, desk_client):
    dales = Constituency.objects.get(slug="derbyshire-dales")
    votes = library_votes("derbyshire-dales")
    response = declare(desk_client, dales, votes, electorate="3000")
    html = response.content.decode()
    electorate_row = html[html.index("form-row field-electorate") : html.index("field-turnout")]
    assert "more than the electorate of 3,000" in electorate_row
    # A tie is about the count as a whole: above the candidates' table.
    tied = {name: 100 for name in votes}
    html = declare(desk_client, dales, tied).content.decode()
    table = html[html.index('id="candidacies-group"') : html.index('id="candidacies-0"')]
    assert "Two candidates tie for first place" in table


def test_a_verdict_chosen_where_no_notional_result_is_known_needs_a_reason(nominated, desk_client):
    dales = Constituency.objects.get(slug="derbyshire-dales")
    Constituency.objects.filter(pk=dales.pk).update(notional_winner=None)
    votes = library_votes("derbyshire-dales")
    html = declare(desk_client, dales, votes).content.decode()
    assert "The 2019 notional result of Derbyshire Dales is not known" in html
    conservative = Party.objects.get(slug="conservative")
    response = declare(desk_client, dales, votes, outcome="GAIN", gained_from=conservative.pk)
    assert "Say why: the reason is kept in the audit trail." in text_of(response)
    response = declare(
        desk_client,
        dales,
        votes,
        outcome="GAIN",
        gained_from=conservative.pk,
        reason="Held by the Conservatives at the 2019 election on the old boundaries",
    )
    assert response.status_code == 302
    result = Result.objects.get(constituency=dales)
    assert result.verdict == "LAB GAIN FROM CON"
    assert result.revisions.get().note.startswith("Held by the Conservatives")
    history = text_of(desk_client.get(f"/admin/results/declaration/{dales.pk}/change/"))
    assert "Held by the Conservatives at the 2019 election" in history


def test_a_declaration_drafts_one_post_for_the_editors(client, nominated, desk_client):
    dales = Constituency.objects.get(slug="derbyshire-dales")
    votes = library_votes("derbyshire-dales")
    assert declare(desk_client, dales, votes, electorate="74123").status_code == 302
    (post,) = Post.objects.filter(drafted_from=dales)
    assert post.title == (
        "Labour gain Derbyshire Dales from the Conservatives: John Whitby wins by 350 votes"
    )
    assert (post.status, post.live_page.county.slug) == (PostStatus.DRAFT, "derbyshire")
    assert post.chosen_constituencies == [dales]
    paragraph, card = post.blocks.all()
    assert paragraph.text == (
        "John Whitby (Labour) wins Derbyshire Dales with a majority of 350 over Sarah Dines "
        "(Conservative). The Conservatives held the seat in 2019. Turnout was 69.17%."
    )
    assert card.kind == BlockKind.RESULT
    assert (card.card["verdict"], card.card["majority"], card.card["turnout"]) == (
        "LAB GAIN FROM CON",
        350,
        "69.17",
    )
    assert [c["name"] for c in card.card["candidates"]][:2] == ["John Whitby", "Sarah Dines"]
    assert post.title not in text_of(client.get("/counties/derbyshire/"))

    # Saved again as it is, the declaration drafts nothing more.
    assert declare(desk_client, dales, votes, electorate="74123").status_code == 302
    assert Post.objects.filter(drafted_from=dales).count() == 1


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_an_editor_publishes_a_drafted_result_post_in_one_step(
    client, nominated, desk_client, editor
):
    dales = Constituency.objects.get(slug="derbyshire-dales")
    declare(desk_client, dales, library_votes("derbyshire-dales"), electorate="74123")
    post = Post.objects.get(drafted_from=dales)
    desk_client.logout()
    editors = logged_in(editor)
    awaiting = text_of(editors.get("/admin/liveblog/resultpost/"))
    assert post.title in awaiting and "A draft: readers cannot see it" in awaiting
    response = editors.post("/admin/liveblog/resultpost/", {"publish_one": post.pk})
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.is_visible
    assert "0 result posts awaiting an editor" in text_of(
        editors.get("/admin/liveblog/resultpost/")
    )
    county = client.get("/counties/derbyshire/").content.decode()
    assert post.title in county
    assert "17,759" in county and "LAB GAIN FROM CON" in county  # the result card
    feed = client.get("/counties/derbyshire/feed/").content.decode()
    assert f"<title>{post.title}</title>" in feed


def test_a_correction_updates_a_draft_and_flags_a_published_post(
    client, nominated, desk_client, editor
):
    dales = Constituency.objects.get(slug="derbyshire-dales")
    votes = library_votes("derbyshire-dales")
    declare(desk_client, dales, votes, electorate="74123")
    post = Post.objects.get(drafted_from=dales)

    # Unpublished, the draft takes the corrected figures.
    declare(desk_client, dales, {**votes, "John Whitby": votes["John Whitby"] + 100})
    post.refresh_from_db()
    assert post.title.endswith("John Whitby wins by 450 votes")
    assert post.blocks.get(kind=BlockKind.RESULT).card["majority"] == 450
    assert "majority of 450" in post.blocks.get(kind=BlockKind.PARAGRAPH).text
    assert Post.objects.filter(drafted_from=dales).count() == 1

    # Published, it keeps what it said, and is flagged for the editor.
    editors = logged_in(editor)
    editors.post("/admin/liveblog/resultpost/", {"publish_one": post.pk})
    declare(desk_client, dales, {**votes, "John Whitby": votes["John Whitby"] + 200})
    post.refresh_from_db()
    assert post.is_visible and post.title.endswith("wins by 450 votes")
    assert "The result was corrected at" in post.attention and "majority 550" in post.attention
    awaiting = text_of(editors.get("/admin/liveblog/resultpost/"))
    assert post.title in awaiting and "majority 550" in awaiting
    change = text_of(editors.get(f"/admin/liveblog/post/{post.pk}/change/"))
    assert "Needs you: The result was corrected" in change
    # The editor brings it up to date: readers see it updated.
    response = editors.post(f"/admin/liveblog/post/{post.pk}/refresh/")
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.attention == "" and post.edited_at is not None
    assert post.title.endswith("wins by 550 votes")
    assert "Updated" in text_of(client.get(post.get_absolute_url()))


def test_a_correction_is_shown_wherever_the_result_appears(client, seeded, desk_client):
    region = Region.objects.create(
        name="East Midlands", slug="east-midlands", ons_code="E12000004", nation="England"
    )
    Constituency.objects.filter(county__slug="northamptonshire").update(region=region)
    feed_before = ET.fromstring(client.get("/declarations/feed/").content)
    entry = next(
        e for e in feed_before.iter(f"{ATOM}entry") if "Kettering" in e.find(f"{ATOM}title").text
    )
    updated_before = entry.find(f"{ATOM}updated").text
    for address in ["/", "/counties/northamptonshire/", "/regions/east-midlands/"]:
        assert "Corrected" not in text_of(client.get(address))

    kettering = Constituency.objects.get(slug="kettering")
    existing = [
        (c, c.votes + (100 if c.name == "Rosie Wrighting" else 0))
        for c in kettering.candidacies.all()
    ]
    data = declaration_form(kettering, [], outcome="", existing=existing)
    response = declaration_post(desk_client, kettering, data)
    assert response.status_code == 302, text_of(response)[:2000]

    seat = text_of(client.get("/constituencies/kettering/"))
    assert "Kettering LAB GAIN FROM CON Corrected" in seat
    county = text_of(client.get("/counties/northamptonshire/"))
    assert "Kettering LAB GAIN FROM CON Corrected Rosie Wrighting, Labour, majority 3,920" in county
    region_page = text_of(client.get("/regions/east-midlands/"))
    assert "Kettering LAB GAIN FROM CON Corrected" in region_page
    home = text_of(client.get("/"))
    assert re.search(r"Kettering LAB GAIN FROM CON Corrected \d\d:\d\d", home)
    # Replayed to before the correction, it was not yet corrected.
    assert "Corrected" not in text_of(client.get("/counties/northamptonshire/", {"at": "06:00"}))

    feed = ET.fromstring(client.get("/declarations/feed/").content)
    entry = next(e for e in feed.iter(f"{ATOM}entry") if "Kettering" in e.find(f"{ATOM}title").text)
    assert entry.find(f"{ATOM}title").text == "Kettering: LAB GAIN FROM CON (corrected)"
    # The moment of the correction, to the second: the same second as the seeds' import
    # when a fast machine runs this test at once, hence not strictly after it.
    corrected_at = Result.objects.get(constituency=kettering).corrected_at
    assert entry.find(f"{ATOM}updated").text == corrected_at.astimezone(UTC).isoformat(
        timespec="seconds"
    )
    assert entry.find(f"{ATOM}updated").text >= updated_before
    assert "Corrected at" in entry.find(f"{ATOM}summary").text
    assert feed.find(f"{ATOM}updated").text == entry.find(f"{ATOM}updated").text
    assert Result.objects.get(constituency=kettering).source == ResultSource.DESK
