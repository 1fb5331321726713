"""Recording the exit poll: the service's checks and its announcement, and the command
that loads the broadcasters' file (shared/data/ge2024/exit-poll-2024.csv)."""

import csv
from datetime import datetime
from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from pages.invalidation import tags_touched
from results.exit_poll import LEADS_UNTIL_DECLARED, ExitPollFigures
from results.models import Election, ExitPoll, Party
from results.services import ExitPollLineEntered, exit_poll_record
from results.signals import content_changed
from results.times import UK
from tests.national_data import national_data

pytestmark = pytest.mark.django_db

TEN_PM = datetime(2024, 7, 4, 22, 0, tzinfo=UK)


def exit_poll_file():
    return national_data() / "exit-poll-2024.csv"


def file_lines():
    """(label, seats) of the file, read with the csv module: the oracle."""
    with exit_poll_file().open(encoding="utf-8") as file:
        return [(row["party"], int(row["seats"])) for row in csv.DictReader(file)]


def stored_lines():
    poll = ExitPoll.objects.get()
    return [
        (line.label, line.party.slug if line.party else None, line.seats)
        for line in poll.lines.order_by("position")
    ]


def party(slug):
    return Party.objects.get(slug=slug)


def lines_of(*rows):
    return [
        ExitPollLineEntered(label, party(slug) if slug else None, seats)
        for label, slug, seats in rows
    ]


@pytest.fixture
def announced():
    """Every Change announced while the test runs."""
    heard = []

    def hear(sender, change, **kwargs):
        heard.append(change)

    content_changed.connect(hear, dispatch_uid="exit-poll-test")
    yield heard
    content_changed.disconnect(dispatch_uid="exit-poll-test")


def test_the_command_records_the_2024_poll_matched_to_parties(seeded):
    out = StringIO()
    call_command("import_exit_poll", str(exit_poll_file()), stdout=out)
    assert [(label, seats) for label, _, seats in stored_lines()] == file_lines()
    assert stored_lines() == [
        ("Labour", "labour", 410),
        ("Conservative", "conservative", 131),
        ("Liberal Democrat", "liberal-democrat", 61),
        ("Reform UK", "reform-uk", 13),
        ("Scottish National Party", "scottish-national-party", 10),
        ("Plaid Cymru", "plaid-cymru", 4),
        ("Green Party", "green-party", 2),
        ("Others", None, 19),
    ]
    poll = ExitPoll.objects.get()
    assert poll.published_at == TEN_PM
    assert poll.source == "Ipsos for BBC, ITV News and Sky News"
    assert out.getvalue() == (
        "exit poll recorded: Labour 410, Conservative 131, Liberal Democrat 61, Reform UK 13, "
        "Scottish National Party 10, Plaid Cymru 4, Green Party 2, Others 19; announced "
        "22:00 BST, 4 July 2024 (Ipsos for BBC, ITV News and Sky News)\n"
    )


def test_the_command_run_again_changes_nothing(seeded, announced):
    call_command("import_exit_poll", str(exit_poll_file()), stdout=StringIO())
    first = ExitPoll.objects.get().lines.values_list("pk", flat=True)
    announced.clear()
    out = StringIO()
    call_command("import_exit_poll", str(exit_poll_file()), stdout=out)
    assert "exit poll already recorded, unchanged: Labour 410" in out.getvalue()
    assert list(ExitPoll.objects.get().lines.values_list("pk", flat=True)) == list(first)
    assert announced == []


def test_a_dry_run_saves_nothing(seeded):
    out = StringIO()
    call_command("import_exit_poll", str(exit_poll_file()), "--dry-run", stdout=out)
    assert out.getvalue().startswith("Dry run, nothing saved: exit poll recorded: Labour 410")
    assert not ExitPoll.objects.exists()


@pytest.mark.parametrize(
    ("text", "error"),
    [
        (
            "party,seats\nLabour,410\nLabor,1\n",
            "poll.csv, line 3: no party is called 'Labor': name it as the site does (its "
            "name, short name or an alias), or 'Others' for the rest",
        ),
        (
            "party,seats\nLabour,410\nLab,1\n",
            "poll.csv, line 3: Labour is entered twice: each party on one line.",
        ),
        ("party,seats\nLabour,410\nOthers,241\n", "poll.csv, line 3: the seats add up to 651"),
        ("party,seats\nLabour,4x0\n", "poll.csv, line 2: seats '4x0' is not a whole number"),
        ("party,votes\nLabour,410\n", "poll.csv, line 1:"),
    ],
)
def test_the_command_names_the_file_and_line_and_saves_nothing(seeded, tmp_path, text, error):
    call_command("import_exit_poll", str(exit_poll_file()), stdout=StringIO())
    before = stored_lines()
    path = tmp_path / "poll.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError) as raised:
        call_command("import_exit_poll", str(path), stdout=StringIO())
    assert str(raised.value).startswith(str(tmp_path / error))
    assert stored_lines() == before  # all or nothing


