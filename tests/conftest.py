import contextlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, User
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction

from liveblog.roles import EDITORS, RESULTS_DESK
from results.commands import refresh_statistics
from results.models import Election
from results.signals import announce
from tests.national_data import has_national_data, import_national_arguments, national_data

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
def empty_cache(settings):
    """Each test starts with no figures kept from another test's data (their versions
    are in the cache), and with the versions of the one process the test client is, so
    that what is kept does not expire on the clock (pages.data_cache) in the middle of a
    count of queries."""
    cache.clear()
    settings.DATA_CACHE_SHARED = True


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Logging in as a staff member in every admin test; slow hashing only costs time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


SEEDED_APPS = ("results", "liveblog")


def seeded_models():
    return [
        model
        for app in SEEDED_APPS
        for model in apps.get_app_config(app).get_models(include_auto_created=True)
        if not model._meta.proxy
    ]


def rows_written_by(*commands):
    """Run management commands in a transaction, and roll it back: per model, the rows
    they added to the data every database starts with, and the rows they changed."""
    with transaction.atomic():
        before = {model: {row.pk: row for row in model.objects.all()} for model in seeded_models()}
        for command in commands:
            call_command(*command, verbosity=0)
        rows = []
        for model, existing in before.items():
            after = list(model.objects.order_by("pk"))
            added = [row for row in after if row.pk not in existing]
            changed = [
                row
                for row in after
                if row.pk in existing and model_values(row) != model_values(existing[row.pk])
            ]
            rows.append((model, added, changed))
        transaction.set_rollback(True)
    return rows


@contextlib.contextmanager
def times_kept(models):
    """auto_now and auto_now_add off for a while, so that rows written keep the times
    they have rather than being stamped with now."""
    fields = [
        field for model in models for field in model._meta.concrete_fields if is_stamped(field)
    ]
    flags = [(field, field.auto_now, field.auto_now_add) for field in fields]
    for field in fields:
        field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in flags:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


def is_stamped(field):
    return getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)


def model_values(row):
    return [field.value_from_object(row) for field in row._meta.concrete_fields]


def restore(rows):
    """Write rows from `rows_written_by` as the commands left them (foreign keys are
    checked at commit, so their order does not matter), and say everything changed.

    The rows are written as they are, not copied: with their times kept (see
    `times_kept`), writing them changes nothing of them but their saved state, which
    is as a query left it. Copying 10,000 rows for each test took longer than writing
    them."""
    with times_kept(model for model, _, _ in rows):
        for model, added, changed in rows:
            model.objects.bulk_create(added)
            if changed:
                names = [
                    field.name for field in model._meta.concrete_fields if not field.primary_key
                ]
                model.objects.bulk_update(changed, names)
    # Rows came with their ids: the next id of each table follows them (PostgreSQL).
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), seeded_models()):
            cursor.execute(statement)
    refresh_statistics()
    announce(Election, everything=True)


@pytest.fixture(scope="session")
def seed_rows(django_db_setup, django_db_blocker):
    """What `import_seeds` writes, imported once per session: the import itself has tests
    of its own (tests/liveblog/test_import_seeds.py)."""
    with django_db_blocker.unblock():
        return rows_written_by(("import_seeds",))


@pytest.fixture(scope="session")
def every_seat_rows(django_db_setup, django_db_blocker):
    folder = national_data()
    with django_db_blocker.unblock():
        return rows_written_by(
            ("import_seeds",), ("import_national", *import_national_arguments(folder))
        )


# The fixtures that start a test from imported rows, each with the session fixture
# holding its rows. Every seat's rows include the seeds'.
STARTING_ROWS = {"seeded": "seed_rows", "every_seat": "every_seat_rows"}


class HeldRows:
    """The imported rows a worker's tests start from, written once and held in a
    transaction left open: each test runs in a savepoint inside it (pytest-django's
    transaction per test) and rolls back to it. Tests are ordered by the rows they start
    from (`pytest_collection_modifyitems`), so that a worker writes each set once rather
    than once per test."""

    def __init__(self):
        self.name = self.block = self.connection = None

    def hold(self, name, rows_of):
        """Hold the rows of the fixture `name` (None: no rows), from `rows_of(name)`,
        which runs with nothing held: the rows are those written to an empty database
        (the session fixtures holding them are requested only here and by tests that
        commit, which hold nothing)."""
        if name == self.name:
            return
        self.release()
        if name is not None:
            rows = rows_of(name)
            self.connection = connections[DEFAULT_DB_ALIAS]
            self.block = transaction.atomic()
            self.block.__enter__()
            restore(rows)
            self.name = name

    def release(self):
        """Roll the rows back, on the connection they were written on: the browser
        tests run Playwright's event loop in the test thread, in a context of its own
        with a connection of its own (`connections` is kept per context)."""
        if self.block is not None:
            current = connections[DEFAULT_DB_ALIAS]
            connections[DEFAULT_DB_ALIAS] = self.connection
            try:
                transaction.set_rollback(True)
                self.block.__exit__(None, None, None)
            finally:
                connections[DEFAULT_DB_ALIAS] = current
        self.name = self.block = self.connection = None

    def covers(self, name):
        return self.name in (name, "every_seat")


@pytest.fixture(scope="session")
def held_rows(django_db_setup, django_db_blocker):
    held = HeldRows()
    yield held
    with django_db_blocker.unblock():
        held.release()


def starting_rows(item):
    """The name of the fixture whose rows a test starts from, if any."""
    names = [name for name in STARTING_ROWS if name in item.fixturenames]
    return names[-1] if names else None


def is_transactional(item):
    """As pytest-django decides: a test that commits, whose data cannot be held for it."""
    marker = item.get_closest_marker("django_db")
    return bool(
        (marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")))
        or {"transactional_db", "live_server"} & set(item.fixturenames)
    )


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Within pytest-django's order (transactional tests last), tests that start from
    the same rows run together: empty first, then the seeds, then every seat."""
    order = [None, *STARTING_ROWS]
    items.sort(key=lambda item: (is_transactional(item), order.index(starting_rows(item))))


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(fixturedef, request):
    """Before a test's own transaction opens (pytest-django's `_django_db_helper`), hold
    the rows it starts from; a test that commits starts from none, and writes its own."""
    if fixturedef.argname == "_django_db_helper":
        item = request.node
        name = None if is_transactional(item) else starting_rows(item)
        if name == "every_seat" and not has_national_data():
            # Nothing to hold: the `every_seat` fixture itself skips (or fails, in CI),
            # as a skip raised inside this hook would break pytest's set-up.
            name = None
        with request.getfixturevalue("django_db_blocker").unblock():
            request.getfixturevalue("held_rows").hold(
                name, lambda name: request.getfixturevalue(STARTING_ROWS[name])
            )
    return (yield)


@pytest.fixture
def seeded(request, db, held_rows):
    """A database with every seed document imported."""
    if not held_rows.covers("seeded"):
        restore(request.getfixturevalue("seed_rows"))


@pytest.fixture
def every_seat(request, db, held_rows):
    """The seeds, then every seat in the country from the House of Commons Library files,
    as `make run` imports them (skipped where the files are missing, failed in CI)."""
    if not held_rows.covers("every_seat"):
        restore(request.getfixturevalue("every_seat_rows"))


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
