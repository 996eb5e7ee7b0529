"""ACLED-style CSV: one row per incident, ACLED's 31 columns in ACLED's order.

Only incidents of an ACLED type are written (the five CASE 2021 types outside ACLED, such as DIPLO, have no ACLED
row); `all_types=True` writes them too, with their type code as sub_event_type and empty event and disorder type.
"""

from __future__ import annotations

import csv
import functools
import tomllib
from collections.abc import Iterable
from datetime import date, datetime, timezone
from importlib import resources
from typing import TextIO

from ..records import Incident
from .countries import country

ACLED_COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting",
    "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude",
    "geo_precision", "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
)  # fmt: skip

_CIVILIANS = 7


def write_acled_csv(incidents: Iterable[Incident], out: TextIO, all_types: bool = False) -> dict[str, int]:
    """Write the rows to `out`; returns {"written": n, "not_acled": n} (incidents left out for their type)."""
    writer = csv.DictWriter(out, fieldnames=ACLED_COLUMNS, lineterminator="\n")
    writer.writeheader()
    counts = {"written": 0, "not_acled": 0}
    for incident in incidents:
        row = acled_row(incident, all_types=all_types)
        if row is None:
            counts["not_acled"] += 1
            continue
        writer.writerow(row)
        counts["written"] += 1
    return counts


def acled_row(incident: Incident, all_types: bool = False) -> dict | None:
    """The ACLED row of an incident, or None when its type is outside ACLED (and `all_types` is False)."""
    codes = _codes()
    acled = incident.acled or _acled_of(incident.type)
    if acled is None and not all_types:
        return None
    event_type = acled["event_type"] if acled else ""
    sub_event_type = acled["sub_event_type"] if acled else incident.type
    place = incident.place
    facts = country(place.country) if place else None
    country_name = facts["name"] if facts else ""

    actor1, inter1 = incident.actor1, incident.actor1_inter
    if not actor1 and event_type in codes["unnamed_actor1"] and country_name:
        name, inter1 = codes["unnamed_actor1"][event_type]
        actor1 = name.format(country=country_name)
    inters = sorted(i for i in (inter1, incident.actor2_inter if incident.actor2 else None) if i)
    interaction = inters[0] * 10 + (inters[1] if len(inters) > 1 else 0) if inters else ""
    targets_civilians = event_type == "Violence against civilians" or (
        incident.actor2_inter == _CIVILIANS and event_type in ("Battles", "Explosions/Remote violence", "Riots")
    )
    kind = _kind(place)
    explicit = not incident.mentions or any(m.date_explicit and m.date == incident.date for m in incident.mentions)
    precision = codes["time_precision"].get(incident.date_precision or "day", 3) if incident.date else ""
    if precision == 1 and not explicit:
        precision = 2  # dated by the publication: the event fell in the days before it
    return {
        "event_id_cnty": f"{facts['iso3'] if facts else 'XXX'}{incident.id.removeprefix('i')}",
        "event_date": incident.date or "",
        "year": incident.date[:4] if incident.date else "",
        "time_precision": precision,
        "disorder_type": codes["disorder_type"].get(sub_event_type, ""),
        "event_type": event_type,
        "sub_event_type": sub_event_type,
        "actor1": actor1 or "",
        "assoc_actor_1": "; ".join(incident.assoc_actors),
        "inter1": inter1 or "",
        "actor2": incident.actor2 or "",
        "assoc_actor_2": "",
        "inter2": (incident.actor2_inter or "") if incident.actor2 else "",
        "interaction": interaction,
        "civilian_targeting": "Civilian targeting" if targets_civilians else "",
        "iso": facts["isonumeric"] if facts else "",
        "region": facts["region"] if facts else "",
        "country": country_name,
        "admin1": (place.admin1_name or (place.name if kind == "admin1" else "")) if place else "",
        "admin2": place.name if kind == "admin2" else "",
        "admin3": "",
        "location": (place.name or place.text) if place else "",
        "latitude": round(place.lat, 4) if place and place.lat is not None else "",
        "longitude": round(place.lon, 4) if place and place.lon is not None else "",
        "geo_precision": codes["geo_precision"].get(kind, 3) if kind else "",
        "source": "; ".join(incident.sources),
        "source_scale": "",
        "notes": incident.notes,
        "fatalities": incident.fatalities or 0,
        "tags": "",
        "timestamp": _timestamp(incident),
    }


def _kind(place) -> str | None:
    """How exact the place is; None for a place the gazetteer did not resolve (a name without coordinates)."""
    if place is None or (place.lat is None and place.geonameid is None):
        return None
    return place.precision or place.feature or "city"


def _timestamp(incident: Incident) -> int | str:
    """When the incident last changed: the publication of its newest report, as Unix seconds."""
    days = []
    for m in incident.mentions:
        try:
            days.append(date.fromisoformat((m.published or "")[:10]))
        except ValueError:
            continue
    if not days:
        return ""
    newest = max(days)
    return int(datetime(newest.year, newest.month, newest.day, tzinfo=timezone.utc).timestamp())


def _acled_of(type_code: str) -> dict | None:
    from ..events.codebook import describe

    try:
        return describe(type_code)["acled"]
    except KeyError:
        return None


@functools.cache
def _codes() -> dict:
    return tomllib.loads(resources.files("wirecoder").joinpath("data/export/acled.toml").read_text("utf-8"))
