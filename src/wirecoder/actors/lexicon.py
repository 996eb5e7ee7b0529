"""The actor dictionaries: named actors, role nouns and countries, read from `data/actors/` once.

Users extend them without code: every `*.toml` file of the folder with `[[actor]]` tables adds named actors,
`roles.toml` holds the role nouns, `countries.tsv` the country names and adjectives (format in the README there).
"""

from __future__ import annotations

import csv
import functools
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from ..config import data_path
from ..errors import ConfigError

INTER_TYPES = {
    1: "state forces",
    2: "rebel group",
    3: "political militia",
    4: "identity militia",
    5: "rioters",
    6: "protesters",
    7: "civilians",
    8: "external/other forces",
}


@dataclass(frozen=True, slots=True)
class NamedActor:
    name: str
    aliases: tuple[str, ...]
    inter: int
    code: str
    country: str | None


@dataclass(frozen=True, slots=True)
class Role:
    label: str
    terms: tuple[str, ...]
    name: str
    unknown: str
    inter: int
    role: str
    state: bool = False
    anaphor: bool = False
    anaphor_only: bool = False
    needs_country_terms: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Country:
    iso2: str
    iso3: str
    name: str
    names: tuple[str, ...]
    adjectives: tuple[str, ...]


@dataclass(frozen=True)
class Lexicon:
    actors: tuple[NamedActor, ...]
    roles: tuple[Role, ...]
    countries: dict[str, Country]
    person_heads: frozenset[str] = field(default_factory=frozenset)


def _check_inter(value, where: str) -> int:
    if not isinstance(value, int) or value not in INTER_TYPES:
        raise ConfigError(f"{where}: inter must be an ACLED actor type 1-8, not {value!r}")
    return value


def _read_toml(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text("utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read actor dictionary {path}: {exc}") from exc


def _named_actors(folder: Path) -> tuple[NamedActor, ...]:
    actors = []
    for path in sorted(folder.glob("*.toml")):
        if path.name == "roles.toml":
            continue
        for i, entry in enumerate(_read_toml(path).get("actor", [])):
            where = f"{path.name} actor #{i + 1}"
            if not entry.get("name") or not entry.get("code"):
                raise ConfigError(f"{where}: name and code are required")
            actors.append(NamedActor(
                name=entry["name"],
                aliases=tuple(dict.fromkeys([entry["name"], *entry.get("aliases", [])])),
                inter=_check_inter(entry.get("inter"), where),
                code=entry["code"],
                country=entry.get("country") or None,
            ))
    return tuple(actors)


def _roles(path: Path) -> tuple[tuple[Role, ...], frozenset[str]]:
    data = _read_toml(path)
    roles = []
    for i, entry in enumerate(data.get("role", [])):
        where = f"{path.name} role #{i + 1}"
        if not entry.get("terms") or "name" not in entry or not entry.get("role"):
            raise ConfigError(f"{where}: terms, name and role are required")
        roles.append(Role(
            label=entry.get("label", entry["role"]),
            terms=tuple(t.lower() for t in entry["terms"]),
            name=entry["name"],
            unknown=entry.get("unknown", ""),
            inter=_check_inter(entry.get("inter"), where),
            role=entry["role"],
            state=bool(entry.get("state", False)),
            anaphor=bool(entry.get("anaphor", False)),
            anaphor_only=bool(entry.get("anaphor_only", False)),
            needs_country_terms=frozenset(t.lower() for t in entry.get("needs_country_terms", [])),
        ))
    heads = frozenset(h.lower() for h in data.get("heads", {}).get("person_heads", []))
    return tuple(roles), heads


def _countries(path: Path) -> dict[str, Country]:
    countries = {}
    with path.open(encoding="utf-8") as handle:
        for n, row in enumerate(csv.reader(handle, delimiter="\t"), 1):
            if not row or row[0].startswith("#"):
                continue
            if len(row) != 4 or len(row[0]) != 2 or len(row[1]) != 3:
                raise ConfigError(f"{path.name} line {n}: expected iso2, iso3, names, adjectives")
            names = tuple(x for x in row[2].split("|") if x)
            countries[row[0]] = Country(row[0], row[1], names[0], names, tuple(x for x in row[3].split("|") if x))
    return countries


@functools.cache
def load_lexicon(folder: str | None = None) -> Lexicon:
    """The actor dictionaries of `folder` (default: the package's `data/actors`)."""
    base = Path(folder) if folder else data_path("actors")
    roles, heads = _roles(base / "roles.toml")
    return Lexicon(_named_actors(base), roles, _countries(base / "countries.tsv"), heads)
