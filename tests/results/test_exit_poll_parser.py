"""The exit poll file's parser: the 2024 file exactly, and clear errors for bad input."""

import pytest

from results.documents import DocumentError
from results.exit_poll import ExitPollSeats, parse_exit_poll_csv
from tests.national_data import national_data


def test_the_2024_exit_poll_is_read_line_by_line():
    text = (national_data() / "exit-poll-2024.csv").read_text(encoding="utf-8")
    assert parse_exit_poll_csv(text, "exit-poll-2024.csv") == [
        ExitPollSeats("Labour", 410, 2),
        ExitPollSeats("Conservative", 131, 3),
        ExitPollSeats("Liberal Democrat", 61, 4),
        ExitPollSeats("Reform UK", 13, 5),
        ExitPollSeats("Scottish National Party", 10, 6),
        ExitPollSeats("Plaid Cymru", 4, 7),
        ExitPollSeats("Green Party", 2, 8),
        ExitPollSeats("Others", 19, 9),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("party,seats\nLabour,4x0\n", "poll.csv, line 2: seats '4x0' is not a whole number"),
        ("party,seats\nLabour,410\nlabour,1\n", "poll.csv, line 3: party 'labour' appears twice"),
        ("party,seats\nLabour,651\n", "poll.csv, line 2: seats 651 is more than 650"),
        (
            "party,seats\nLabour,410\nOthers,241\n",
            "poll.csv, line 3: the seats add up to 651, more than 650",
        ),
        ("party,votes\nLabour,410\n", "poll.csv, line 1: missing column 'seats'"),
        ("party,seats\n,410\n", "poll.csv, line 2: party is blank"),
    ],
)
def test_a_bad_exit_poll_file_names_the_line(text, message):
    with pytest.raises(DocumentError) as raised:
        parse_exit_poll_csv(text, "poll.csv")
    assert str(raised.value).startswith(message)
