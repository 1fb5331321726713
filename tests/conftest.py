import pytest
from django.core.cache import cache
from django.core.management import call_command


@pytest.fixture(autouse=True)
def test_server_settings(settings):
    """Plain HTTP, as the test client and live server speak, and static files by their
    plain names, as tests run without `collectstatic`. Production's HTTPS settings have
    tests of their own (tests/test_production.py)."""
    settings.SECURE_SSL_REDIRECT = False
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with no rendered pages kept from another test's data."""
    cache.clear()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Logging in as a staff member in every admin test; slow hashing only costs time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def seeded(db):
    """A database with every seed document imported."""
    call_command("import_seeds", verbosity=0)
