"""Everything in one zip, a Frictionless Data Package: its files, their schemas, licence
and edition, read back as a data user reads them."""

import csv
import io
import json
import zipfile
from collections import defaultdict

import frictionless
import pytest

from tests.national_data import national_data

pytestmark = pytest.mark.django_db

ADDRESS = "/data/uk-general-election-2024.zip"
FOLDER = "uk-general-election-2024"
ATTRIBUTION = "Contains Parliamentary information licensed under the Open Parliament Licence v3.0."


def package_of(client):
    response = client.get(ADDRESS)
    assert response.status_code == 200
    return zipfile.ZipFile(io.BytesIO(response.content))


def rows(package, name):
    text = package.read(f"{FOLDER}/{name}").decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_the_zip_is_an_attachment_of_a_valid_data_package(client, every_seat, tmp_path):
    response = client.get(ADDRESS)
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == f'attachment; filename="{FOLDER}.zip"'
    package = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(package.namelist()) == [
        f"{FOLDER}/{name}"
        for name in [
            "EDITION.md",
            "LICENCE.md",
            "README.md",
            "constituencies.csv",
            "datapackage.json",
            "notionals.csv",
            "results.csv",
        ]
    ]
    package.extractall(tmp_path)
    report = frictionless.validate(tmp_path / FOLDER / "datapackage.json")
    assert report.valid, report.flatten(["type", "rowNumber", "fieldName", "note"])
    assert report.stats["tasks"] == 3


def test_every_field_has_a_type_and_a_description_and_keys_join_the_files(client, every_seat):
    descriptor = json.loads(package_of(client).read(f"{FOLDER}/datapackage.json"))
    assert descriptor["name"] == FOLDER
    resources = {resource["name"]: resource for resource in descriptor["resources"]}
    assert list(resources) == ["constituencies", "results", "notionals"]
    for resource in resources.values():
        assert resource["encoding"] == "utf-8"
        assert resource["schema"]["missingValues"] == [""]
        for field in resource["schema"]["fields"]:
            assert field["type"] and field["description"], field
    assert resources["constituencies"]["schema"]["primaryKey"] == ["ons_code"]
    assert resources["results"]["schema"]["primaryKey"] == ["candidate_id"]
    assert resources["notionals"]["schema"]["primaryKey"] == ["ons_code", "party"]
    for name in ("results", "notionals"):
        assert resources[name]["schema"]["foreignKeys"] == [
            {
                "fields": ["ons_code"],
                "reference": {"resource": "constituencies", "fields": ["ons_code"]},
            }
        ]
    share_change = next(
        field
        for field in resources["results"]["schema"]["fields"]
        if field["name"] == "share_change"
    )
    assert share_change == {
        "name": "share_change",
        "type": "number",
        "description": (
            "Change in share since 2019 (notional), in points; empty where the party did not stand"
        ),
        "unit": "percentage points",
    }
    assert ATTRIBUTION in json.dumps(descriptor["licenses"])


def test_the_zip_holds_every_seat_candidacy_and_2019_notional_result(client, every_seat):
    package = package_of(client)
    seats = rows(package, "constituencies.csv")
    assert len(seats) == 650
    assert len(rows(package, "results.csv")) == 4515
    notionals = defaultdict(dict)
    for row in rows(package, "notionals.csv"):
        notionals[row["ons_code"]][row["party"]] = int(row["votes"])
    # The oracle: Rallings & Thrasher's own file, each seat's total and winner.
    with open(
        national_data() / "RT-2019-notional-results-2024-boundaries.csv", encoding="utf-8-sig"
    ) as file:
        totals = {
            row["ONS code"]: int(row["total_votes"].replace(",", ""))
            for row in csv.DictReader(file)
        }
    assert {code: sum(votes.values()) for code, votes in notionals.items()} == totals
    for seat in seats:
        votes = notionals[seat["ons_code"]]
        assert max(votes, key=votes.get) == seat["held_2019"], seat["constituency"]


def test_the_licence_readme_and_edition_say_whose_figures_and_when(client, every_seat):
    package = package_of(client)
    licence = package.read(f"{FOLDER}/LICENCE.md").decode()
    assert ATTRIBUTION in licence
    assert "Rallings & Thrasher" in licence
    assert "Creative Commons Attribution 4.0" in licence
    readme = package.read(f"{FOLDER}/README.md").decode()
    assert "| `share_change` | number | percentage points |" in readme
    edition = package.read(f"{FOLDER}/EDITION.md").decode()
    assert "- National results file: 650 results" in edition
