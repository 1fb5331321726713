"""A rehearsal of the night (issue 14): `rehearse_night` takes the results off and
declares every seat again through the results desk's service, at its real time sped up;
it can be stopped and run again, and leaves posts and live pages alone. It asks before
taking any result off (or is told `--yes`), says how the night is going hour by hour,
and says at the end what it took off (issue 27, item 9)."""

from io import StringIO
from unittest import mock

import pytest
from django.core.management import CommandError, call_command

from liveblog.models import LivePage, Post
from results.models import Election, PublishedTally, Result, ResultRevision, ResultSource
from results.scoreboard import scoreboard_from_results
from tests.national_data import (
    PUBLISHED_ON_THE_NIGHT,
    SCOREBOARD_AT_THE_END,
    import_national_arguments,
    national_data,
)

pytestmark = pytest.mark.django_db

PUBLISHED = PUBLISHED_ON_THE_NIGHT


class Terminal(StringIO):
    """What a person types at a terminal."""

    def isatty(self):
        return True


def rehearse(*options, stdin=None):
    """Run it told --yes (or, given `stdin`, asking there); what it printed."""
    out = StringIO()
    folder = national_data()
    arguments = [*import_national_arguments(folder), *options]
    if stdin is None:
        arguments.append("--yes")
    call_command("rehearse_night", *arguments, stdout=out, stdin=stdin or StringIO())
    return out.getvalue()


def desk_entered(count):
    """`count` of the results marked as the results desk's (the first by name)."""
    slugs = Result.objects.order_by("constituency__name").values_list(
        "constituency__slug", flat=True
    )[:count]
    Result.objects.filter(constituency__slug__in=list(slugs)).update(source=ResultSource.DESK)


def scoreboard():
    rows = scoreboard_from_results(Election.objects.current()).rows
    return [(row.label, row.seats, row.change) for row in rows]


def posts_and_pages():
    return (
        sorted(Post.objects.values_list("pk", "title", "status", "version")),
        sorted(LivePage.objects.values_list("pk", "title")),
    )


def test_a_rehearsal_declares_every_seat_hour_by_hour_to_the_published_scoreboard(every_seat):
    """One whole night (each takes the longest of these tests): what it says as it goes
    and at the end, and what it leaves."""
    desk_entered(23)
    before = posts_and_pages()
    output = rehearse("--no-wait")
    assert "Took off 650 results; declaring 650 seats one after another." in output
    assert Result.objects.count() == 650
    assert set(Result.objects.values_list("source", flat=True)) == {ResultSource.NATIONAL}
    assert ResultRevision.objects.count() == 650  # each declared once, as the desk does
    assert scoreboard() == SCOREBOARD_AT_THE_END  # the published one, its Others named
    # The scoreboard the seed pages printed on the night: the same seats and changes.
    printed = PublishedTally.objects.filter(scoreboard__election=Election.objects.current())
    assert list(printed.values_list("seats", "change")) == [
        (seats, change) for _, seats, change in PUBLISHED
    ]
    assert "Labour 412 (+211), Conservative 121 (-251)" in output
    # Posts and live pages are as they were, but for the drafts the declarations made.
    posts, pages = posts_and_pages()
    assert pages == before[1]
    drafted = set(Post.objects.filter(drafted_from__isnull=False).values_list("pk", flat=True))
    assert [post for post in posts if post[0] not in drafted] == before[0]
    lines = output.splitlines()
    hours = [line for line in lines if line.endswith(" of 650 declared")]
    # Two seats were in by midnight (the Library recorded 23:30 and 23:51), 44 by
    # 03:00, 455 by 06:00; the last came at 18:00 on Saturday.
    assert hours[0] == "00:00    2 of 650 declared"
    assert "03:00   44 of 650 declared" in hours
    assert "06:00  455 of 650 declared" in hours
    assert hours[-2:] == ["6 Jul 18:00  649 of 650 declared", "6 Jul 19:00  650 of 650 declared"]
    counts = [int(line.split()[-4]) for line in hours]
    assert counts == sorted(counts)
    assert lines[-1] == (
        "Took off 650 results: 23 entered by the results desk, 627 from the national results file."
    )


