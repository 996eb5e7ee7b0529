"""Merging incidents: the mentions of both, and every field re-voted over all mentions.

Each field is voted afresh from the mentions, never from the previous aggregate, so the result does not depend on
the order articles arrive in. A mention weighs its confidence divided by the number of mentions from its source:
an outlet that runs the story three times has one source's say.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable
from urllib.parse import urlsplit

from ..records import Incident, IncidentMention, Place
from .match import days, place_score

# finer first: the most precise of the agreeing places wins
_PLACE_RANK = {"landmark": 0, "city": 1, "admin2": 2, "admin1": 3, "region": 4, "country": 5, "continent": 6}
_DATE_RANK = {"day": 0, "week": 1, "month": 2, "year": 3}
_DEFAULT_WEIGHT = 0.5  # a mention whose event carries no confidence


def source_name(outlet: str | None, url: str | None) -> str | None:
    """The name a source is counted under: the outlet, else the host of the url without "www."."""
    if outlet and outlet.strip():
        return outlet.strip()
    if url:
        host = urlsplit(url if "//" in url else f"//{url}").hostname
        if host:
            return host.removeprefix("www.")
    return None


def mention_order(mention: IncidentMention) -> tuple:
    """The order of an incident's mentions: first reported first, then by source name (the order of `sources`,
    and of ties in every vote)."""
    return (mention.published or "", source_name(mention.outlet, mention.url) or "", mention.content_hash,
            mention.article_id, mention.event_id)


def merge(existing: Incident, new: Incident) -> Incident:
    """`existing` told once more by `new`: mentions added (once per article and event), fields re-voted.

    The merged incident keeps `existing.id`, the id the store already links events to.
    """
    return aggregate(existing.id, [*existing.mentions, *new.mentions])


def aggregate(incident_id: str, mentions: Iterable[IncidentMention]) -> Incident:
    """The incident the mentions support: the weighted majority of each field, the most precise place and date
    among those most mentions agree with, and a confidence that rises with independent sources."""
    unique = {}
    for m in mentions:
        unique.setdefault((m.content_hash or m.article_id, m.event_id), m)
    ms = sorted(unique.values(), key=mention_order)
    keys = [source_name(m.outlet, m.url) for m in ms]
    per_source = defaultdict(int)
    for key in keys:
        per_source[key] += 1
    weight = {id(m): (m.confidence or _DEFAULT_WEIGHT) / per_source[k] for m, k in zip(ms, keys)}

    type_ = _vote(ms, weight, lambda m: m.type)
    typed = _best(ms, weight, lambda m: m.type == type_)
    place = _choose_place(ms, weight)
    date_mention = _choose_date(ms, weight)
    actor1 = _vote(ms, weight, lambda m: m.actor1)
    actor2 = _vote(ms, weight, lambda m: m.actor2 if m.actor2 != actor1 else None)
    a1 = _best(ms, weight, lambda m: actor1 is not None and actor1 in (m.actor1, m.actor2))
    a2 = _best(ms, weight, lambda m: actor2 is not None and actor2 in (m.actor1, m.actor2))
    assoc = _ranked(ms, weight, lambda m: m.assoc_actors)
    fatalities = _vote(ms, weight, lambda m: m.fatalities, prefer=lambda v: v)

    best_by_source: dict = {}
    for m, key in zip(ms, keys):
        best_by_source[key] = max(best_by_source.get(key, 0.0), m.confidence)
    doubt = 1.0
    for c in best_by_source.values():
        doubt *= 1.0 - min(c, 0.99)

    return Incident(
        id=incident_id,
        type=type_ or "OTHER",
        acled=typed.acled if typed else None,
        cameo=typed.cameo if typed else None,
        plover=typed.plover if typed else None,
        date=date_mention.date if date_mention else None,
        date_precision=date_mention.date_precision if date_mention else None,
        place=place,
        actor1=actor1,
        actor1_inter=_side(a1, actor1, "inter"),
        actor1_code=_side(a1, actor1, "code"),
        actor2=actor2,
        actor2_inter=_side(a2, actor2, "inter"),
        actor2_code=_side(a2, actor2, "code"),
        assoc_actors=[a for a in assoc if a not in (actor1, actor2)],
        fatalities=fatalities,
        num_articles=len({m.content_hash or m.article_id for m in ms}),
        num_sources=len(per_source),
        sources=list(dict.fromkeys(k for k in keys if k)),
        mentions=ms,
        notes=typed.sentence if typed else "",
        confidence=round(1.0 - doubt, 4),
    )


def _vote(ms, weight, value: Callable[[IncidentMention], Hashable], prefer=None):
    """The value with the most weight behind it (None values abstain); ties go to `prefer`'s largest, then the
    earliest mention's."""
    totals: dict = {}
    for m in ms:
        v = value(m)
        if v is not None:
            totals[v] = totals.get(v, 0.0) + weight[id(m)]
    if not totals:
        return None
    first = {v: i for i, v in enumerate(totals)}
    return max(totals, key=lambda v: (round(totals[v], 9), prefer(v) if prefer else 0, -first[v]))


