"""Places: find the place mentions of an article and resolve each to the GeoNames gazetteer.

`recognize` finds mentions (spaCy's GPE/LOC/FAC, repaired and completed with the gazetteer), `resolve` picks the
place each refers to, and the stage writes them as `Place` records with the evidence they were resolved by.
The gazetteer index is built on first use (see `gazetteer` and docs/gazetteer.md).
"""

from __future__ import annotations

from typing import Any

from ..records import Place
from .gazetteer import default_path, load_gazetteer
from .recognize import Recognizer
from .resolve import resolve

# how exact an event placed at this kind of place can be
_PRECISION = {"city": "city", "admin2": "admin2", "admin1": "admin1", "country": "country", "region": "region",
              "sea": "region", "continent": "region"}
_SOURCE_CONFIDENCE = {"ner": 1.0, "qualifier": 1.0, "demonym": 0.9, "reference": 0.9, "repair": 0.8,
                      "split": 0.9, "nested": 0.75, "unlabelled": 0.7}


def make_stage(config: dict[str, Any]):
    gazetteer = load_gazetteer(str(default_path(config)))
    recognizer = Recognizer(gazetteer)

    def places_stage(adoc) -> None:
        for res in resolve(recognizer(adoc.doc, adoc.text), gazetteer):
            m, p = res.mention, res.place
            confidence = round(res.confidence * _SOURCE_CONFIDENCE.get(m.source, 0.7), 3)
            place = Place(id=f"p{len(adoc.places) + 1}", start=m.start, end=m.end, text=m.text,
                          confidence=confidence if p else 0.0, resolved_by=res.resolved_by)
            if p is not None:
                place.geonameid = p.geonameid
                place.name = p.name
                place.country = p.country
                place.admin1 = p.admin1 if p.feature not in ("country", "continent", "region", "sea") else None
                place.admin1_name = gazetteer.admin1_name(p.country, place.admin1)
                place.lat = p.lat
                place.lon = p.lon
                place.feature = "region" if p.feature == "sea" else p.feature
                place.precision = _PRECISION.get(p.feature, "city")
            adoc.places.append(place)

    return places_stage
