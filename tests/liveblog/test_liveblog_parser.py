"""The live page parser, on the four seed live pages and on broken copies of them."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from liveblog.parsers import BodyBlock, Tally, parse_live_page
from results.documents import DocumentError
from tests.seeds import seed_text

LONDON = ZoneInfo("Europe/London")


def parse(prefix, year=2024):
    return parse_live_page(seed_text(prefix), source=f"{prefix}.txt", year=year)


def at(day, hour, minute):
    return datetime(2024, 7, day, hour, minute, tzinfo=LONDON)


def post(prefix, number):
    return parse(prefix).posts[number - 1]


@pytest.mark.parametrize(("prefix", "count"), [("000", 20), ("002", 20), ("003", 20), ("004", 13)])
def test_post_counts(prefix, count):
    posts = parse(prefix).posts
    assert len(posts) == count
    assert [p.number for p in posts] == list(range(1, count + 1))


@pytest.mark.parametrize(
    ("prefix", "first", "last"),
    [
        (
            "000",
            ("Labour candidate says health is big issue for voters", at(5, 2, 43), False),
            ("Kettering, where three counts are taking take place", at(4, 23, 47), False),
        ),
        (
            "002",
            ("Sir Oliver Heald's former seat goes red", at(5, 6, 45), False),
            ("Labour gains Milton Keynes Central from the Conservatives", at(5, 4, 5), False),
        ),
        (
            "003",
            ("Our live coverage has ended", at(5, 7, 30), False),
            (
                "What's happened in Leicestershire and around the region?",
                at(5, 4, 55),
                False,
            ),
        ),
        (
            "004",
            ("'We've both got losing in common'", at(5, 1, 3), False),
            ("Welcome to our election coverage", at(4, 20, 0), False),
        ),
    ],
)
def test_first_and_last_posts(prefix, first, last):
    posts = parse(prefix).posts
    assert (posts[0].title, posts[0].published_at, posts[0].breaking) == first
    assert (posts[-1].title, posts[-1].published_at, posts[-1].breaking) == last


def test_times_are_aware_and_in_british_summer_time():
    published = post("000", 1).published_at
    assert published.utcoffset().total_seconds() == 3600
    assert published.isoformat() == "2024-07-05T02:43:00+01:00"


def test_missing_zone_label_means_uk_local_time():
    # 003: "Our live coverage has endedpublished at 07:30 5 July"
    assert post("003", 1).published_at.isoformat() == "2024-07-05T07:30:00+01:00"


def test_posts_run_past_midnight():
    posts = parse("004").posts
    assert posts[9].published_at == at(4, 23, 39)
    assert posts[8].published_at == at(5, 0, 1)


def test_breaking_posts_in_003():
    breaking = [p.number for p in parse("003").posts if p.breaking]
    assert breaking == [9, 14, 17]


def test_year_from_the_document_or_the_caller():
    assert parse_live_page(seed_text("000"), source="000.txt").year == 2024
    assert parse("003", year=2024).year == 2024
    with pytest.raises(DocumentError) as raised:
        parse_live_page(seed_text("003"), source="003.txt")
    assert str(raised.value) == (
        "003.txt, line 1: the document does not say the year (no 'Election YYYY' line): give one"
    )


def test_scoreboard():
    scoreboard = parse("000").scoreboard
    assert (scoreboard.seats_for_majority, scoreboard.seats_to_go) == (326, 0)
    assert scoreboard.tallies == (
        Tally("Labour", 412, 211),
        Tally("Conservative", 121, -251),
        Tally("Liberal Democrat", 72, 64),
        Tally("Scottish National Party", 9, -39),
        Tally("Sinn Fein", 7, 0),
        Tally("Others", 29, 15),
    )


def test_summary_bullets():
    assert parse("000").summary[:2] == (
        "Election coverage from across Northamptonshire",
        "Voters have gone to the polls in seven constituencies across the county",
    )
    assert parse("003").summary == ()


class TestBylines:
    def test_name_and_role(self):
        first = post("003", 1)
        assert (first.byline_name, first.byline_role) == ("Alex Smith", "BBC News Online")

    def test_name_and_role_of_several_words(self):
        analysis = post("003", 16)
        assert (analysis.byline_name, analysis.byline_role) == (
            "Professor Sir John Curtice",
            "Polling expert",
        )

    def test_name_alone_credited_for_a_photo_in_the_same_post(self):
        # "Daisie-Belle Downer" then "Gagan MohindraImage source, Daisie-Belle Downer/BBC"
        mohindra = post("002", 2)
        assert (mohindra.byline_name, mohindra.byline_role) == ("Daisie-Belle Downer", "")
        assert mohindra.blocks[0] == BodyBlock(
            "image", alt="Gagan Mohindra", credit="Daisie-Belle Downer/BBC"
        )

    def test_placeholder_is_no_author(self):
        honour = post("002", 4)
        assert (honour.byline_name, honour.byline_role) == ("", "")
        assert honour.blocks[0].text.startswith("Labour's David Taylor has taken")

    def test_name_alone_without_a_credit_is_a_bare_image(self):
        # 000 post 19: "Andrea Leadsom" above a paragraph about her.
        leadsom = post("000", 19)
        assert leadsom.byline_name == ""
        assert leadsom.blocks[0] == BodyBlock("image", alt="Andrea Leadsom")

    def test_photographer_and_subject_line_is_a_bare_image(self):
        # 002 post 19: "Peter Short/Grant Shapps" is credited to nobody by that name.
        shapps = post("002", 19)
        assert shapps.byline_name == ""
        assert shapps.blocks[0] == BodyBlock("image", alt="Peter Short/Grant Shapps")


class TestBodyBlocks:
    def test_paragraphs_then_a_captioned_image(self):
        first = post("000", 1)
        assert [block.kind for block in first.blocks] == ["paragraph"] * 4 + ["image"]
        assert first.blocks[-1] == BodyBlock(
            "image",
            alt="Rufia Ashraf with short dark hair wearing a red top and rosette at a count",
            caption="Rufia Ashraf is the Labour candidate in one of the safest Tory seats in "
            "the country",
        )

    def test_alt_text_run_into_its_credit(self):
        assert post("000", 6).blocks[-1] == BodyBlock(
            "image", alt="Scott Cameron", credit="Oliver Conopo/BBC"
        )

    def test_bare_alt_text_lines(self):
        leicester = post("003", 2)
        assert BodyBlock("image", alt="Leicester GV") in leicester.blocks
        assert post("003", 12).blocks[-1] == BodyBlock("image", alt="Signs")

    def test_graphic_alt_text_is_an_image_not_a_paragraph(self):
        graphic = post("002", 12)
        assert graphic.blocks == (
            BodyBlock(
                "image",
                alt="Graphic showing Liberal Democrats gain Harpenden and Berkhamsted from the "
                "Conservatives. The winning candidate was Victoria Collins.",
            ),
        )

    def test_bulleted_list(self):
        recap = post("000", 18)
        assert recap.blocks[-1] == BodyBlock(
            "list",
            items=(
                "Corby and East Northamptonshire",
                "Daventry",
                "Kettering",
                "Northampton North",
                "Northampton South",
                "South Northamptonshire",
                "Wellingborough and Rushden",
            ),
        )

    def test_read_more_stub_is_dropped(self):
        assert post("002", 13).blocks == (
            BodyBlock(
                "paragraph",
                text="The Secretary of State for Defence says the Conservative Party has tried "
                "the patience of voters.",
            ),
        )

    def test_external_link_note_is_removed(self):
        assert post("003", 6).blocks[0].text == (
            "On X, Conservative Neil O'Brien said: \"Delighted and honoured to be re-elected as "
            "MP for Harborough, Oadby and Wigston."
        )

    def test_timetable_lines_with_times_are_paragraphs(self):
        timetable = post("000", 15)
        assert [block.kind for block in timetable.blocks] == ["paragraph", "paragraph"]


def broken(prefix, old, new):
    text = seed_text(prefix)
    assert old in text
    return text.replace(old, new, 1)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param("  \n\n", "doc.txt, line 1: is empty", id="empty"),
        pytest.param(
            broken("000", "published at 02:43 British Summer Time 5 July", ""),
            "doc.txt, line 25: post heading '1. Labour candidate says health is big issue for "
            "voters' lacks 'published at HH:MM D Month'",
            id="truncated-heading",
        ),
        pytest.param(
            "\n".join(seed_text("000").splitlines()[:23]),
            "doc.txt, line 23: no posts found (expected a heading '1. TITLEpublished at HH:MM D "
            "Month')",
            id="no-posts",
        ),
        pytest.param(
            broken("000", "  2. Council leader", "  3. Council leader"),
            "doc.txt, line 40: post 3 where post 2 was expected",
            id="posts-out-of-order",
        ),
        pytest.param(
            broken("000", "02:43 British Summer Time 5 July", "02:43 British Summer Time 5 Juli"),
            "doc.txt, line 25: 'Juli' is not a month",
            id="not-a-month",
        ),
        pytest.param(
            broken("000", "Labour: 412 seats, 211 seats gained", "Labour: many seats"),
            "doc.txt, line 5: expected a scoreboard line '• PARTY: N seats, N seats gained', "
            "found '• Labour: many seats'",
            id="scoreboard-line",
        ),
        pytest.param(
            broken("000", "    Rufia Ashraf with short dark hair", "    Image caption,\n"),
            "doc.txt, line 35: 'Image caption,' with no image line above it",
            id="caption-without-image",
        ),
    ],
)
def test_malformed_pages_name_the_line(text, message):
    with pytest.raises(DocumentError) as raised:
        parse_live_page(text, source="doc.txt", year=2024)
    assert str(raised.value) == message
