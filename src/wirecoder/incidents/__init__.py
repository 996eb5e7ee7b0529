"""Incidents: the events of different articles that tell one real-world happening, merged into one record.

The store calls this module for every stored event: `incident_from_event` makes a one-mention incident, the store
fetches candidate incidents by blocking (same country or within `MAX_DISTANCE_KM`, date ranges that meet,
types that may match: see `block_keys`), keeps the best `match_score` at or above `MATCH_THRESHOLD` (computed as
`score_keys` from the `match_keys` the store keeps beside each incident) and `merge`s into it, or else stores the
new incident. Every function here is pure: records in, records out.
"""

from .build import incident_from_event
from .match import (
    MATCH_THRESHOLD,
    MAX_DISTANCE_KM,
    MatchKeys,
    block_keys,
    date_range,
    days,
    distance_km,
    match_keys,
    match_score,
    matching_types,
    place_kind,
    score_keys,
)
from .merge import aggregate, mention_order, merge, source_name

__all__ = [
    "MATCH_THRESHOLD",
    "MAX_DISTANCE_KM",
    "MatchKeys",
    "aggregate",
    "block_keys",
    "date_range",
    "days",
    "distance_km",
    "incident_from_event",
    "match_keys",
    "match_score",
    "matching_types",
    "mention_order",
    "merge",
    "place_kind",
    "score_keys",
    "source_name",
]
