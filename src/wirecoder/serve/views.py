"""The JSON (and GeoJSON) forms the API returns: plain functions from records (or their stored JSON) to dicts.

Spans are always article offsets (code points, end exclusive), with the text they cover, so a client can check
them against the article text and mark them without trusting any markup: the text is data, never HTML.
"""

from __future__ import annotations

from typing import Any

import orjson

from ..records import Article, Attribution, Event, Incident, IncidentMention, Place, Report, Span

# characters shown around a trigger when its event has no evidence span
_CONTEXT = 160


def event_key(content_hash: str, event_id: str) -> str:
    """The id of a stored event across the store: its article's content hash and its id in that article."""
    return f"{content_hash}-{event_id}"


def split_event_key(key: str) -> tuple[str, str] | None:
    content_hash, sep, event_id = key.rpartition("-")
    return (content_hash, event_id) if sep and content_hash and event_id else None


def _article_meta(article: Article) -> dict[str, Any]:
    return {"id": article.id, "content_hash": article.content_hash, "title": article.title, "url": article.url,
            "outlet": article.outlet, "published": article.published}


def event_item(row: dict[str, Any]) -> bytes:
    """One stored event (a row of `queries.events`) as JSON: its key, the event's own fields, its place
    resolved, the incident it is counted in and its article's metadata.

    Spliced from the stored JSON of the event and of its place rather than decoded and encoded again: that
    round trip was a fifth of the CPU of an /events page. The added keys are not Event fields (a test checks),
    so the object has no duplicate key.
    """
    fields = row["event"].strip()[1:-1].strip()
    return b"".join((
        b'{"key":', orjson.dumps(event_key(row["article"]["content_hash"], row["event_id"])),
        b"," + fields.encode() if fields else b"",
        b',"place":', row["place"].encode() if row["place"] else b"null",
        b',"incident_id":', orjson.dumps(row["incident_id"]),
        b',"article":', orjson.dumps(row["article"]), b"}",
    ))


def _point(place: dict[str, Any] | None) -> dict[str, Any] | None:
    if not place or place.get("lat") is None or place.get("lon") is None:
        return None
    return {"type": "Point", "coordinates": [place["lon"], place["lat"]]}


def feature_collection(items: list[dict[str, Any]], id_field: str, extra: dict[str, Any]) -> dict[str, Any]:
    """GeoJSON of list items: the point of each one's place (null geometry when unplaced), the rest as properties.

    An incident's mentions stay out of the properties (the incident endpoint has them with their evidence).
    """
    features = []
    for item in items:
        properties = {k: v for k, v in item.items() if k != "mentions"}
        features.append({"type": "Feature", "id": item[id_field], "geometry": _point(item.get("place")),
                         "properties": properties})
    return {"type": "FeatureCollection", "features": features, **extra}


# -- spans of an article -------------------------------------------------------------------------------------


def _span(span: Span, role: str, owner: str, label: str | None) -> dict[str, Any]:
    return {"start": span.start, "end": span.end, "text": span.text, "role": role, "owner": owner, "label": label}


def _place_label(place: Place) -> str:
    return ", ".join(x for x in (place.name or place.text, place.country) if x)


def article_spans(report: Report) -> list[dict[str, Any]]:
    """Every span of the report, labelled with its role: place, actor, trigger, evidence, source, cue, content."""
    spans = [_span(Span(p.start, p.end, p.text), "place", p.id, _place_label(p)) for p in report.places]
    for actor in report.actors:
        spans += [_span(m, "actor", actor.id, actor.name) for m in actor.mentions]
    for event in report.events:
        spans.append(_span(event.trigger, "trigger", event.id, event.type))
        spans += [_span(s, "evidence", event.id, event.type) for s in event.evidence]
    for q in report.attributions:
        for role, span in (("source", q.source), ("cue", q.cue), ("content", q.content)):
            if span is not None:
                spans.append(_span(span, role, q.id, q.speaker))
    return sorted(spans, key=lambda s: (s["start"], -s["end"]))


def article_detail(article: Article, report: Report) -> dict[str, Any]:
    return {**_article_meta(article), "text": article.text, "spans": article_spans(report),
            "report": report.to_dict()}