def _ranked(ms, weight, values: Callable[[IncidentMention], list]) -> list:
    totals: dict = {}
    for m in ms:
        for v in values(m):
            totals[v] = totals.get(v, 0.0) + weight[id(m)]
    return sorted(totals, key=lambda v: -round(totals[v], 9))  # stable: ties keep first-mentioned order


def _best(ms, weight, keep: Callable[[IncidentMention], bool]) -> IncidentMention | None:
    kept = [(i, m) for i, m in enumerate(ms) if keep(m)]
    return max(kept, key=lambda im: (round(weight[id(im[1])], 9), -im[0]))[1] if kept else None


def _side(m: IncidentMention | None, name: str | None, attr: str):
    if m is None or name is None:
        return None
    return getattr(m, f"actor1_{attr}") if m.actor1 == name else getattr(m, f"actor2_{attr}")


def _choose_place(ms, weight) -> Place | None:
    """The most precise place among those that the most mention weight is compatible with.

    Mentions are grouped by place first: a story told a thousand times names a handful of places.
    """
    groups: dict = {}
    for m in ms:
        if m.place is not None:
            key = m.place.geonameid or (m.place.lat, m.place.lon, m.place.text)
            groups.setdefault(key, []).append(m)
    if not groups:
        return None
    mass = {k: sum(weight[id(m)] for m in g) for k, g in groups.items()}
    firsts = {k: g[0].place for k, g in groups.items()}
    support = {k: sum(mass[o] for o in groups if place_score(firsts[k], firsts[o]) > 0) for k in groups}
    top = max(support.values())
    agreeing = [k for k in groups if support[k] >= top - 1e-9]  # min() keeps the first of equals
    best = min(
        agreeing,
        key=lambda k: (_PLACE_RANK.get(firsts[k].precision or firsts[k].feature or "city", 1), -round(mass[k], 9)),
    )
    return max(groups[best], key=lambda m: m.place.confidence).place


def _choose_date(ms, weight) -> IncidentMention | None:
    """The mention with the most precise date among those whose day ranges the most mention weight overlaps;
    a date the text gives beats a publication date."""
    groups: dict = {}
    for m in ms:
        span = days(m.date, m.date_precision, m.date_explicit)
        if span is not None:
            groups.setdefault((span, m.date_explicit, m.date_precision or "day"), []).append(m)
    if not groups:
        return None
    mass = {k: sum(weight[id(m)] for m in g) for k, g in groups.items()}
    support = {k: sum(mass[o] for o in groups if k[0][0] <= o[0][1] and o[0][0] <= k[0][1]) for k in groups}
    top = max(support.values())
    agreeing = [k for k in groups if support[k] >= top - 1e-9]
    best = min(agreeing, key=lambda k: (not k[1], _DATE_RANK.get(k[2], 0), -round(mass[k], 9)))
    return groups[best][0]
