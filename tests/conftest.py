import pytest
from django.core.management import call_command


@pytest.fixture(autouse=True)
def plain_static_files(settings):
    """Serve static files by their plain names: tests run without `collectstatic`."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Logging in as a staff member in every admin test; slow hashing only costs time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def seeded(db):
    """A database with every seed document imported."""
    call_command("import_seeds", verbosity=0)
