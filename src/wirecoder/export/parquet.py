"""Parquet (pyarrow): one row per incident, flat typed columns plus the mentions as a list of structs, for pandas,
DuckDB and Arrow tools. The schema is fixed, so an empty export still has every column."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import pyarrow as pa
import pyarrow.parquet as pq

from ..records import Incident

_MENTION = pa.struct([
    ("article_id", pa.string()), ("event_id", pa.string()), ("content_hash", pa.string()),
    ("outlet", pa.string()), ("url", pa.string()), ("published", pa.string()),
    ("trigger_start", pa.int64()), ("trigger_end", pa.int64()), ("sentence", pa.string()),
    ("confidence", pa.float64()),
])  # fmt: skip

SCHEMA = pa.schema([
    ("id", pa.string()), ("type", pa.string()), ("event_type", pa.string()), ("sub_event_type", pa.string()),
    ("cameo", pa.string()), ("plover_type", pa.string()), ("plover_mode", pa.string()),
    ("date", pa.date32()), ("date_precision", pa.string()),
    ("place", pa.string()), ("geonameid", pa.int64()), ("country", pa.string()), ("admin1", pa.string()),
    ("admin1_name", pa.string()), ("latitude", pa.float64()), ("longitude", pa.float64()),
    ("place_precision", pa.string()),
    ("actor1", pa.string()), ("actor1_inter", pa.int64()), ("actor1_code", pa.string()),
    ("actor2", pa.string()), ("actor2_inter", pa.int64()), ("actor2_code", pa.string()),
    ("assoc_actors", pa.list_(pa.string())), ("fatalities", pa.int64()),
    ("num_articles", pa.int64()), ("num_sources", pa.int64()), ("sources", pa.list_(pa.string())),
    ("notes", pa.string()), ("confidence", pa.float64()), ("mentions", pa.list_(_MENTION)),
])  # fmt: skip


def write_parquet(incidents: Iterable[Incident], path: str, batch_size: int = 10_000) -> dict[str, int]:
    """Write the incidents to the Parquet file at `path` in row groups of `batch_size`; returns {"written": n}."""
    written = 0
    with pq.ParquetWriter(path, SCHEMA) as writer:
        batch = []
        for incident in incidents:
            batch.append(incident_row(incident))
            if len(batch) >= batch_size:
                writer.write_table(pa.Table.from_pylist(batch, schema=SCHEMA))
                written += len(batch)
                batch = []
        if batch or not written:
            writer.write_table(pa.Table.from_pylist(batch, schema=SCHEMA))
            written += len(batch)
    return {"written": written}


def incident_row(incident: Incident) -> dict:
    """The flat row of one incident (the columns of SCHEMA)."""
    place = incident.place
    acled = incident.acled or {}
    plover = incident.plover or {}
    return {
        "id": incident.id,
        "type": incident.type,
        "event_type": acled.get("event_type"),
        "sub_event_type": acled.get("sub_event_type"),
        "cameo": incident.cameo,
        "plover_type": plover.get("type"),
        "plover_mode": plover.get("mode"),
        "date": _day(incident.date),
        "date_precision": incident.date_precision,
        "place": (place.name or place.text) if place else None,
        "geonameid": place.geonameid if place else None,
        "country": place.country if place else None,
        "admin1": place.admin1 if place else None,
        "admin1_name": place.admin1_name if place else None,
        "latitude": place.lat if place else None,
        "longitude": place.lon if place else None,
        "place_precision": (place.precision or place.feature) if place else None,
        "actor1": incident.actor1,
        "actor1_inter": incident.actor1_inter,
        "actor1_code": incident.actor1_code,
        "actor2": incident.actor2,
        "actor2_inter": incident.actor2_inter,
        "actor2_code": incident.actor2_code,
        "assoc_actors": incident.assoc_actors,
        "fatalities": incident.fatalities,
        "num_articles": incident.num_articles,
        "num_sources": incident.num_sources,
        "sources": incident.sources,
        "notes": incident.notes,
        "confidence": incident.confidence,
        "mentions": [{k: getattr(m, k) for k in _MENTION.names} for m in incident.mentions],
    }


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat((value or "")[:10])
    except ValueError:
        return None
