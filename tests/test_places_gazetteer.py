"""The gazetteer index and the curated place data it is built with."""

import csv
import tomllib

import pytest

from wirecoder.config import data_path
from wirecoder.places.gazetteer import distance_km, fold, load_gazetteer


@pytest.fixture(scope="module")
def gaz():
    return load_gazetteer(None)


def _tsv(name):
    with open(data_path("places", name), encoding="utf-8") as fh:
        return [row for row in csv.reader(fh, delimiter="\t") if row and not row[0].startswith("#")]


@pytest.mark.parametrize("name, width", [("abbreviations.tsv", 2), ("demonyms.tsv", 2), ("regions.tsv", 7),
                                         ("country_points.tsv", 4)])
def test_places_data_files_are_well_formed(name, width):
    rows = _tsv(name)
    assert rows
    for row in rows:
        assert len(row) == width, row
        assert row[0] or name == "regions.tsv"
    if name == "regions.tsv":
        for gid, place, feature, country, lat, lon, _aliases in rows:
            assert place and feature in ("region", "sea")
            assert -90 <= float(lat) <= 90 and -180 <= float(lon) <= 180
            assert not gid or gid.isdigit()
            assert not country or len(country) == 2


def test_places_word_lists_are_well_formed():
    with open(data_path("places", "words.toml"), "rb") as fh:
        words = tomllib.load(fh)
    features = {"admin1", "admin2", "city", "country"}
    assert set(words["unit_words"].values()) <= features
    assert set(words["references"]["nouns"].values()) <= features
    for group in (words["org"]["heads"], words["generic"]["words"], words["features"]["heads"]):
        assert all(w == w.lower() and w.strip() == w for w in group)


def test_places_every_abbreviation_and_demonym_resolves(gaz):
    for name in ("abbreviations.tsv", "demonyms.tsv"):
        for text, target in _tsv(name):
            country, _, admin1 = target.partition(".")
            assert any(c.country == country and (c.admin1 == admin1 if admin1 else c.feature == "country")
                       for c in gaz.lookup(text)), (name, text, target)


@pytest.mark.parametrize("a, b", [("St. Petersburg", "st petersburg"), ("Herāt", "HERAT"),
                                  ("The Netherlands", "Netherlands"), ("Guinea-Bissau", "Guinea Bissau")])
def test_places_fold_makes_spellings_meet(a, b):
    assert fold(a) == fold(b)


def test_places_lookup_finds_cities_admin_units_and_alternate_names(gaz):
    kandahar = {(c.feature, c.geonameid) for c in gaz.lookup("Kandahar")}
    assert ("city", 1138336) in kandahar and ("admin1", 1138335) in kandahar
    assert any(c.geonameid == 1134720 for c in gaz.lookup("Lashkargah"))  # an alternate spelling
    assert [c.feature for c in gaz.lookup("Laurel County")] == ["admin2"]
    assert gaz.admin1_name("AF", "11") and gaz.admin1("AF", "11").feature == "admin1"
    assert gaz.lookup("Xqzvillezz") == ()


def test_places_distance_km():
    assert distance_km(0, 0, 0, 0) == 0
    assert 340 < distance_km(51.5074, -0.1278, 48.8566, 2.3522) < 345  # London-Paris