# -- who said what ----------------------------------------------------------------------------------------------


def said_by(q: Attribution) -> dict[str, Any]:
    """An attribution as the dashboard shows it: "according to <speaker>" and the words it covers."""
    return {
        "id": q.id,
        "speaker": q.speaker or (q.source.text if q.source else None),
        "source": q.source.to_dict() if q.source else None,
        "cue": q.cue.to_dict() if q.cue else None,
        "content": q.content.to_dict(),
        "kind": q.kind,
        "stance": q.stance,
        "via": q.via,
    }


def _attributions_of(report: Report, event: Event) -> list[Attribution]:
    """The event's own attribution, then any other whose content holds its trigger (quotes nest)."""
    own = report.by_id(event.attribution)
    found = [own] if isinstance(own, Attribution) else []
    for q in report.attributions:
        if q is not own and q.content.start <= event.trigger.start and event.trigger.end <= q.content.end:
            found.append(q)
    return found


def _passages(text: str, event: Event) -> list[tuple[int, int]]:
    """The stretches of text to show for an event: its evidence sentences, else a window around the trigger."""
    spans = sorted((s.start, s.end) for s in event.evidence if 0 <= s.start < s.end <= len(text))
    if not spans:
        start = max(0, event.trigger.start - _CONTEXT)
        return [(start, min(len(text), event.trigger.end + _CONTEXT))]
    merged = [spans[0]]
    for start, end in spans[1:]:
        if start <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def source_view(mention: IncidentMention, text: str | None, report: Report | None) -> dict[str, Any]:
    """One article's account of an incident: its evidence passages with the spans inside each, and who says so."""
    view = {
        "article_id": mention.article_id, "content_hash": mention.content_hash, "event_id": mention.event_id,
        "event_key": event_key(mention.content_hash, mention.event_id),
        "title": report.title if report else None, "outlet": mention.outlet, "url": mention.url,
        "published": mention.published, "type": mention.type, "acled": mention.acled,
        "confidence": mention.confidence,
        "passages": [], "said_by": [],
    }
    event = report.by_id(mention.event_id) if report else None
    if text is None or not isinstance(event, Event):
        # the article is gone (replaced or removed): keep the sentence the incident recorded
        view["passages"] = [{"start": None, "end": None, "text": mention.sentence, "spans": []}]
        return view
    attributions = _attributions_of(report, event)
    # inside a passage: places and actors, this event's trigger, and the source and cue of who says it
    owners = {event.id} | {q.id for q in attributions}
    shown = [s for s in article_spans(report) if s["role"] in ("place", "actor")
             or s["role"] in ("trigger", "source", "cue") and s["owner"] in owners]
    for start, end in _passages(text, event):
        inside = [s for s in shown if start <= s["start"] and s["end"] <= end]
        view["passages"].append({"start": start, "end": end, "text": text[start:end], "spans": inside})
    view["said_by"] = [said_by(q) for q in attributions]
    return view


def incident_detail(incident: Incident, articles: dict[str, tuple[str, Report]]) -> dict[str, Any]:
    """The incident with, for every article that tells it, that article's evidence and attributions."""
    sources = []
    for mention in incident.mentions:
        text, report = articles.get(mention.content_hash, (None, None))
        sources.append(source_view(mention, text, report))
    return {**incident.to_dict(), "source_views": sources}


def event_detail(article: Article, report: Report, event: Event, incident_id: str | None) -> dict[str, Any]:
    """One stored event with its evidence passages and attributions (as an incident's source view shows them)."""
    mention = IncidentMention(article_id=report.id, event_id=event.id, content_hash=report.content_hash,
                              outlet=report.outlet, url=report.url, published=report.published, type=event.type,
                              acled=event.acled, confidence=event.confidence)
    view = source_view(mention, article.text, report)
    place = report.by_id(event.location)
    return {
        "key": event_key(report.content_hash, event.id),
        **event.to_dict(),
        "place": place.to_dict() if isinstance(place, Place) else None,
        "incident_id": incident_id,
        "article": _article_meta(article),
        "passages": view["passages"],
        "said_by": view["said_by"],
    }
