"""The admin's login refuses guessing: after 5 failures for a username from one address,
or 20 from one address for any usernames, further attempts are refused for 15 minutes,
the right password included. Guesses from elsewhere never lock an editor out."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

ATTACKER = "203.0.113.9"
EDITORS_DESK = "198.51.100.20"
ELSEWHERE = "192.0.2.44"


def log_in(client, username, password, address):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def logged_in(response):
    return response.status_code == 302 and response["Location"] == "/admin/"


def guess(client, username, address, times=5):
    for attempt in range(1, times + 1):
        response = log_in(client, username, f"wrong guess {attempt}", address)
        # The form again ("Please enter the correct..."), until the fifth locks.
        assert response.status_code == (429 if attempt == 5 else 200)


@pytest.fixture
def locked_out(client, editor):
    """Five wrong passwords for the editor from the attacker's address."""
    guess(client, editor.username, ATTACKER)


def test_the_sixth_attempt_is_refused_even_with_the_right_password(client, editor, locked_out):
    response = log_in(client, editor.username, PASSWORD, ATTACKER)
    assert response.status_code == 429
    assert "too many login attempts" in response.content.decode()
    assert client.get("/admin/")["Location"].startswith("/admin/login/")


def test_four_failures_do_not_lock_and_a_success_clears_them(client, editor):
    guess(client, editor.username, ATTACKER, times=4)
    assert logged_in(log_in(client, editor.username, PASSWORD, ATTACKER))
    client.logout()
    guess(client, editor.username, ATTACKER, times=4)
    assert logged_in(log_in(client, editor.username, PASSWORD, ATTACKER))


def test_an_editor_is_not_locked_out_by_guesses_from_another_address(client, editor, locked_out):
    assert logged_in(log_in(client, editor.username, PASSWORD, EDITORS_DESK))


def test_the_address_stays_open_to_other_usernames_until_its_own_limit(client, desk, locked_out):
    assert logged_in(log_in(client, desk.username, PASSWORD, ATTACKER))


def test_another_user_from_another_address_is_not_locked(client, desk, locked_out):
    assert logged_in(log_in(client, desk.username, PASSWORD, ELSEWHERE))


def test_guessing_many_usernames_from_one_address_is_locked(client, editor):
    for number in range(1, 21):
        response = log_in(client, f"nobody{number}", "guess", ATTACKER)
        assert response.status_code == (429 if number == 20 else 200), number
    assert log_in(client, editor.username, PASSWORD, ATTACKER).status_code == 429
    assert logged_in(log_in(client, editor.username, PASSWORD, EDITORS_DESK))


def test_a_success_clears_only_that_usernames_count_not_the_addresss(client, editor, desk):
    for number in range(1, 20):
        log_in(client, f"nobody{number}", "guess", ATTACKER)
    # Someone with an account of their own cannot wipe the address's guesses with it.
    assert logged_in(log_in(client, desk.username, PASSWORD, ATTACKER))
    client.logout()
    assert log_in(client, "nobody20", "guess", ATTACKER).status_code == 429


def test_the_lockout_ends_after_15_minutes(client, editor, locked_out):
    from axes.models import AccessAttempt

    fourteen_minutes_ago = timezone.now() - timedelta(minutes=14)
    AccessAttempt.objects.update(attempt_time=fourteen_minutes_ago)
    assert log_in(client, editor.username, PASSWORD, ATTACKER).status_code == 429
    assert log_in(client, editor.username, "another guess", ATTACKER).status_code == 429
    # Attempts while locked out do not start the 15 minutes again.
    assert set(AccessAttempt.objects.values_list("attempt_time", flat=True)) == {
        fourteen_minutes_ago
    }
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert logged_in(log_in(client, editor.username, PASSWORD, ATTACKER))


def test_a_locked_out_user_or_address_can_be_unlocked_at_once(client, editor, desk):
    guess(client, editor.username, EDITORS_DESK)  # fat fingers
    for number in range(1, 21):  # and someone trying names from another address
        log_in(client, f"nobody{number}", "guess", ATTACKER)
    assert log_in(client, editor.username, PASSWORD, EDITORS_DESK).status_code == 429
    call_command("axes_reset_username", editor.username, stdout=io.StringIO())
    assert logged_in(log_in(client, editor.username, PASSWORD, EDITORS_DESK))
    client.logout()
    assert log_in(client, desk.username, PASSWORD, ATTACKER).status_code == 429
    call_command("axes_reset_ip", ATTACKER, stdout=io.StringIO())
    assert logged_in(log_in(client, desk.username, PASSWORD, ATTACKER))


@pytest.mark.parametrize(
    "remote, forwarded, seen_as",
    [
        ("127.0.0.1", "", "127.0.0.1"),
        ("127.0.0.1", ATTACKER, ATTACKER),
        # A client can write X-Forwarded-For itself: only the entry the proxy added counts.
        ("127.0.0.1", f"{EDITORS_DESK}, {ATTACKER}", ATTACKER),
        # Reaching the app server directly, not through the proxy: the header is the
        # client's own, and ignored.
        (ATTACKER, EDITORS_DESK, ATTACKER),
    ],
)
def test_behind_a_proxy_the_address_is_the_one_the_proxy_saw(
    rf, settings, remote, forwarded, seen_as
):
    from config.client_address import client_address

    settings.TRUSTED_PROXIES = 1
    request = rf.get("/admin/login/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == seen_as
    settings.TRUSTED_PROXIES = 0
    assert client_address(request) == remote


def test_two_proxies_each_must_be_trusted(rf, settings):
    from config.client_address import client_address

    settings.TRUSTED_PROXIES = 2
    settings.TRUSTED_PROXY_ADDRESSES = ["127.0.0.1", "10.0.0.0/8"]
    seen = {"HTTP_X_FORWARDED_FOR": f"{EDITORS_DESK}, {ATTACKER}, 10.1.2.3"}
    assert client_address(rf.get("/", REMOTE_ADDR="127.0.0.1", **seen)) == ATTACKER
    # The TLS proxy's own entry was written by a client that is not a proxy.
    seen = {"HTTP_X_FORWARDED_FOR": f"{EDITORS_DESK}, {ATTACKER}"}
    assert client_address(rf.get("/", REMOTE_ADDR="127.0.0.1", **seen)) == ATTACKER


def test_a_forged_forwarded_address_does_not_lock_out_the_editor(client, settings, editor):
    settings.TRUSTED_PROXIES = 1
    for attempt in range(1, 6):
        client.post(
            "/admin/login/?next=/admin/",
            {"username": editor.username, "password": f"wrong {attempt}"},
            REMOTE_ADDR=ATTACKER,
            HTTP_X_FORWARDED_FOR=EDITORS_DESK,
        )
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": editor.username, "password": PASSWORD},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR=EDITORS_DESK,
    )
    assert logged_in(response)
