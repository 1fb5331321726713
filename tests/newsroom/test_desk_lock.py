"""Every confirmation of a seat is checked, under the seat's row lock, against the
state its figures were checked in: a second confirmation is refused as stale rather
than published over the first (issue 27, review item 4)."""

import pytest
from django.core.exceptions import ValidationError

from results.models import DeclarationEntry, Result
from results.services import (
    AWAITING,
    PUBLISHED,
    declaration_enter,
    declaration_state,
    entry_publish_alone,
)
from tests.conftest import staff_member
from tests.newsroom.forms import declaration_post
from tests.newsroom.test_desk_review import figures
from tests.newsroom.test_double_entry import entry

pytestmark = pytest.mark.django_db


def test_a_confirmation_checked_against_another_state_is_refused(double_entry, dales, dana):
    member = staff_member("dee", "Results desk")
    checked = declaration_state(constituency=dales)
    declaration_post(dana, dales, entry(dales), button="_save")
    supervisor = staff_member("sue", "Results supervisors")
    kept = DeclarationEntry.objects.get()
    assert entry_publish_alone(entry=kept, user=supervisor, state=checked)[0] is not None
    published = Result.objects.get(constituency=dales)
    stale = figures(dales, electorate=74123)
    for alone, user in ((False, member), (True, supervisor)):
        with pytest.raises(ValidationError) as refused:
            declaration_enter(
                constituency=dales, figures=stale, user=user, alone=alone, state=checked
            )
        assert refused.value.messages == [
            "The result of Derbyshire Dales changed after you checked these figures: "
            "check them again."
        ]
    assert Result.objects.get(constituency=dales).updated_at == published.updated_at
    now = declaration_state(constituency=dales)
    entered = declaration_enter(constituency=dales, figures=stale, user=member, state=now)
    assert entered.state == AWAITING


def test_without_double_entry_a_stale_confirmation_is_refused(dales):
    member = staff_member("dee", "Results desk")
    checked = declaration_state(constituency=dales)
    first = declaration_enter(
        constituency=dales, figures=figures(dales, electorate=74123), user=member, state=checked
    )
    assert first.state == PUBLISHED
    with pytest.raises(ValidationError):
        declaration_enter(
            constituency=dales,
            figures=figures(dales, electorate=80000),
            user=member,
            state=checked,
        )
    assert Result.objects.get(constituency=dales).electorate == 74123
