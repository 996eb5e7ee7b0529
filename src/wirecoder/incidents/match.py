"""Whether two incidents tell the same happening: a score over type, place, date and actors.

Each part scores 0..1 and a 0 in type, place or date vetoes the match (two attacks in one city on different days
are two incidents); the score is the weighted sum of the parts. Actors only weigh: outlets name different sides
of one attack (one the perpetrator, another the victims), so disjoint actors lower the score but do not veto it.
"""

from __future__ import annotations

import functools
import json
import math
import tomllib
from dataclasses import dataclass
from datetime import date, timedelta
from importlib import resources

from ..records import Incident, Place

# a new event is merged into the best-scoring candidate at or above this score
MATCH_THRESHOLD = 0.75
# candidates are fetched by place: same country, or points within this distance (places across a border)
MAX_DISTANCE_KM = 30.0

_WEIGHTS = {"type": 0.3, "place": 0.3, "date": 0.25, "actors": 0.15}
# places coarser than a town: an event placed there is somewhere inside, so it is compatible with any place
# inside but counts for less; the scores are those of a coarse place against a place inside it
_COARSE = {"continent": 0.2, "country": 0.35, "region": 0.45, "admin1": 0.6, "admin2": 0.8}
_UNKNOWN_PLACE = 0.4  # one side has no place: nothing against the match, nothing for it
_UNKNOWN_DATE = 0.3
_UNKNOWN_ACTORS = 0.6
# publication date standing for an undated event: it happened on that day or in the few days before
_UNDATED_DAYS_BEFORE = 3
# the fields of a place that `place_score` reads, all that match keys keep of it
_PLACE_FIELDS = ("geonameid", "country", "admin1", "lat", "lon", "feature", "precision")