def test_declarations_come_at_their_real_times_sped_up(every_seat):
    """At --speed 600 the night (23:30 on 4 July to 18:00 on 6 July) takes 4¼ minutes:
    each seat waits for its own time (the clock is the test's, so it takes no time)."""
    clock = {"now": 1000.0}
    slept = []

    def sleep(seconds):
        slept.append(seconds)
        clock["now"] += seconds

    with (
        mock.patch("results.management.commands.rehearse_night.time.sleep", sleep),
        mock.patch(
            "results.management.commands.rehearse_night.time.monotonic", lambda: clock["now"]
        ),
    ):
        rehearse("--speed", "600", "--limit", "20")
    declared = list(Result.objects.order_by("declared_at").values_list("declared_at", flat=True))
    assert len(declared) == 20
    waited = (declared[-1] - declared[0]).total_seconds() / 600
    assert sum(slept) == pytest.approx(waited)
    assert len(slept) == 20


def test_a_rehearsal_stops_cleanly_and_runs_again(every_seat):
    calls = {"count": 0}

    def interrupted(seconds):
        calls["count"] += 1
        if calls["count"] > 5:
            raise KeyboardInterrupt

    with mock.patch("results.management.commands.rehearse_night.time.sleep", interrupted):
        output = rehearse("--speed", "100000")
    assert "Stopped after 5 of 650 declarations. Run it again to start over." in output
    first = list(Result.objects.order_by("declared_at").values_list("constituency", flat=True))
    assert len(first) == 5
    # Run again, it starts over from nothing: the same seats first, none twice.
    assert "Declared 40 seats" in rehearse("--no-wait", "--limit", "40")
    again = list(Result.objects.order_by("declared_at").values_list("constituency", flat=True))
    assert len(again) == 40 and again[:5] == first
    assert ResultRevision.objects.count() == 40
    drafts = Post.objects.filter(drafted_from__isnull=False).count()
    rehearse("--no-wait", "--limit", "40")
    assert Post.objects.filter(drafted_from__isnull=False).count() == drafts


def test_it_asks_before_taking_the_desks_results_off(every_seat):
    desk_entered(23)
    output = rehearse("--no-wait", "--limit", "3", stdin=Terminal("yes\n"))
    assert output.startswith(
        "This takes off 650 results, 23 of them entered by the results desk. Type yes to go on: "
    )
    assert Result.objects.count() == 3


def test_anything_but_yes_takes_nothing_off(every_seat):
    desk_entered(23)
    before = sorted(Result.objects.values_list("constituency__slug", "source", "majority"))
    with pytest.raises(CommandError, match="Nothing was taken off"):
        rehearse("--no-wait", stdin=Terminal("no\n"))
    after = sorted(Result.objects.values_list("constituency__slug", "source", "majority"))
    assert after == before and len(after) == 650


def test_with_no_terminal_it_needs_yes(every_seat):
    """A script or cron job cannot answer: it is refused, naming the option."""
    with pytest.raises(CommandError) as refused:
        rehearse("--no-wait", stdin=StringIO("yes\n"))
    assert str(refused.value) == (
        "This would take off 650 results, 0 of them entered by the results desk, and "
        "there is no terminal to ask: run it again with --yes to go on."
    )
    assert Result.objects.count() == 650


def test_nothing_to_take_off_needs_no_question(every_seat):
    rehearse("--no-wait", "--limit", "5")
    output = rehearse("--no-wait", "--limit", "2")  # told --yes: takes 5 off
    assert "Type yes" not in output
    Result.objects.all().delete()
    output = rehearse("--no-wait", "--limit", "2", stdin=StringIO())
    assert "Type yes" not in output and Result.objects.count() == 2
