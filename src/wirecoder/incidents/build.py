"""One article's event as a one-mention incident: ids resolved through the report into names and values."""

from __future__ import annotations

import copy
import hashlib
from collections import Counter

from ..records import Actor, DateMention, Event, Incident, IncidentMention, Place, Report
from .merge import aggregate


def incident_from_event(report: Report, event: Event) -> Incident:
    """A one-mention incident from `event` of `report`; its `id` is stable across runs and stores.

    The event's place, date and actor ids are resolved through the report, because an incident outlives the
    article's id space. An event without a dated mention is dated by the publication date (`date_explicit` is
    then False, and matching allows for the days before publication).
    """
    place = _place(report, event)
    date_mention = report.by_id(event.date)
    explicit = isinstance(date_mention, DateMention) and date_mention.value is not None
    date = event.date_value or (date_mention.value if explicit else None) or (report.published or "")[:10] or None
    precision = event.date_precision or (date_mention.precision if explicit else None) or ("day" if date else None)
    a1, a2 = _actor(report, event.actor1), _actor(report, event.actor2)
    assoc = [a.name for a in (_actor(report, i) for i in event.assoc_actors) if a is not None]
    fatalities = event.fatalities
    if fatalities is None and event.fatalities_range:
        fatalities = event.fatalities_range[0]
    sentence = " ".join(s.text for s in event.evidence if s.text) or event.trigger.text
    mention = IncidentMention(
        article_id=report.id,
        event_id=event.id,
        content_hash=report.content_hash,
        outlet=report.outlet,
        url=report.url,
        published=report.published,
        trigger_start=event.trigger.start,
        trigger_end=event.trigger.end,
        sentence=sentence,
        confidence=event.confidence,
        type=event.type,
        acled=event.acled,
        cameo=event.cameo,
        plover=event.plover,
        date=date,
        date_precision=precision,
        date_explicit=explicit,
        place=place,
        actor1=a1.name if a1 else None,
        actor1_inter=a1.inter if a1 else None,
        actor1_code=a1.code if a1 else None,
        actor2=a2.name if a2 else None,
        actor2_inter=a2.inter if a2 else None,
        actor2_code=a2.code if a2 else None,
        assoc_actors=assoc,
        fatalities=fatalities,
    )
    return aggregate(incident_id(report.content_hash, event.id), [mention])


def incident_id(content_hash: str, event_id: str) -> str:
    """A stable id from the article's content and the event's id in it ("i" + 16 hex digits)."""
    return "i" + hashlib.sha1(f"{content_hash}:{event_id}".encode()).hexdigest()[:16]


def _place(report: Report, event: Event) -> Place | None:
    """The event's place when the gazetteer resolved it; else (an event placed nowhere, or at a name the
    gazetteer does not know, such as a neighbourhood) the resolved place of another event of the same type in
    the article, else the place most of the article's events happen at, with its confidence halved: an article
    names its town once and then comes back to "the attack". Without coordinates or a country the store could
    not find the incident the event belongs to."""
    own = report.by_id(event.location)
    own = own if isinstance(own, Place) else None
    if own is not None and _resolved(own):
        return copy.copy(own)
    located = [(other.type, report.by_id(other.location)) for other in report.events]
    located = [(kind, p) for kind, p in located if isinstance(p, Place) and _resolved(p)]
    same_type = [p for kind, p in located if kind == event.type]
    counts = Counter(p.id for _, p in located)
    main = max((p for _, p in located), key=lambda p: counts[p.id], default=None)  # first of the most frequent
    borrowed = same_type[0] if same_type else main
    if borrowed is None:
        return copy.copy(own) if own is not None else None
    borrowed = copy.copy(borrowed)
    borrowed.confidence = round(borrowed.confidence / 2, 4)
    return borrowed


def _resolved(place: Place) -> bool:
    return place.geonameid is not None or place.lat is not None


def _actor(report: Report, actor_id: str | None) -> Actor | None:
    actor = report.by_id(actor_id)
    return actor if isinstance(actor, Actor) else None
