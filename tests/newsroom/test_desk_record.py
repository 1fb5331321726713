"""Issue 27, "Why" 6: the desk's record. The reason typed in Why is kept with every
correction; the audit keeps and shows every figure before and after (votes, electorate,
turnout, time, verdict, majority); a revision keeps its author's name when the account
goes; candidates are listed in ballot-paper order."""

import re

import pytest
from django.contrib.auth.models import User

from results.models import Constituency, Result, ballot_name
from tests.newsroom.forms import declaration_address, declaration_form, declaration_post
from tests.newsroom.test_desk_night import DALES_BALLOT_ORDER, nominations
from tests.pages import text_of

pytestmark = pytest.mark.django_db

REASON = "Recount: a bundle of 100 Wrighting votes was counted with the Conservatives'"


def kettering_correction(**fields):
    kettering = Constituency.objects.get(slug="kettering")
    existing = [(c, c.votes) for c in kettering.candidacies.all()]
    data = declaration_form(kettering, [], outcome="", existing=existing)
    data.update(fields)
    return kettering, data


def test_the_reason_is_kept_with_a_correction_whose_verdict_follows_from_the_votes(
    seeded, desk_client
):
    kettering = Constituency.objects.get(slug="kettering")
    existing = [
        (c, c.votes + (100 if c.name == "Rosie Wrighting" else 0))
        for c in kettering.candidacies.all()
    ]
    data = declaration_form(kettering, [], outcome="", existing=existing)
    response = declaration_post(desk_client, kettering, {**data, "reason": REASON})
    assert response.status_code == 302, text_of(response)[:2000]
    revision = Result.objects.get(constituency=kettering).revisions.first()
    assert revision.note == REASON
    page = text_of(desk_client.get(declaration_address(kettering)))
    assert REASON in page
    # Why stands open beside the count, not folded away with the choice of verdict.
    html = desk_client.get(declaration_address(kettering)).content.decode()
    count = html[html.index("<h2") : html.index("Choosing the verdict")]
    assert 'name="reason"' in count


def test_a_turnout_only_correction_reads_differently_before_and_after(seeded, desk_client):
    kettering, data = kettering_correction(electorate="80000")
    result = Result.objects.get(constituency=kettering)
    assert result.electorate is None and str(result.turnout) == "64.30"
    response = declaration_post(desk_client, kettering, data, follow=True)
    assert response.status_code == 200
    message = text_of(response)
    after = Result.objects.get(constituency=kettering)
    assert str(after.turnout) == "62.79" and after.electorate == 80000
    revision = after.revisions.first()
    assert (revision.before["turnout"], revision.after["turnout"]) == ("64.30", "62.79")
    assert (revision.before["electorate"], revision.after["electorate"]) == (None, 80000)
    assert "turnout 64.30%, electorate not given" in message
    assert "→ LAB GAIN from CON, majority 3,820" in message
    assert "turnout 62.79%, electorate 80,000" in message
    history = text_of(desk_client.get(declaration_address(kettering)))
    assert "turnout 64.30%, electorate not given, declared " in history
    assert "turnout 62.79%, electorate 80,000, declared " in history


def test_a_change_of_time_is_audited(seeded, desk_client):
    kettering, data = kettering_correction(declared_at_0="2024-07-05", declared_at_1="03:12")
    assert declaration_post(desk_client, kettering, data).status_code == 302
    revision = Result.objects.get(constituency=kettering).revisions.first()
    assert revision.after["declared_at"] == "2024-07-05T02:12:00+00:00"
    assert revision.before["declared_at"] != revision.after["declared_at"]
    history = text_of(desk_client.get(declaration_address(kettering)))
    assert "declared 03:12:00" in history


def test_a_revision_keeps_its_authors_name_when_the_account_goes(seeded, desk_client, desk):
    desk.first_name, desk.last_name = "Dana", "Scully"
    desk.save()
    kettering, data = kettering_correction(electorate="80000")
    assert declaration_post(desk_client, kettering, data).status_code == 302
    desk_client.logout()
    User.objects.filter(pk=desk.pk).delete()
    revision = Result.objects.get(constituency=kettering).revisions.first()
    assert (revision.changed_by, revision.changed_by_name) == (None, "Dana Scully")
    superuser = User.objects.create_superuser("boss", password="a long secret phrase")
    desk_client.force_login(superuser)
    history = text_of(desk_client.get(declaration_address(kettering)))
    assert re.search(r"\d\d:\d\d Dana Scully LAB GAIN from CON", history)


def test_candidates_are_listed_in_ballot_paper_order(seeded, desk_client):
    nominations()
    dales = Constituency.objects.get(slug="derbyshire-dales")
    html = desk_client.get(declaration_address(dales)).content.decode()
    names = re.findall(r'name="candidacies-\d+-name" value="([^"]+)"', html)
    assert names == DALES_BALLOT_ORDER


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Rosie Wrighting", "wrighting rosie"),
        ("Rachel Elnaugh-Love", "elnaugh love rachel"),
        ("Zöe O'Neill", "oneill zoe"),
        ("Cher", "cher"),
    ],
)
def test_the_ballot_key_is_surname_then_forenames(name, key):
    assert ballot_name(name) == key
