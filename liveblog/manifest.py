"""Parse `fixtures/seeds/manifest.toml`, which lists the seed documents and counties."""

import re
import tomllib
from dataclasses import dataclass

from results.documents import DocumentError

FORMATS = ("liveblog", "results")


@dataclass(frozen=True)
class SeedEntry:
    file: str
    format: str
    county: str


@dataclass(frozen=True)
class CountyEntry:
    name: str
    constituencies: tuple[dict, ...]


@dataclass(frozen=True)
class Manifest:
    year: int
    seeds: tuple[SeedEntry, ...]
    counties: tuple[CountyEntry, ...]


def parse_manifest(text, source="manifest.toml"):
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        line = re.search(r"line (\d+)", str(error))
        raise DocumentError(source, int(line[1]) if line else 1, f"is not TOML: {error}") from None
    try:
        seeds = tuple(
            SeedEntry(file=entry["file"], format=entry["format"], county=entry["county"])
            for entry in data.get("seeds", [])
        )
        counties = tuple(
            CountyEntry(name=entry["name"], constituencies=tuple(entry.get("constituencies", [])))
            for entry in data.get("counties", [])
        )
        year = int(data["year"])
    except KeyError as error:
        raise DocumentError(source, 1, f"an entry lacks {error.args[0]!r}") from None
    for seed in seeds:
        if seed.format not in FORMATS:
            raise DocumentError(
                source, 1, f"{seed.file}: format {seed.format!r} is not one of {FORMATS}"
            )
    return Manifest(year=year, seeds=seeds, counties=counties)
