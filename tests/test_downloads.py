"""The downloads as a spreadsheet opens them: attachments with their names, UTF-8 that
Excel reads, and no cell a spreadsheet would run as a formula."""

import csv
import io
import zipfile

import pytest

from results.models import Candidacy, Constituency, Party, Region
from results.services import count_declare
from tests.newsroom.forms import declaration_form, declaration_post

pytestmark = pytest.mark.django_db

BOM = b"\xef\xbb\xbf"


def rows_of(response):
    """The rows as a spreadsheet reads them: UTF-8, its byte-order mark not a letter."""
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_a_csv_starts_with_a_byte_order_mark_so_excel_reads_utf_8(client, every_seat):
    response = client.get("/data/constituencies.csv", {"nation": "wales"})
    assert response.content.startswith(BOM + b"ons_code,constituency,region,nation,")
    ynys_mon = next(row for row in rows_of(response) if row["ons_code"] == "W07000112")
    assert ynys_mon["constituency"] == "Ynys Môn"
    assert "Ynys M\u00f4n".encode() in response.content


def test_the_json_api_has_no_byte_order_mark(client, every_seat):
    assert client.get("/api/v1/constituencies/ynys-mon").content.startswith(b"{")


def test_a_negative_change_in_share_stays_a_number(client, every_seat):
    rows = rows_of(client.get("/data/constituencies/kettering.csv"))
    hollobone = next(row for row in rows if row["candidate"] == "Philip Hollobone")
    assert (hollobone["share"], hollobone["share_change"]) == ("28.25", "-32.03")


def dales():
    """Derbyshire Dales, in the East Midlands (the seeds name no regions)."""
    region = Region.objects.create(
        name="East Midlands", slug="east-midlands", ons_code="E12000004", nation="England"
    )
    Constituency.objects.filter(slug="derbyshire-dales").update(region=region)
    return Constituency.objects.get(slug="derbyshire-dales")


def dales_declared_with(name):
    """Derbyshire Dales declared through results.services, its winner named `name`."""
    dales_seat = dales()
    labour, conservative = Party.objects.get(slug="labour"), Party.objects.get(slug="conservative")
    winner = Candidacy.objects.create(constituency=dales_seat, name=name, party=labour, votes=0)
    loser = Candidacy.objects.create(
        constituency=dales_seat, name="Sarah Dines", party=conservative, votes=0
    )
    count_declare(
        constituency=dales_seat,
        votes={winner.pk: 17759, loser.pk: 17409},
        outcome="GAIN",
        gained_from=conservative,
    )


# Every file that names a candidate, and the column it names Derbyshire Dales' winner in.
FILES_WITH_NAMES = {
    "/data/results.csv": "candidate",
    "/data/constituencies/derbyshire-dales.csv": "candidate",
    "/data/parties/labour.csv": "candidate",
    "/data/counties/derbyshire.csv": "winner",
    "/data/regions/east-midlands.csv": "winner",
    "/data/constituencies.csv": "winner",
}


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_text_cell_a_spreadsheet_would_run_is_neutralised(client, seeded, start):
    dales_declared_with(f'{start}HYPERLINK("http://x","y")')
    for address, column in FILES_WITH_NAMES.items():
        response = client.get(address)
        names = [row[column] for row in rows_of(response)]
        assert f'\'{start}HYPERLINK("http://x","y")' in names, address
        assert f'{start}HYPERLINK("http://x","y")' not in names, address


def test_a_formula_the_desk_types_into_the_admin_is_neutralised(client, seeded, desk_client):
    seat = dales()
    labour, conservative = Party.objects.get(slug="labour"), Party.objects.get(slug="conservative")
    data = declaration_form(
        seat,
        [('=HYPERLINK("http://x","y")', labour, 17759), ("Sarah Dines", conservative, 17409)],
        outcome="GAIN",
        gained_from=conservative,
    )
    assert declaration_post(desk_client, seat, data).status_code == 302
    for address, column in FILES_WITH_NAMES.items():
        content = client.get(address).content.decode("utf-8-sig")
        names = [row[column] for row in csv.DictReader(io.StringIO(content))]
        assert '\'=HYPERLINK("http://x","y")' in names, address
        assert ",=HYPERLINK(" not in content and '"=HYPERLINK(' not in content, address
    package = zipfile.ZipFile(io.BytesIO(client.get("/data/uk-general-election-2024.zip").content))
    for name, column in [("results.csv", "candidate"), ("constituencies.csv", "winner")]:
        content = package.read(f"uk-general-election-2024/{name}").decode("utf-8-sig")
        names = [row[column] for row in csv.DictReader(io.StringIO(content))]
        assert '\'=HYPERLINK("http://x","y")' in names, name


def test_the_2019_notional_results_as_csv(client, every_seat):
    response = client.get("/data/notionals.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="notionals.csv"'
    rows = rows_of(response)
    assert list(rows[0]) == ["ons_code", "constituency", "party", "votes", "share"]
    assert len({row["ons_code"] for row in rows}) == 650
    # Rallings & Thrasher's Kettering: 52,037 valid votes, every other candidate together.
    kettering = [
        (row["party"], row["votes"], row["share"]) for row in rows if row["ons_code"] == "E14001311"
    ]
    assert kettering == [
        ("Conservative", "31369", "60.28"),
        ("Labour", "14006", "26.92"),
        ("Liberal Democrat", "3477", "6.68"),
        ("Others", "1642", "3.16"),
        ("Green Party", "1543", "2.97"),
    ]
    # The Speaker's votes are his own, out of the others'.
    chorley = [(row["party"], row["votes"]) for row in rows if row["constituency"] == "Chorley"]
    assert chorley == [("Speaker", "26831"), ("Others", "9439"), ("Green Party", "3600")]


# Every download, and the name it is saved under.
DOWNLOADS = {
    "/data/results.csv": "results.csv",
    "/data/constituencies.csv": "constituencies.csv",
    "/data/constituencies.csv?nation=wales": "constituencies.csv",
    "/data/notionals.csv": "notionals.csv",
    "/data/constituencies/kettering.csv": "kettering.csv",
    "/data/parties/labour.csv": "labour.csv",
    "/data/regions/wales.csv": "wales.csv",
    "/data/counties/derbyshire.csv": "derbyshire.csv",
    "/data/uk-general-election-2024.zip": "uk-general-election-2024.zip",
}


def test_every_download_is_an_attachment_with_its_name_each_time(client, every_seat):
    for address, filename in DOWNLOADS.items():
        # The second from the figures kept since the first (pages.data_cache), as
        # the HTTP cache keeps it (Cache-Control) with every header.
        for answer in (client.get(address), client.get(address), client.head(address)):
            assert answer.status_code == 200, address
            assert answer["Content-Disposition"] == f'attachment; filename="{filename}"', address
            assert "s-maxage" in answer["Cache-Control"], address
