"""The results desk types in the exit poll in the admin as it is announced at 22:00; it
is saved through results.services.exit_poll_record, and only the desk may."""

import pytest

from results.models import ExitPoll, Party
from tests.pages import text_of
from tests.purges import RecordingNode
from tests.snapshots import database_rows

pytestmark = pytest.mark.django_db

ADD = "/admin/results/exitpoll/add/"
# As announced on the night: (party slug or None for Others, label as typed, seats).
ANNOUNCED = [
    ("labour", "", 410),
    ("conservative", "", 131),
    ("liberal-democrat", "", 61),
    ("reform-uk", "", 13),
    ("scottish-national-party", "SNP", 10),
    ("plaid-cymru", "", 4),
    ("green-party", "Greens", 2),
    (None, "", 19),
]


def poll_form(lines, *, date="04/07/2024", time="22:00:00", initial=0, ids=()):
    """The admin's form of a poll: the poll's fields and one inline row per line."""
    parties = {party.slug: party.pk for party in Party.objects.all()}
    data = {
        "election": ExitPoll._meta.get_field("election").related_model.objects.get().pk,
        "published_at_0": date,
        "published_at_1": time,
        "source": "Ipsos for BBC, ITV News and Sky News",
        "lines-TOTAL_FORMS": str(len(lines)),
        "lines-INITIAL_FORMS": str(initial),
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "1000",
        "_save": "Save",
    }
    for index, (slug, label, seats) in enumerate(lines):
        data |= {
            f"lines-{index}-party": parties[slug] if slug else "",
            f"lines-{index}-label": label,
            f"lines-{index}-seats": str(seats),
        }
        if index < len(ids):
            data[f"lines-{index}-id"] = str(ids[index])
    return data


def stored():
    poll = ExitPoll.objects.get()
    return [
        (line.position, line.label, line.party.slug if line.party else None, line.seats)
        for line in poll.lines.all()
    ]


def test_the_form_starts_at_ten_on_polling_night(desk_client, seeded):
    html = desk_client.get(ADD).content.decode()
    assert 'name="published_at_0" value="04/07/2024"' in html
    assert 'name="published_at_1" value="22:00:00"' in html
    assert 'value="Ipsos for BBC, ITV News and Sky News"' in html
    assert 'name="lines-TOTAL_FORMS" value="8"' in html


def test_the_desk_enters_the_poll_as_announced(desk_client, seeded):
    response = desk_client.post(ADD, poll_form(ANNOUNCED))
    assert response.status_code == 302, text_of(response)
    assert stored() == [
        (1, "Labour", "labour", 410),
        (2, "Conservative", "conservative", 131),
        (3, "Liberal Democrat", "liberal-democrat", 61),
        (4, "Reform UK", "reform-uk", 13),
        (5, "SNP", "scottish-national-party", 10),
        (6, "Plaid Cymru", "plaid-cymru", 4),
        (7, "Greens", "green-party", 2),
        (8, "Others", None, 19),
    ]
    poll = ExitPoll.objects.get()
    assert f"{poll.published_at:%Y-%m-%d %H:%M %z}" == "2024-07-04 21:00 +0000"  # 22:00 BST
    listing = text_of(desk_client.get("/admin/results/exitpoll/"))
    assert "Labour 410, Conservative 131, Liberal Democrat 61" in listing
    # The home page shows it at once: the seeds declare 7 seats, past the projection's
    # minimum, so as the line to compare with.
    home = text_of(desk_client.get("/"))
    assert "The exit poll at 22:00, for comparison" in home
    assert "Ipsos for BBC, ITV News and Sky News: Labour 410, Conservative 131" in home


def test_a_correction_replaces_the_lines(desk_client, seeded):
    desk_client.post(ADD, poll_form(ANNOUNCED))
    poll = ExitPoll.objects.get()
    ids = list(poll.lines.values_list("pk", flat=True))
    corrected = [*ANNOUNCED[:-1], (None, "Others", 18)]
    data = poll_form(corrected, initial=len(ids), ids=ids)
    data["lines-7-DELETE"] = ""
    response = desk_client.post(f"/admin/results/exitpoll/{poll.pk}/change/", data)
    assert response.status_code == 302, text_of(response)
    assert stored()[-1] == (8, "Others", None, 18)
    assert ExitPoll.objects.count() == 1


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (
            [("labour", "", 410), ("labour", "Lab", 1)],
            "Labour is entered twice: each party on one line.",
        ),
        (
            [("labour", "", 410), (None, "", 241)],
            "The seats add up to 651, more than the House's 650.",
        ),
        (
            [(None, "", 410), (None, "Speaker", 1)],
            "Only one line may be without a party: Others, for the rest.",
        ),
    ],
)
def test_the_form_refuses_what_cannot_be_and_saves_nothing(desk_client, seeded, lines, message):
    before = database_rows()
    response = desk_client.post(ADD, poll_form(lines))
    assert response.status_code == 200
    assert message in text_of(response)
    assert database_rows() == before


def test_an_editor_cannot_enter_the_poll(editor_client, seeded):
    before = database_rows()
    assert editor_client.get(ADD).status_code == 403
    assert editor_client.post(ADD, poll_form(ANNOUNCED)).status_code == 403
    assert database_rows() == before
    assert "Exit poll" not in text_of(editor_client.get("/admin/"))


def test_the_desk_finds_it_on_their_menu(desk_client, seeded):
    assert "Exit polls" in text_of(desk_client.get("/admin/"))


@pytest.fixture
def node(settings):
    """An HTTP cache node in front of the site, recording what it is told to purge."""
    recording = RecordingNode()
    settings.HTTP_CACHES = [recording.url]
    yield recording
    recording.stop()


def test_saving_the_poll_purges_the_home_page_and_the_strip(
    desk_client, seeded, node, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert desk_client.post(ADD, poll_form(ANNOUNCED)).status_code == 302
    # The home page shows `nation`; the strip on every page is `strip`.
    assert node.purged() == {"nation", "strip"}


def test_the_form_refuses_a_poll_dated_later_than_now(desk_client, seeded):
    response = desk_client.post(ADD, poll_form(ANNOUNCED, date="04/07/2099"))
    assert response.status_code == 200
    assert "The exit poll's time is in the future: save it when it is announced." in (
        text_of(response)
    )
    assert not ExitPoll.objects.exists()
