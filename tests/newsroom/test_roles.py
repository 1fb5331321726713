"""Who may do what in the admin: anonymous visitors, editors, the results desk."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from liveblog.models import Post
from liveblog.roles import EDITORS, RESULTS_DESK, RESULTS_SUPERVISORS
from results.models import Constituency, Result
from results.services import declaration_state
from tests.newsroom.forms import declaration_form, post_form
from tests.newsroom.test_exit_poll_admin import ANNOUNCED, poll_form
from tests.snapshots import database_rows

pytestmark = pytest.mark.django_db


def seat(slug):
    return Constituency.objects.get(slug=slug)


def new_post():
    return post_form(title="Forbidden post", blocks=[{"text": "Should not appear."}])


def kettering_correction():
    """The confirmation page's form of a correction, as checked a moment ago."""
    kettering = seat("kettering")
    existing = [(c, c.votes + 5) for c in kettering.candidacies.all()]
    data = declaration_form(
        kettering,
        [],
        outcome="GAIN",
        gained_from=kettering.notional_winner,
        existing=existing,
    )
    return {**data, "_confirm": "publish", "_state": declaration_state(constituency=kettering)}


# (method, address, data) and the status each role gets.
def actions():
    kettering = seat("kettering")
    result = Result.objects.get(constituency=kettering)
    post = Post.objects.get(title="Queues to get in")
    return {
        "admin index": ("get", "/admin/", None),
        "post list": ("get", "/admin/liveblog/post/", None),
        "add a post": ("post", "/admin/liveblog/post/add/", new_post()),
        "publish a post": (
            "post",
            "/admin/liveblog/post/",
            {"action": "publish", "_selected_action": [post.pk]},
        ),
        "preview a post": ("get", f"/admin/liveblog/post/{post.pk}/preview/", None),
        "declaration page": ("get", f"/admin/results/declaration/{kettering.pk}/change/", None),
        "correct a result": (
            "post",
            f"/admin/results/declaration/{kettering.pk}/change/",
            kettering_correction(),
        ),
        "change a result directly": (
            "post",
            f"/admin/results/result/{result.pk}/change/",
            {"majority": "1"},
        ),
        "enter the exit poll": ("post", "/admin/results/exitpoll/add/", poll_form(ANNOUNCED)),
        "users": ("get", "/admin/auth/user/", None),
    }


EXPECTED = {
    # action: (anonymous, editor, results desk)
    "admin index": (302, 200, 200),
    "post list": (302, 200, 403),
    "add a post": (302, 302, 403),
    "publish a post": (302, 302, 403),
    "preview a post": (302, 200, 403),
    "declaration page": (302, 403, 200),
    "correct a result": (302, 403, 302),
    "change a result directly": (302, 403, 403),
    "enter the exit poll": (302, 403, 302),
    "users": (302, 403, 403),
}


@pytest.mark.parametrize("action", EXPECTED)
@pytest.mark.parametrize("role", ["anonymous", "editor", "results desk"])
def test_permission_matrix(client, seeded, editor, desk, action, role):
    if role != "anonymous":
        # Logging in itself has tests of its own (tests/newsroom/test_login.py).
        client.force_login({"editor": editor, "results desk": desk}[role])
    method, address, data = actions()[action]
    expected = EXPECTED[action][["anonymous", "editor", "results desk"].index(role)]
    before = database_rows()
    response = getattr(client, method)(address, data) if data else getattr(client, method)(address)
    assert response.status_code == expected, (role, action)
    if expected == 302 and role == "anonymous":
        assert response["Location"].startswith("/admin/login/")
    if expected in (302, 403) and (role == "anonymous" or expected == 403):
        assert database_rows() == before


def test_anonymous_visitors_see_no_admin_page(client, seeded):
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain == [("/admin/login/?next=/admin/", 302)]
    assert b"Log in" in response.content
    assert b"Site administration" not in response.content


def test_setup_roles_is_idempotent(db):
    def permissions():
        return {
            group.name: sorted(group.permissions.values_list("codename", flat=True))
            for group in Group.objects.all()
        }

    call_command("setup_roles", verbosity=0)
    first = permissions()
    call_command("setup_roles", verbosity=0)
    assert permissions() == first
    assert set(first) == {EDITORS, RESULTS_DESK, RESULTS_SUPERVISORS}
    assert "add_post" in first[EDITORS] and "change_declaration" not in first[EDITORS]
    assert "change_declaration" in first[RESULTS_DESK] and "add_post" not in first[RESULTS_DESK]
    # Supervisors are the desk, and may publish one desk member's entry alone.
    assert "publish_single_entry" not in first[RESULTS_DESK]
    assert set(first[RESULTS_SUPERVISORS]) == {
        *first[RESULTS_DESK],
        "view_declarationentry",
        "publish_single_entry",
    }
