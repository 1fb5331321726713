"""The results desk declares and corrects results in the admin."""

from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.admin.models import LogEntry
from django.core.management import call_command
from django.utils import timezone

from results.models import Constituency, Party, PublishedScoreboard, Result, ResultSource
from tests.newsroom.forms import declaration_form, declaration_post
from tests.pages import text_of
from tests.snapshots import database_rows

pytestmark = pytest.mark.django_db


def party(slug):
    return Party.objects.get(slug=slug)


def dales_declaration(**changes):
    dales = Constituency.objects.get(slug="derbyshire-dales")
    values = {
        "candidates": [
            ("John Whitby", party("labour"), 17759),
            ("Sarah Dines", party("conservative"), 17409),
            ("Kelda Boothroyd", party("green-party"), 6501),
        ],
        "outcome": "GAIN",
        "gained_from": party("conservative"),
        "electorate": "74123",
    }
    values.update(changes)
    return dales, declaration_form(dales, values.pop("candidates"), **values)


def declare(client, dales, data):
    """Checked, then confirmed, as the desk does."""
    return declaration_post(client, dales, data)


def test_a_declaration_computes_winner_shares_majority_and_turnout(seeded, desk_client, desk):
    dales, data = dales_declaration()
    response = declare(desk_client, dales, data)
    assert response.status_code == 302, text_of(response)[:3000]

    result = Result.objects.get(constituency=dales)
    assert (result.winner.name, result.majority, result.verdict) == (
        "John Whitby",
        350,
        "LAB GAIN FROM CON",
    )
    assert result.turnout == Decimal("56.22")
    assert result.electorate == 74123
    assert result.source == ResultSource.DESK
    assert result.corrected_at is None
    shares = dict(dales.candidacies.values_list("name", "share"))
    assert shares == {
        "John Whitby": Decimal("42.62"),
        "Sarah Dines": Decimal("41.78"),
        "Kelda Boothroyd": Decimal("15.60"),
    }
    (revision,) = result.revisions.all()
    assert (revision.changed_by, revision.before) == (desk, None)
    assert revision.after["votes"] == {
        "John Whitby": 17759,
        "Sarah Dines": 17409,
        "Kelda Boothroyd": 6501,
    }


def test_declaring_updates_the_constituency_county_and_national_pages(client, seeded, desk_client):
    # Without a published scoreboard, the national one is computed from the results.
    PublishedScoreboard.objects.all().delete()
    home = text_of(client.get("/"))
    assert " Labour 5 +5 " in home and " Conservative 2 \u22125 " in home
    assert "7 of 650 seats declared" in home

    dales, data = dales_declaration()
    assert declare(desk_client, dales, data).status_code == 302

    home = text_of(client.get("/"))
    assert " Labour 6 +6 " in home and " Conservative 2 \u22126 " in home
    assert "8 of 650 seats declared · 642 to go" in home
    county = text_of(client.get("/counties/derbyshire/"))
    assert "1 of 11 seats declared" in county
    assert "Labour 1 +1 Conservative 0 \u22121" in county
    assert "Derbyshire Dales LAB GAIN FROM CON John Whitby, Labour, majority 350" in county
    seat = text_of(client.get("/constituencies/derbyshire-dales/"))
    assert "Derbyshire Dales LAB GAIN FROM CON" in seat
    assert "John Whitby Labour 17,759 42.62%" in seat
    assert "Majority 350 votes (0.84%)" in seat


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        pytest.param(
            {"candidates": [("John Whitby", None, -5)]},
            "Ensure this value is greater than or equal to 0.",
            id="negative-votes",
        ),
        pytest.param(
            {
                "candidates": [
                    ("John Whitby", "labour", 17759),
                    ("john whitby", "labour", 100),
                ]
            },
            "john whitby is entered twice: each candidate once.",
            id="duplicate-candidate",
        ),
        pytest.param(
            {"electorate": "30000"},
            "The votes add up to 41,669, more than the electorate of 30,000.",
            id="total-above-electorate",
        ),
        pytest.param(
            {"gained_from": "labour"},
            "Conservative won Derbyshire Dales in 2019 (notionally), so Labour gained it from "
            "Conservative, not from Labour.",
            id="gain-from-the-winner",
        ),
    ],
)
def test_validation_refuses_bad_declarations(seeded, desk_client, changes, message):
    if "candidates" in changes:
        changes["candidates"] = [
            (name, party(slug or "labour"), votes) for name, slug, votes in changes["candidates"]
        ]
    if "gained_from" in changes:
        changes["gained_from"] = party(changes["gained_from"])
    dales, data = dales_declaration(**changes)
    before = database_rows()
    response = declare(desk_client, dales, data)
    assert response.status_code == 200
    assert message in text_of(response)
    assert database_rows() == before


