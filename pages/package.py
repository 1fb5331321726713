"""Every file in one zip, a Frictionless Data Package (https://datapackage.org): the
CSV files, `datapackage.json` describing each (its schema made from the columns'
declarations in pages.downloads), a README, the licences and the edition.

The zip is made in memory on each request the HTTP cache passes on, from the same lines
as the files themselves, and kept and purged as they are (pages.views).
"""

import csv
import io
import json
import zipfile
from dataclasses import dataclass, field

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from pages import downloads
from results.models import NotionalVote, Result

NAME = "uk-general-election-2024"
FILENAME = f"{NAME}.zip"
TITLE = "UK general election, 4 July 2024: results by seat and candidate"

OPEN_PARLIAMENT_LICENCE = {
    "title": "Open Parliament Licence v3.0",
    "path": "https://www.parliament.uk/site-information/copyright-parliament/open-parliament-licence/",
}
ATTRIBUTION = "Contains Parliamentary information licensed under the Open Parliament Licence v3.0."
# The site's own words and work: the descriptions, this package, and figures the results
# desk entered on the night.
SITE_LICENCE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0 International",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}
LIBRARY = {
    "title": "House of Commons Library, briefing CBP-10009, General election 2024 results",
    "path": "https://commonslibrary.parliament.uk/research-briefings/cbp-10009/",
}
NOTIONALS = {
    "title": "Rallings & Thrasher, notional results of the 2019 general election on the 2024 "
    "boundaries (for the BBC, ITN, PA and Sky)",
}
# A boolean column's cells (pages.downloads): yes or no.
BOOLEAN_VALUES = {"trueValues": ["yes"], "falseValues": ["no"]}


@dataclass(frozen=True)
class Resource:
    """One file of the package: its name, what a row is, its columns and keys."""

    name: str
    title: str
    columns: tuple
    primary_key: list
    joins_seats: bool = True  # its ons_code names a row of constituencies.csv
    sources: list = field(default_factory=lambda: [LIBRARY])

    @property
    def path(self):
        return f"{self.name}.csv"


RESOURCES = (
    Resource(
        "constituencies",
        "One row per seat: its result, empty while it awaits its declaration",
        downloads.CONSTITUENCY_COLUMNS,
        ["ons_code"],
        joins_seats=False,
        sources=[LIBRARY, NOTIONALS],
    ),
    Resource(
        "results",
        "One row per candidacy in every seat",
        downloads.CANDIDACY_COLUMNS,
        ["candidate_id"],
        sources=[LIBRARY, NOTIONALS],
    ),
    Resource(
        "notionals",
        "One row per seat and party: the 2019 result recast on the 2024 boundaries",
        downloads.NOTIONAL_COLUMNS,
        ["ons_code", "party"],
        sources=[NOTIONALS],
    ),
)


def schema_field(column):
    """A column's Table Schema field: its name, type, description and unit."""
    described = {"name": column.name, "type": column.type, "description": column.description}
    if column.unit:
        described["unit"] = column.unit
    if column.type == "boolean":
        described |= BOOLEAN_VALUES
    if column.required:
        described["constraints"] = {"required": True}
    return described


def descriptor(resources, created):
    """datapackage.json, as a dict."""
    return {
        "profile": "tabular-data-package",
        "name": NAME,
        "title": TITLE,
        "description": (
            "Every seat's and every candidate's result, and the 2019 notional results every "
            f"change is measured against. {ATTRIBUTION}"
        ),
        "homepage": settings.SITE_URL + reverse("pages:data"),
        "created": created.isoformat(),
        "licenses": [
            {**OPEN_PARLIAMENT_LICENCE, "description": ATTRIBUTION},
            SITE_LICENCE,
        ],
        "sources": [LIBRARY, NOTIONALS],
        "resources": [
            {
                "name": resource.name,
                "path": resource.path,
                "title": resource.title,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                # With a byte-order mark, for spreadsheets; readers of UTF-8 skip it.
                "encoding": "utf-8",
                "sources": resource.sources,
                "schema": {
                    "fields": [schema_field(column) for column in resource.columns],
                    # What an empty cell means is in each field's description.
                    "missingValues": [""],
                    "primaryKey": resource.primary_key,
                    **(
                        {
                            "foreignKeys": [
                                {
                                    "fields": ["ons_code"],
                                    "reference": {
                                        "resource": "constituencies",
                                        "fields": ["ons_code"],
                                    },
                                }
                            ]
                        }
                        if resource.joins_seats
                        else {}
                    ),
                },
            }
            for resource in resources
        ],
    }


def package_files():
    """{name: the text of each CSV file}, from the same lines as the files served alone."""
    return {
        "constituencies.csv": downloads.csv_text(
            downloads.CONSTITUENCY_COLUMNS, lines=downloads.constituency_lines_now()
        ),
        "results.csv": downloads.csv_text(
            downloads.CANDIDACY_COLUMNS, lines=downloads.candidacy_lines_now()
        ),
        "notionals.csv": downloads.csv_text(
            downloads.NOTIONAL_COLUMNS, rows=NotionalVote.objects.for_download()
        ),
    }


def rows_in(text):
    """How many rows a CSV file's text holds, less its header, in words: "4,515"."""
    return f"{len(list(csv.reader(io.StringIO(text)))) - 1:,}"


def package_zip():
    """The package as the bytes of a zip, its files in a folder of its name."""
    created = timezone.localtime().replace(microsecond=0)
    files = package_files()
    context = {
        "title": TITLE,
        "name": NAME,
        "created": created,
        "resources": RESOURCES,
        "counted": [(resource, rows_in(files[resource.path])) for resource in RESOURCES],
        "attribution": ATTRIBUTION,
        "library": LIBRARY,
        "notionals": NOTIONALS,
        "open_parliament_licence": OPEN_PARLIAMENT_LICENCE,
        "site_licence": SITE_LICENCE,
        "site_url": settings.SITE_URL,
        "sources": Result.objects.sources(),
        "corrections": Result.objects.corrections(),
    }
    files |= {
        "datapackage.json": json.dumps(descriptor(RESOURCES, created), indent=2) + "\n",
        "README.md": render_to_string("data_package/README.md", context),
        "LICENCE.md": render_to_string("data_package/LICENCE.md", context),
        "EDITION.md": render_to_string("data_package/EDITION.md", context),
    }
    out = io.BytesIO()
    moment = created.timetuple()[:6]
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as package:
        for name, text in files.items():
            entry = zipfile.ZipInfo(f"{NAME}/{name}", date_time=moment)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16  # readable by all once unzipped
            package.writestr(entry, text.encode())
    return out.getvalue()
