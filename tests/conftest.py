import pytest
from django.contrib.auth.models import Group, User
from django.core.cache import cache
from django.core.management import call_command

from liveblog.roles import EDITORS, RESULTS_DESK
from pages.cache import clear_local
from pages.params import forget_the_election

SITE_URL = "https://results.example"


@pytest.fixture(autouse=True)
def test_server_settings(settings):
    """Plain HTTP, as the test client and live server speak, and static files by their
    plain names, as tests run without `collectstatic`. Production's HTTPS settings have
    tests of their own (tests/test_production.py)."""
    settings.SECURE_SSL_REDIRECT = False
    settings.SITE_URL = SITE_URL
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with no rendered pages kept from another test's data."""
    cache.clear()
    clear_local()
    forget_the_election()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Logging in as a staff member in every admin test; slow hashing only costs time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def seeded(db):
    """A database with every seed document imported."""
    call_command("import_seeds", verbosity=0)


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
