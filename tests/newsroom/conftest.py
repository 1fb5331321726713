import pytest
from django.contrib.auth.models import Group, User

from liveblog.roles import EDITORS, RESULTS_DESK

PASSWORD = "correct horse battery staple"


def staff_member(username, group=None, **extra):
    user = User.objects.create_user(username, password=PASSWORD, is_staff=True, **extra)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def editor(db):
    return staff_member("eddie", EDITORS)


@pytest.fixture
def desk(db):
    return staff_member("dana", RESULTS_DESK)


@pytest.fixture
def superuser(db):
    return staff_member("sam", is_superuser=True)


@pytest.fixture
def editor_client(client, editor):
    """A browser in which the editor has logged in through the admin's login form."""
    response = client.post(
        "/admin/login/?next=/admin/", {"username": "eddie", "password": PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == "/admin/"
    return client


@pytest.fixture
def desk_client(client, desk):
    response = client.post("/admin/login/?next=/admin/", {"username": "dana", "password": PASSWORD})
    assert response.status_code == 302
    return client


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