def test_the_command_needs_an_election(db, tmp_path):
    Election.objects.all().delete()
    path = tmp_path / "poll.csv"
    path.write_text("party,seats\nOthers,1\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"poll.csv, line 1: there is no election"):
        call_command("import_exit_poll", str(path), stdout=StringIO())


def test_a_correction_replaces_the_poll_and_is_announced_once(seeded, announced):
    election = Election.objects.get()
    exit_poll_record(
        election=election,
        published_at=TEN_PM,
        lines=lines_of(("Labour", "labour", 410), ("Others", None, 240)),
    )
    announced.clear()
    poll, changed = exit_poll_record(
        election=election,
        published_at=TEN_PM,
        source="Ipsos",
        lines=lines_of(("Labour", "labour", 411), ("Conservative", "conservative", 120)),
    )
    assert changed
    assert ExitPoll.objects.count() == 1
    assert stored_lines() == [("Labour", "labour", 411), ("Conservative", "conservative", 120)]
    assert len(announced) == 1
    assert announced[0]["exit_poll"] == {poll.pk}
    # The home page (nation) and the strip on every page show it.
    assert tags_touched(announced[0]) == {"nation", "strip"}


@pytest.mark.parametrize(
    ("rows", "messages"),
    [
        (
            [("Labour", "labour", 410), ("Lab", "labour", 1)],
            ["Labour is entered twice: each party on one line."],
        ),
        (
            [("Labour", "labour", 410), ("Others", None, 241)],
            ["The seats add up to 651, more than the House's 650."],
        ),
        (
            [("Labour", "labour", 410), ("labour", "conservative", 1)],
            ["labour is entered twice: each line once."],
        ),
        (
            [("Others", None, 1), ("Rest", None, 1)],
            ["Only one line may be without a party: Others, for the rest."],
        ),
        ([("Labour", "labour", -1)], ["Type the seats for Labour: 0 if none."]),
        ([], ["Enter the poll's seats: one line per party, and Others."]),
    ],
)
def test_the_service_refuses_a_poll_that_cannot_be(seeded, announced, rows, messages):
    with pytest.raises(ValidationError) as raised:
        exit_poll_record(
            election=Election.objects.get(), published_at=TEN_PM, lines=lines_of(*rows)
        )
    assert raised.value.messages == messages
    assert not ExitPoll.objects.exists()
    assert announced == []


def figures(house, *lines):
    """ExitPollFigures of plain lines (label, has a party, seats) in a House of `house`."""
    election = SimpleNamespace(total_seats=house, seats_for_majority=house // 2 + 1)
    poll = SimpleNamespace(election=election)
    return ExitPollFigures(
        poll,
        tuple(
            SimpleNamespace(label=label, party_id=1 if party else None, seats=seats)
            for label, party, seats in lines
        ),
    )


def test_the_majority_is_the_press_s_and_a_hung_house_is_said_so():
    poll = figures(650, ("Labour", True, 410), ("Conservative", True, 131), ("Others", False, 19))
    assert (poll.majority, poll.verdict) == (170, "Labour majority 170")
    hung = figures(650, ("Labour", True, 310), ("Conservative", True, 300), ("Others", False, 40))
    assert hung.majority == -30
    assert hung.verdict == "Hung parliament: Labour 16 short of a majority"
    # Others, however many, lead no government.
    assert figures(650, ("Others", False, 400), ("Labour", True, 250)).verdict == (
        "Hung parliament: Labour 76 short of a majority"
    )
    assert figures(650, ("Labour", True, 410)).leads(LEADS_UNTIL_DECLARED - 1)
    assert not figures(650).leads(LEADS_UNTIL_DECLARED)


FUTURE_MESSAGE = "The exit poll's time is in the future: save it when it is announced."


def test_the_service_refuses_a_poll_dated_later_than_now(seeded, announced):
    # A poll kept as "none yet" would not be cleared when its time came: pages would
    # hide it until the first declaration.
    with pytest.raises(ValidationError) as raised:
        exit_poll_record(
            election=Election.objects.get(),
            published_at=datetime(2099, 7, 4, 22, 0, tzinfo=UK),
            lines=lines_of(("Labour", "labour", 410), ("Others", None, 240)),
        )
    assert raised.value.messages == [FUTURE_MESSAGE]
    assert not ExitPoll.objects.exists()
    assert announced == []


def test_the_command_run_before_ten_says_to_wait(seeded, monkeypatch):
    before_ten = datetime(2024, 7, 4, 21, 58, tzinfo=UK)
    monkeypatch.setattr("django.utils.timezone.now", lambda: before_ten)
    with pytest.raises(CommandError) as raised:
        call_command("import_exit_poll", str(exit_poll_file()), stdout=StringIO())
    assert str(raised.value).endswith(f"exit-poll-2024.csv, line 1: {FUTURE_MESSAGE}")
    assert not ExitPoll.objects.exists()
