"""GDELT-2-like events and mentions tables (tab-separated, with a header of GDELT's column names).

Only the columns wirecoder can fill are written, in GDELT's order (events.md §1.1): one events row per incident,
one mentions row per article that tells it. GLOBALEVENTID is the incident id read as an integer (its first 15 hex
digits), so that both tables join on it; GoldsteinScale is the CAMEO root's score.
"""

from __future__ import annotations

import csv
import functools
import tomllib
from collections.abc import Iterable
from datetime import date
from importlib import resources
from typing import TextIO

from ..records import Incident
from .countries import country, is_iso3

EVENT_COLUMNS = (
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    "Actor1Code", "Actor1Name", "Actor1CountryCode", "Actor1Type1Code",
    "Actor2Code", "Actor2Name", "Actor2CountryCode", "Actor2Type1Code",
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles",
    "ActionGeo_Type", "ActionGeo_FullName", "ActionGeo_CountryCode", "ActionGeo_ADM1Code",
    "ActionGeo_Lat", "ActionGeo_Long", "ActionGeo_FeatureID", "DATEADDED", "SOURCEURL",
)  # fmt: skip
MENTION_COLUMNS = (
    "GLOBALEVENTID", "EventTimeDate", "MentionTimeDate", "MentionType", "MentionSourceName",
    "MentionIdentifier", "ActionCharOffset", "InRawText", "Confidence",
)  # fmt: skip

_WEB = 1  # MentionType: a web article
# ActionGeo_Type: 1 country, 2 US state, 3 US city, 4 world city, 5 world state (ADM1)
_GEO_TYPE = {"country": 1, "region": 1, "continent": 1, "admin1": 5}


def write_gdelt(incidents: Iterable[Incident], events_out: TextIO, mentions_out: TextIO) -> dict[str, int]:
    """Write both tables; returns {"events": n, "mentions": n}."""
    events = csv.DictWriter(events_out, EVENT_COLUMNS, delimiter="\t", lineterminator="\n")
    mentions = csv.DictWriter(mentions_out, MENTION_COLUMNS, delimiter="\t", lineterminator="\n")
    events.writeheader()
    mentions.writeheader()
    counts = {"events": 0, "mentions": 0}
    for incident in incidents:
        events.writerow(event_row(incident))
        counts["events"] += 1
        for row in mention_rows(incident):
            mentions.writerow(row)
            counts["mentions"] += 1
    return counts


def global_event_id(incident_id: str) -> int:
    """The incident id as GDELT's integer id: 60 bits of its hash, below any signed 64-bit limit."""
    return int(incident_id.removeprefix("i")[:15], 16)


def event_row(incident: Incident) -> dict:
    """The GDELT events row of one incident."""
    day = _day(incident.date)
    cameo = incident.cameo or ""
    root = _roots().get(cameo[:2], {}) if cameo else {}
    place = incident.place
    facts = country(place.country) if place else None
    kind = (place.precision or place.feature or "city") if place else None
    geo_type = ""
    if place and place.lat is not None:
        geo_type = _GEO_TYPE.get(kind, 4)
        if place.country == "US" and geo_type in (4, 5):
            geo_type = 3 if geo_type == 4 else 2
    full_name = _full_name(place, kind, facts["name"] if facts else None) if place else ""
    urls = [m.url for m in incident.mentions if m.url]
    added = max((m.published or "" for m in incident.mentions), default="")
    return {
        "GLOBALEVENTID": global_event_id(incident.id),
        "SQLDATE": day.strftime("%Y%m%d") if day else "",
        "MonthYear": day.strftime("%Y%m") if day else "",
        "Year": day.year if day else "",
        "FractionDate": f"{day.year + (day.timetuple().tm_yday - 1) / 365:.4f}" if day else "",
        **_actor("Actor1", incident.actor1, incident.actor1_code),
        **_actor("Actor2", incident.actor2, incident.actor2_code),
        "IsRootEvent": 1,
        "EventCode": cameo,
        "EventBaseCode": cameo[:3],
        "EventRootCode": cameo[:2],
        "QuadClass": root.get("quad", ""),
        "GoldsteinScale": root.get("goldstein", ""),
        "NumMentions": len(incident.mentions),
        "NumSources": incident.num_sources,
        "NumArticles": incident.num_articles,
        "ActionGeo_Type": geo_type,
        "ActionGeo_FullName": full_name,
        "ActionGeo_CountryCode": facts["fips"] if facts else "",
        "ActionGeo_ADM1Code": (facts["fips"] + (place.admin1 or "")) if facts else "",
        "ActionGeo_Lat": place.lat if place and place.lat is not None else "",
        "ActionGeo_Long": place.lon if place and place.lon is not None else "",
        "ActionGeo_FeatureID": place.geonameid if place and place.geonameid else "",
        "DATEADDED": _stamp(added),
        "SOURCEURL": urls[0] if urls else "",
    }


def mention_rows(incident: Incident) -> list[dict]:
    """One GDELT mentions row per article that tells the incident."""
    event_time = _stamp(incident.date or "")
    return [
        {
            "GLOBALEVENTID": global_event_id(incident.id),
            "EventTimeDate": event_time,
            "MentionTimeDate": _stamp(m.published or ""),
            "MentionType": _WEB,
            "MentionSourceName": m.outlet or "",
            "MentionIdentifier": m.url or m.article_id,
            "ActionCharOffset": m.trigger_start if m.trigger_start is not None else -1,
            "InRawText": 1,
            "Confidence": round(100 * m.confidence),
        }
        for m in incident.mentions
    ]


def _full_name(place, kind: str, country_name: str | None) -> str:
    """GDELT's "place, province, country" form, without repeats."""
    parts = [place.name if kind not in ("country", "admin1") else None,
             place.admin1_name or (place.name if kind == "admin1" else None), country_name]  # fmt: skip
    return ", ".join(dict.fromkeys(p for p in parts if p))


def _actor(prefix: str, name: str | None, code: str | None) -> dict:
    """Name and CAMEO code; a code that starts with a country's alpha-3 code gives the country and the role."""
    code = code or ""
    national = is_iso3(code[:3])
    return {
        f"{prefix}Code": code,
        f"{prefix}Name": (name or "").upper(),
        f"{prefix}CountryCode": code[:3] if national else "",
        f"{prefix}Type1Code": code[3:6] if national else code[:3],
    }


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat((value or "")[:10])
    except ValueError:
        return None


def _stamp(value: str) -> str:
    """YYYYMMDDHHMMSS of an ISO date or datetime (a bare date at midnight)."""
    digits = "".join(ch for ch in value[:19] if ch.isdigit())
    return (digits + "000000")[:14] if len(digits) >= 8 else ""


@functools.cache
def _roots() -> dict:
    return tomllib.loads(resources.files("wirecoder").joinpath("data/export/cameo.toml").read_text("utf-8"))["roots"]
