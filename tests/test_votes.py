"""Votes beside seats: shares, turnout, and every party with a seat in the full table."""

import pytest

from results.models import Party, Result
from tests.pages import text_of

pytestmark = pytest.mark.django_db


def full_table(client, **params):
    text = text_of(client.get("/", params))
    return text.split("every party with a seat or at least 1% of the vote")[1].split("Seats in")[0]


def test_national_shares_and_turnout(client, every_seat):
    text = text_of(client.get("/"))
    assert "28,809,340 valid votes · turnout 59.7% (−7.6 pts since 2019)" in text
    table = full_table(client)
    for row in [
        "Labour 411 +211 9,708,716 33.7% +1.6",
        "Conservative 121 −251 6,828,925 23.7% −19.9",
        "Liberal Democrat 72 +64 3,519,143 12.2% +0.7",
        # Against the Brexit Party's 2019 vote: Reform UK is the same party renamed.
        "Reform UK 5 +5 4,117,610 14.3% +12.3",
        # 6.7496% of the vote: rounded from the votes, not from 6.75%.
        "Green Party 4 +3 1,944,501 6.7% +4.0",
        # Independents had no figure of their own in 2019: they were among the others.
        "Independent 6 +6 564,042 2.0% –",
    ]:
        assert f" {row} " in table, row


def test_every_party_with_a_seat_is_in_the_full_table(client, every_seat):
    table = full_table(client)
    winners = Party.objects.filter(pk__in=Result.objects.values("winner__party")).values_list(
        "name", flat=True
    )
    assert len(winners) == 15
    for name in winners:
        assert f" {name} " in table, name
    assert " Others 0 – " in table


def test_the_speaker_convention_is_stated(client, every_seat):
    text = text_of(client.get("/"))
    assert "Labour majority of 174: 412 seats" in text
    assert "Labour's 412 seats include the Speaker's, counted with Labour" in text
    assert "the headline and the bar above count the Speaker's seat (Chorley) with Labour" in text


def test_shares_follow_the_replay(client, every_seat):
    table = full_table(client, at="02:00")
    assert table.startswith(" Party Seats +/− Votes Share +/− pts Labour 11 +2 218,209 42.8% +1.0 ")
