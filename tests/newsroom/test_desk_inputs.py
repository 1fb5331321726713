"""Nothing typed into the declaration page makes it fail: each figure the page cannot
take is refused beside its box (issue 27, review)."""

import pytest

from results.models import Result
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