@dataclass(slots=True)
class MatchKeys:
    """What `match_score` compares of an incident, and nothing else: its type and ACLED family, place, possible
    days, the actor names (casefolded) and codes of it and its mentions, and the families each article's
    mentions have in it. Small whatever the number of mentions, so a store keeps them beside each incident and
    scores its candidates without decoding their mentions."""

    type: str | None
    family: str | None
    place: Place | None
    days: tuple[date, date] | None
    names: frozenset[str]
    codes: frozenset[str]
    articles: dict[str, frozenset[str | None]]  # content hash -> families of that article's mentions here

    def to_json(self) -> str:
        place = {k: getattr(self.place, k) for k in _PLACE_FIELDS} if self.place is not None else None
        return json.dumps({
            "type": self.type, "family": self.family, "place": place,
            "days": [d.isoformat() for d in self.days] if self.days else None,
            "names": sorted(self.names), "codes": sorted(self.codes),
            "articles": {h: sorted(f, key=str) for h, f in self.articles.items()},
        }, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> MatchKeys:
        d = json.loads(text)
        place = d["place"]
        return cls(
            d["type"], d["family"], Place(id="", start=0, end=0, text="", **place) if place is not None else None,
            tuple(date.fromisoformat(x) for x in d["days"]) if d["days"] else None,
            frozenset(d["names"]), frozenset(d["codes"]), {h: frozenset(f) for h, f in d["articles"].items()},
        )


def match_keys(incident: Incident) -> MatchKeys:
    """The keys `match_score` compares `incident` by."""
    names, codes = _actors(incident)
    articles: dict[str, set] = {}
    for m in incident.mentions:
        if m.content_hash:
            articles.setdefault(m.content_hash, set()).add(_mention_family(m))
    return MatchKeys(incident.type, _family(incident), incident.place, date_range(incident), frozenset(names),
                     frozenset(codes), {h: frozenset(f) for h, f in articles.items()})


def match_score(new: Incident, existing: Incident) -> float:
    """How surely `new` and `existing` tell the same happening, in [0, 1]; >= MATCH_THRESHOLD means merge."""
    return score_keys(match_keys(new), match_keys(existing))


def score_keys(new: MatchKeys, existing: MatchKeys) -> float:
    """`match_score` of two incidents from their keys.

    Events of one article merge only within one ACLED event type (Battles, Explosions/Remote violence, ...): an
    article that tells a bombing and a clash means two happenings, while one that comes back to its bombing as
    a "blast" or "explosion" means one (and two bombings at one place on one day are one ACLED event anyway).
    """
    for content_hash, families in new.articles.items():
        theirs = existing.articles.get(content_hash)
        if theirs and len(families | theirs) > 1:
            return 0.0
    # a 0 in type, place or date vetoes the match: the rest is not worth computing then
    type_part = type_score(new.type, existing.type, new.family, existing.family)
    if type_part <= 0.0:
        return 0.0
    place_part = place_score(new.place, existing.place)
    if place_part <= 0.0:
        return 0.0
    date_part = date_score(new.days, existing.days)
    if date_part <= 0.0:
        return 0.0
    actors_part = actor_score(new.names, new.codes, existing.names, existing.codes)
    return round(_WEIGHTS["type"] * type_part + _WEIGHTS["place"] * place_part + _WEIGHTS["date"] * date_part
                 + _WEIGHTS["actors"] * actors_part, 4)


def type_score(a: str | None, b: str | None, family_a: str | None = None, family_b: str | None = None) -> float:
    """1 for the same type, less for the same ACLED family or a compatible pair, 0 for different happenings."""
    table = _types()
    if not a or not b:
        return 0.0
    if a == b:
        return table["scores"]["same"]
    if family_a and family_a == family_b:
        return table["scores"]["family"]
    if frozenset((a, b)) in table["pairs"]:
        return table["scores"]["compatible"]
    return 0.0


def place_score(a: Place | None, b: Place | None) -> float:
    """1 for the same town, less with distance or when one place is a country/province the other lies in."""
    if a is None or b is None or (a.geonameid is None and a.lat is None) or (b.geonameid is None and b.lat is None):
        return _UNKNOWN_PLACE
    kind_a, kind_b = _kind(a), _kind(b)
    if a.geonameid is not None and a.geonameid == b.geonameid:
        return _COARSE.get(kind_a, 1.0)
    if a.country and b.country and a.country != b.country:
        return _nearby(a, b) if kind_a not in _COARSE and kind_b not in _COARSE else 0.0
    coarse, fine = (a, b) if _rank(kind_a) <= _rank(kind_b) else (b, a)
    kind = _kind(coarse)
    if kind in ("continent", "region", "country"):
        return _COARSE[kind] if kind != "country" or coarse.country == fine.country else 0.0
    if kind == "admin1":
        same_admin1 = coarse.admin1 and coarse.admin1 == fine.admin1 and _kind(fine) != "admin1"
        return _COARSE["admin1"] if same_admin1 else 0.0
    if kind == "admin2":
        # no admin2 code on places: a district contains what lies near its centroid
        d = distance_km(coarse, fine)
        return _COARSE["admin2"] if d is not None and d <= 2 * MAX_DISTANCE_KM else 0.0
    return _nearby(a, b)


def date_score(a: tuple[date, date] | None, b: tuple[date, date] | None) -> float:
    """1 for the same day, less when a range is wide (week, month, undated), 0 when the ranges do not meet."""
    if a is None or b is None:
        return _UNKNOWN_DATE
    if a[0] > b[1] or b[0] > a[1]:
        return 0.0
    width = max((a[1] - a[0]).days, (b[1] - b[0]).days)
    if width == 0:
        return 1.0
    return 0.8 if width <= _UNDATED_DAYS_BEFORE else 0.6 if width <= 7 else 0.4


def actor_score(names_a: set[str], codes_a: set[str], names_b: set[str], codes_b: set[str]) -> float:
    """1 when one side's actors are all among the other's, less for a name or only a code (AFGREB) in
    common, 0.2 for nothing in common; one side without actors is neither for nor against."""
    if not (names_a or codes_a) or not (names_b or codes_b):
        return _UNKNOWN_ACTORS
    common = names_a & names_b
    if common:
        return 1.0 if common in (names_a, names_b) else 0.8
    return 0.7 if codes_a & codes_b else 0.2


def date_range(incident: Incident) -> tuple[date, date] | None:
    """The days the incident may have happened on (see `days`); its date is explicit when a mention's text
    gives that date."""
    explicit = not incident.mentions or any(m.date_explicit and m.date == incident.date for m in incident.mentions)
    return days(incident.date, incident.date_precision, explicit)


@functools.lru_cache(maxsize=4096)  # merging re-reads the same few dates of every mention, for every event
def days(value: str | None, precision: str | None, explicit: bool = True) -> tuple[date, date] | None:
    """First and last day a date of this precision may mean: its day, week, month or year; a publication date
    standing for an undated event means that day or the few days before, whatever precision it was given."""
    day = _parse_date(value)
    if day is None:
        return None
    if not explicit:
        return day - timedelta(days=_UNDATED_DAYS_BEFORE), day
    if precision == "year":
        return date(day.year, 1, 1), date(day.year, 12, 31)
    if precision == "month":
        nxt = date(day.year + day.month // 12, day.month % 12 + 1, 1)
        return date(day.year, day.month, 1), nxt - timedelta(days=1)
    if precision == "week":
        return day, day + timedelta(days=6)
    return day, day


def block_keys(incident: Incident) -> dict:
    """What the store fetches candidates by: country, point, the days the incident may have happened on, the
    types and ACLED family it can match, and the place kinds it can match anywhere in its country.

    Only candidates that no part of `match_score` vetoes are worth fetching: the date range must meet the
    incident's own (`date_score` is 0 for ranges that do not meet) and the type must be the same, of the same
    family or a compatible pair (`type_score`). An event too vague to tell one happening from another — no
    date, a date known only to the month or year, or no place finer than a country — gets no keys: it stays an
    incident of its own. Merging such events would make ever-growing catch-all incidents (every undated clash in
    a country) that cost more with each article.
    """
    place = incident.place
    span = date_range(incident)
    if span is None or (span[1] - span[0]).days > _MAX_MATCHABLE_DAYS or place is None \
            or _kind(place) in _TOO_COARSE_TO_MATCH:
        return {}
    return {
        "country": place.country,
        "lat": place.lat,
        "lon": place.lon,
        "since": span[0].isoformat(),
        "until": span[1].isoformat(),
        "types": matching_types(incident.type),
        "family": _family(incident),
        # a located town can only match what lies within MAX_DISTANCE_KM, or a coarse or unlocated place of its
        # country (see `place_score`); a district, a province or an unlocated place, any place of its country
        "country_kinds": None if _kind(place) in _COARSE or None in (place.lat, place.lon) else sorted(_COARSE),
    }


def place_kind(place: Place | None) -> str | None:
    """What `place_score` takes the place for: its precision, else its feature, else a town."""
    return _kind(place) if place is not None else None


def matching_types(type_: str | None) -> list[str]:
    """The types `type_score` does not veto against `type_` besides those of its ACLED family: itself and the
    types paired with it in data/incidents/types.toml."""
    if not type_:
        return []
    return sorted({type_} | {t for pair in _types()["pairs"] if type_ in pair for t in pair})


# a date range wider than this (a month, a year) or a place this coarse cannot identify one happening
_MAX_MATCHABLE_DAYS = 7
_TOO_COARSE_TO_MATCH = {"country", "continent", "region"}


def distance_km(a: Place, b: Place) -> float | None:
    """Great-circle distance between two places with coordinates (haversine, mean Earth radius)."""
    if None in (a.lat, a.lon, b.lat, b.lon):
        return None
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    dp, dl = p2 - p1, math.radians(b.lon - a.lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def _nearby(a: Place, b: Place) -> float:
    d = distance_km(a, b)
    if d is None or d > MAX_DISTANCE_KM:
        return 0.0
    return 1.0 - 0.3 * d / MAX_DISTANCE_KM


def _kind(place: Place) -> str:
    return place.precision or place.feature or "city"


def _rank(kind: str) -> int:
    return list(_COARSE).index(kind) if kind in _COARSE else len(_COARSE)


def _family(incident: Incident) -> str | None:
    return (incident.acled or {}).get("event_type")


def _mention_family(mention) -> str | None:
    return (mention.acled or {}).get("event_type") or mention.type


def _actors(incident: Incident) -> tuple[set[str], set[str]]:
    """The actor names (casefolded) and codes that the incident or any of its mentions gives."""
    sides = [(incident.actor1, incident.actor1_code), (incident.actor2, incident.actor2_code)]
    for m in incident.mentions:
        sides += [(m.actor1, m.actor1_code), (m.actor2, m.actor2_code)]
    return {n.casefold() for n, _ in sides if n}, {c for _, c in sides if c}


def _parse_date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        if len(value) == 7:
            return date.fromisoformat(value + "-01")
        if len(value) == 4:
            return date(int(value), 1, 1)
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


@functools.cache
def _types() -> dict:
    data = tomllib.loads(resources.files("wirecoder").joinpath("data/incidents/types.toml").read_text("utf-8"))
    pairs = {frozenset((a, b)) for g in data["groups"] for a in g["types"] for b in g["types"] if a != b}
    return {"scores": data["scores"], "pairs": pairs}
