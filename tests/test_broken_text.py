"""Issue 30, "Broken text": the words a reader reads on the pages of every seat."""

import csv
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest

from tests.national_data import national_data
from tests.pages import text_of

pytestmark = pytest.mark.django_db


def test_every_download_link_reads_as_english(client, every_seat):
    response = client.get("/constituencies/")
    assert '<label for="id_nation">Nation</label>' in response.content.decode()
    text = text_of(response)
    assert "650 seats · Download every seat as CSV" in text
    text = text_of(client.get("/constituencies/", {"nation": "wales"}))
    assert "32 seats match, · Download these 32 seats as CSV" not in text
    assert "32 seats match · Download these 32 seats as CSV" in text
    text = text_of(
        client.get("/constituencies/", {"nation": "scotland", "party": "labour", "outcome": "hold"})
    )
    assert "1 seat matches · Download this seat as CSV" in text
    text = text_of(client.get("/regions/wales/"))
    assert "Every seat in Wales as CSV" in text
    text = text_of(client.get("/parties/labour/"))
    assert "Every Labour candidate as CSV" in text


def test_the_speakers_seat_has_no_swing(client, every_seat):
    text = text_of(client.get("/constituencies/chorley/"))
    assert "pts from" not in text
    assert "Swing None: the main parties do not stand against the Speaker" in text
    # Another seat keeps its swing: Kettering, Conservative to Labour.
    text = text_of(client.get("/constituencies/kettering/"))
    assert (
        f"Swing {library_swing('Kettering', 'Con', 'Lab')} pts from Conservative to Labour" in text
    )
    api = client.get("/api/v1/constituencies/chorley").json()
    assert api["swing"] is None
    for page in range(1, 8):
        listed = text_of(client.get("/lists/biggest-swings/", {"page": page}))
        assert "Chorley" not in listed


def library_swing(seat, runner_up, winner):
    """Butler swing in `seat` from the Library's 2024 votes and the 2019 notional votes,
    read from the CSV files themselves: the oracle for the site's figure."""

    def row(name, key):
        with open(national_data() / name, encoding="utf-8-sig") as file:
            return next(line for line in csv.DictReader(file) if line[key] == seat)

    now = row("HoC-GE2024-results-by-constituency.csv", "Constituency name")
    then = row("RT-2019-notional-results-2024-boundaries.csv", "Boundary Comm name")

    def change(party):
        share_now = Fraction(int(now[party]), int(now["Valid votes"]))
        return share_now - Fraction(int(then[f"{party}v"]), int(then["total_votes"]))

    points = (change(winner) - change(runner_up)) * 50
    exact = Decimal(points.numerator) / Decimal(points.denominator)
    return exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def test_an_image_with_no_file_reads_as_its_caption(client, seeded):
    from liveblog.models import Block

    missing = Block.objects.filter(kind="image", image="").select_related("post__live_page")
    block = missing.get(caption__startswith="Rufia Ashraf is the Labour candidate")
    page = client.get(block.post.get_absolute_url()).content.decode()
    # A plain figure with the caption's words: no empty picture frame, no alt text shown
    # in place of a picture that is not there.
    assert (
        '<figure class="figure figure--words"><figcaption>Rufia Ashraf is the Labour '
        "candidate in one of the safest Tory seats in the country</figcaption></figure>"
    ) in page
    assert "figure__missing" not in page
    assert "Rufia Ashraf with short dark hair" not in page
