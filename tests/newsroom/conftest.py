"""The results desk's people and seat, for the double-entry tests: two desk members
(dana, dan), a supervisor (sue), and Derbyshire Dales with its nominations."""

import pytest
from django.test import Client

from liveblog.roles import RESULTS_DESK, RESULTS_SUPERVISORS
from results.models import Constituency
from tests.conftest import staff_member
from tests.newsroom.test_desk_night import nominations


@pytest.fixture
def double_entry(settings):
    settings.RESULTS_DOUBLE_ENTRY = True


@pytest.fixture
def dales(seeded):
    nominations()
    return Constituency.objects.get(slug="derbyshire-dales")


def signed_in(username, group):
    client = Client()
    client.force_login(staff_member(username, group))
    return client


@pytest.fixture
def dana(db):
    return signed_in("dana", RESULTS_DESK)


@pytest.fixture
def dan(db):
    return signed_in("dan", RESULTS_DESK)


@pytest.fixture
def sue(db):
    return signed_in("sue", RESULTS_SUPERVISORS)
