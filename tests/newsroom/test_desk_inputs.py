"""Nothing typed into the declaration page makes it fail: each figure the page cannot
take is refused beside its box (issue 27, review)."""

from datetime import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from results.models import Result
from results.services import count_declare
from results.times import UK
from tests.newsroom.forms import declaration_address
from tests.newsroom.test_double_entry import entry
from tests.pages import text_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "typed", ["abc", "²", "1e3", "12.5", "99999999999999999999", "3000000000", "-5"]
)
def test_no_vote_typed_makes_the_page_fail(dales, dana, typed):
    data = entry(dales, **{"Sarah Dines": typed})
    response = dana.post(declaration_address(dales), {**data, "_save": "Check"})
    assert response.status_code == 200
    assert "Sarah Dines" in text_of(response)
    assert "Check this result before it goes to readers" not in text_of(response)
    assert not Result.objects.filter(constituency=dales).exists()


@pytest.mark.parametrize(
    ("field", "typed"),
    [
        ("electorate", "²"),
        ("electorate", "99999999999999999999"),
        ("electorate", "3000000000"),
        ("turnout", "²"),
        ("turnout", "1e400"),
        ("turnout", "NaN"),
        ("turnout", "9" * 40),
        ("declared_at_0", "99/99/99999"),
    ],
)
def test_no_figure_typed_makes_the_page_fail(dales, dana, field, typed):
    data = {**entry(dales), field: typed}
    if field == "turnout":
        data["electorate"] = ""
    response = dana.post(declaration_address(dales), {**data, "_save": "Check"})
    assert response.status_code == 200
    assert "Check this result before it goes to readers" not in text_of(response)
    assert not Result.objects.filter(constituency=dales).exists()


def test_huge_votes_that_each_fit_are_refused_together(dales, dana):
    huge = {c.name: 2_000_000_000 for c in dales.candidacies.all()}
    huge["John Whitby"] = 2_000_000_001
    data = {**entry(dales, **huge), "electorate": ""}
    response = dana.post(declaration_address(dales), {**data, "_save": "Check"})
    assert response.status_code == 200
    assert (
        "The votes add up to 14,000,000,001, more than any seat could cast: check each "
        "candidate's votes." in text_of(response)
    )
    assert not Result.objects.filter(constituency=dales).exists()


# A desk time typed a century out: refused, as any time outside the night is, since
# the home page's chart of the night walks its hours.
LATE = (
    "Declared at 00:00, 5 Jul 2099 is not in the night of the election: give a time from "
    "22:00, 4 Jul 2024, when polls closed, to 22:00, 11 Jul 2024."
)


@pytest.mark.parametrize(
    ("day", "time", "message"),
    [
        ("05/07/2099", "00:00", LATE),
        ("31/12/9999", "23:59", LATE.replace("00:00, 5 Jul 2099", "23:59, 31 Dec 9999")),
    ],
)
def test_a_declaration_time_outside_the_night_is_refused_beside_it(dales, dana, day, time, message):
    data = {**entry(dales), "declared_at_0": day, "declared_at_1": time}
    response = dana.post(declaration_address(dales), {**data, "_save": "Check"})
    assert response.status_code == 200
    assert message in text_of(response)
    assert "Check this result before it goes to readers" not in text_of(response)
    assert not Result.objects.filter(constituency=dales).exists()


@pytest.mark.parametrize(
    ("declared_at", "message"),
    [
        (datetime(2099, 7, 5, tzinfo=UK), LATE),
        (
            datetime(2024, 7, 4, 21, 59, tzinfo=UK),
            "Declared at 21:59, 4 Jul 2024 is not in the night of the election: give a "
            "time from 22:00, 4 Jul 2024, when polls closed, to 22:00, 11 Jul 2024.",
        ),
    ],
)
def test_the_service_refuses_a_time_outside_the_night(dales, declared_at, message):
    votes = {c.pk: 100 + n for n, c in enumerate(dales.candidacies.all())}
    with pytest.raises(ValidationError) as raised:
        count_declare(constituency=dales, votes=votes, declared_at=declared_at)
    assert raised.value.messages == [message]
    assert not Result.objects.filter(constituency=dales).exists()


def test_the_night_takes_the_last_seat_and_a_week(dales):
    """Inverness, Skye and West Ross-shire declared two days in; the night lasts a week."""
    votes = {c.pk: 100 + n for n, c in enumerate(dales.candidacies.all())}
    last = datetime(2024, 7, 11, 21, 59, tzinfo=UK)
    result, _ = count_declare(constituency=dales, votes=votes, declared_at=last)
    assert result.declared_at == last


def test_a_result_declared_with_no_time_on_another_day_can_be_corrected(dales):
    """A rehearsal's seat declared with no time takes the moment it was entered, outside
    the night; correcting it keeps that time, which is not the desk's typo to refuse."""
    votes = {c.pk: 100 + n for n, c in enumerate(dales.candidacies.all())}
    result, _ = count_declare(constituency=dales, votes=votes)
    votes = {pk: count + 10 for pk, count in votes.items()}
    corrected, _ = count_declare(constituency=dales, votes=votes, declared_at=result.declared_at)
    assert corrected.declared_at == result.declared_at
    assert corrected.valid_votes == result.valid_votes + 10 * len(votes)


@pytest.mark.parametrize(
    ("figures", "message"),
    [
        (
            {"electorate": 3_000_000_000},
            "An electorate of 3,000,000,000 cannot be: give one from 1 to 2,147,483,647.",
        ),
        ({"electorate": 0}, "An electorate of 0 cannot be: give one from 1 to 2,147,483,647."),
        ({"turnout": Decimal("100.01")}, "A turnout of 100.01% cannot be: give one from 0 to 100."),
        ({"turnout": Decimal("-1")}, "A turnout of -1% cannot be: give one from 0 to 100."),
    ],
)
def test_the_service_refuses_an_electorate_or_turnout_no_seat_could_have(dales, figures, message):
    """The desk's form bounds them too; a script calling the service gets the same."""
    votes = {c.pk: 100 + n for n, c in enumerate(dales.candidacies.all())}
    with pytest.raises(ValidationError) as raised:
        count_declare(constituency=dales, votes=votes, **figures)
    assert raised.value.messages == [message]
    assert not Result.objects.filter(constituency=dales).exists()


def test_a_time_outside_the_night_is_said_with_the_count_s_problems(dales):
    votes = {c.pk: 100 for c in dales.candidacies.all()}
    with pytest.raises(ValidationError) as raised:
        count_declare(constituency=dales, votes=votes, declared_at=datetime(2099, 7, 5, tzinfo=UK))
    assert raised.value.messages == [
        LATE,
        "Two candidates tie for first place: enter the result after the lot.",
    ]