def test_a_correction_is_audited_and_shown_to_readers(client, seeded, desk_client, desk):
    kettering = Constituency.objects.get(slug="kettering")
    candidacies = list(kettering.candidacies.order_by("-votes"))
    existing = [(c, c.votes + 100 if c.name == "Rosie Wrighting" else c.votes) for c in candidacies]
    data = declaration_form(
        kettering, [], outcome="GAIN", gained_from=party("conservative"), existing=existing
    )
    response = declare(desk_client, kettering, data)
    assert response.status_code == 302, text_of(response)[:3000]

    result = Result.objects.get(constituency=kettering)
    assert result.majority == 3920
    assert result.corrected_at is not None
    revision = result.revisions.first()
    assert revision.changed_by == desk
    assert (revision.before["majority"], revision.after["majority"]) == (3820, 3920)
    assert revision.before["votes"]["Rosie Wrighting"] == 18009
    assert revision.after["votes"]["Rosie Wrighting"] == 18109

    history = text_of(desk_client.get(f"/admin/results/declaration/{kettering.pk}/history/"))
    assert "LAB GAIN from CON, majority 3,820 (Rosie Wrighting 18,009," in history
    assert "→ LAB GAIN from CON, majority 3,920 (Rosie Wrighting 18,109," in history
    entry = LogEntry.objects.get(object_id=str(kettering.pk))
    assert entry.user == desk

    page = text_of(client.get("/constituencies/kettering/"))
    corrected = timezone.localtime(result.corrected_at).strftime("%H:%M %Z")
    # Marked on the verdict, and said when, on the seat page.
    assert f"LAB GAIN FROM CON Corrected Corrected at {corrected} : the figures below" in page
    assert "Majority 3,920 votes" in page


def test_imports_leave_a_desk_result_alone_and_say_so(seeded, desk_client):
    kettering = Constituency.objects.get(slug="kettering")
    existing = [(c, c.votes + 1) for c in kettering.candidacies.all()]
    data = declaration_form(
        kettering, [], outcome="GAIN", gained_from=party("conservative"), existing=existing
    )
    assert declare(desk_client, kettering, data).status_code == 302
    before = database_rows()
    out = StringIO()
    call_command("import_seeds", stdout=out)
    assert database_rows() == before
    assert "  left alone: Kettering: the result was entered by the results desk" in out.getvalue()


def candidacy_change(candidacy, votes):
    return {
        "constituency": candidacy.constituency_id,
        "name": candidacy.name,
        "party": candidacy.party_id,
        "party_label": candidacy.party_label,
        "votes": votes,
        "share_change": "",
    }


@pytest.mark.parametrize("who", ["results desk", "superuser"])
def test_votes_change_only_through_a_declaration(client, seeded, desk, superuser, who):
    """Issue 11: a runner-up's votes typed into the Candidacy admin left the verdict
    standing and wrote no revision. Candidacies and results are read-only there."""
    client.force_login(desk if who == "results desk" else superuser)
    kettering = Constituency.objects.get(slug="kettering")
    runner_up = kettering.candidacies.order_by("-votes")[1]
    result = Result.objects.get(constituency=kettering)
    before = database_rows()

    page = client.get(f"/admin/results/candidacy/{runner_up.pk}/change/")
    assert page.status_code == 200
    assert 'name="votes"' not in page.content.decode()
    for address, data in [
        (f"/admin/results/candidacy/{runner_up.pk}/change/", candidacy_change(runner_up, 99999)),
        ("/admin/results/candidacy/add/", candidacy_change(runner_up, 5)),
        (f"/admin/results/candidacy/{runner_up.pk}/delete/", {"post": "yes"}),
        (f"/admin/results/result/{result.pk}/change/", {"majority": "1"}),
        (f"/admin/results/result/{result.pk}/delete/", {"post": "yes"}),
        (
            "/admin/results/candidacy/",
            {"action": "delete_selected", "_selected_action": [runner_up.pk], "post": "yes"},
        ),
    ]:
        response = client.post(address, data)
        assert response.status_code in (200, 302, 403), address
        assert database_rows() == before, address
    assert (
        client.post(
            f"/admin/results/candidacy/{runner_up.pk}/change/", candidacy_change(runner_up, 99999)
        ).status_code
        == 403
    )

    # The declaration changes the votes, checks them, recomputes and keeps a revision.
    assert runner_up.party == kettering.notional_winner  # so with 99,999 votes, a HOLD
    existing = [(c, 99999 if c == runner_up else c.votes) for c in kettering.candidacies.all()]
    data = declaration_form(kettering, [], outcome="HOLD", existing=existing)
    assert declare(client, kettering, data).status_code == 302
    result.refresh_from_db()
    assert (result.winner, result.verdict, result.majority) == (
        runner_up,
        "CON HOLD",
        99999 - 18009,
    )
    revision = result.revisions.first()
    assert revision.after["votes"][runner_up.name] == 99999
    assert revision.changed_by.username == ("dana" if who == "results desk" else "sam")
