"""GeoJSON FeatureCollection of incident points, for QGIS, Leaflet and geojson.io.

Properties are flat scalars (lists joined with "; ") because QGIS and most web maps read nothing else. An incident
without coordinates cannot be a point: it is left out, counted in the collection's `without_coordinates` member
(with the ids in `without_coordinates_ids`) and in the returned counts, so the caller can report it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TextIO

from ..records import Incident


def write_geojson(incidents: Iterable[Incident], out: TextIO) -> dict[str, int]:
    """Write the collection to `out`; returns {"written": n, "without_coordinates": n}."""
    features, missing = [], []
    for incident in incidents:
        feature = incident_feature(incident)
        if feature is None:
            missing.append(incident.id)
        else:
            features.append(feature)
    collection = {
        "type": "FeatureCollection",
        "features": features,
        "without_coordinates": len(missing),
        "without_coordinates_ids": missing,
    }
    json.dump(collection, out, ensure_ascii=False)
    out.write("\n")
    return {"written": len(features), "without_coordinates": len(missing)}


def incident_feature(incident: Incident) -> dict | None:
    """The Point feature of an incident, or None when its place has no coordinates."""
    place = incident.place
    if place is None or place.lat is None or place.lon is None:
        return None
    acled = incident.acled or {}
    return {
        "type": "Feature",
        "id": incident.id,
        "geometry": {"type": "Point", "coordinates": [round(place.lon, 6), round(place.lat, 6)]},
        "properties": {
            "id": incident.id,
            "type": incident.type,
            "event_type": acled.get("event_type"),
            "sub_event_type": acled.get("sub_event_type"),
            "date": incident.date,
            "date_precision": incident.date_precision,
            "place": place.name or place.text,
            "country": place.country,
            "geonameid": place.geonameid,
            "place_precision": place.precision or place.feature,
            "actor1": incident.actor1,
            "actor2": incident.actor2,
            "actors": "; ".join(a for a in (incident.actor1, incident.actor2, *incident.assoc_actors) if a),
            "fatalities": incident.fatalities,
            "sources": "; ".join(incident.sources),
            "num_sources": incident.num_sources,
            "num_articles": incident.num_articles,
            "confidence": incident.confidence,
            "notes": incident.notes,
        },
    }
