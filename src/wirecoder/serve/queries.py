"""Reads the API needs beyond the Store's public methods: one incident or event by id, pages, counts, lists of
actors and places. They run on the store's own tables and filters, so that they agree with `Store.incidents()`
and `Store.events()` on what a filter means.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import islice
from typing import Any

import orjson

from ..records import Report
from ..store import Store
from ..store.db import _km, _marks


@dataclass(frozen=True)
class Filters:
    """The filters of every list endpoint, with the meaning `Store.incidents()` and `Store.events()` give them."""

    country: str | None = None
    type: str | None = None
    since: str | None = None
    until: str | None = None
    near: tuple[float, float, float] | None = None
    actor: str | None = None
    text: str | None = None


def _where(store: Store, alias: str, filters: Filters) -> tuple[list[str], list[Any]]:
    """WHERE clauses and parameters for the filters, as `Store.events()` (alias "e", with the article as "a")
    and `Store.incidents()` (alias "i") build them: Store has no paged or counting query yet, so this reuses
    its filter clauses to keep one meaning per filter."""
    where, params = store._filters(alias, filters.country, filters.type, filters.since, filters.until,
                                   filters.near, filters.actor)
    if filters.text:
        text_filter = store.dialect.TEXT_FILTER
        if alias == "i":
            text_filter = ("EXISTS (SELECT 1 FROM incident_events ie JOIN events e ON e.id = ie.event "
                           f"JOIN articles a ON a.id = e.article WHERE ie.incident = i.id AND {text_filter})")
        where.append(text_filter)
        params.append(store.dialect.text_query(filters.text))
    return where, params


def _within(filters: Filters, lat: float | None, lon: float | None) -> bool:
    """The `near` circle (the SQL filter only narrows to the box around it)."""
    return _km(filters.near[0], filters.near[1], lat, lon) <= filters.near[2]


def _page_ids(store: Store, source: str, alias: str, order: str, filters: Filters, offset: int,
              limit: int) -> tuple[list[int], bool]:
    """Row ids of one page, and whether more follow. Only ids are sorted and skipped, so a page costs the same
    whether the filters keep ten rows or ten thousand; the records are read for the page alone."""
    where, params = _where(store, alias, filters)
    # coordinates only for `near`: an index that holds every filtered column (and the id) then answers alone
    columns = f"{alias}.id AS id, {alias}.lat AS lat, {alias}.lon AS lon" if filters.near else f"{alias}.id AS id"
    query = (f"SELECT {columns} FROM {source}" + (" WHERE " + " AND ".join(where) if where else "")
             + f" ORDER BY {order}")
    if filters.near:
        inside = (r["id"] for r in store.execute(query, params) if _within(filters, r["lat"], r["lon"]))
        ids = list(islice(inside, offset, offset + limit + 1))  # read rows only until the page is full
    else:
        ids = [r["id"] for r in store.execute(query + f" LIMIT {int(limit) + 1} OFFSET {int(offset)}", params)]
    return ids[:limit], len(ids) > limit


def incidents(store: Store, filters: Filters, offset: int, limit: int) -> tuple[list[dict[str, Any]], bool]:
    """A page of incidents (their JSON form) in `Store.incidents()` order: by date, undated last."""
    ids, more = _page_ids(store, "incidents i", "i", "(i.date_start IS NULL), i.date_start, i.id", filters, offset,
                          limit)
    if not ids:
        return [], more
    return [incident.to_dict() for incident in store.incidents_by_pk(ids)], more


def events(store: Store, filters: Filters, offset: int, limit: int) -> tuple[list[dict[str, Any]], bool]:
    """A page of events in `Store.events()` order (as stored), each as {"event_id", "event", "place",
    "incident_id", "article"}: the stored JSON text of the event and of its place (None when unplaced), and
    its article's metadata. `views.event_item` makes the JSON of one."""
    source = "events e JOIN articles a ON a.id = e.article" if filters.text else "events e"
    ids, more = _page_ids(store, source, "e", "e.id", filters, offset, limit)
    if not ids:
        return [], more
    rows = store.execute(
        "SELECT e.id, e.event_id, e.data, p.data AS place, i.incident_id, a.article_id, a.content_hash, a.title, "
        "a.url, a.outlet, a.published FROM events e JOIN articles a ON a.id = e.article "
        "LEFT JOIN places p ON p.article = e.article AND p.place_id = e.location "
        "LEFT JOIN incident_events ie ON ie.event = e.id LEFT JOIN incidents i ON i.id = ie.incident "
        f"WHERE e.id IN ({_marks(ids)})",
        ids,
    ).fetchall()
    by_id = {r["id"]: r for r in rows}
    out = []
    for i in ids:
        r = by_id[i]
        out.append({
            "event_id": r["event_id"], "event": r["data"], "place": r["place"], "incident_id": r["incident_id"],
            "article": {"id": r["article_id"], "content_hash": r["content_hash"], "title": r["title"],
                        "url": r["url"], "outlet": r["outlet"], "published": r["published"]},
        })
    return out, more


def incident_of_event(store: Store, content_hash: str, event_id: str) -> str | None:
    """The id of the incident an article's event was counted in."""
    row = store.execute(
        "SELECT i.incident_id FROM events e JOIN articles a ON a.id = e.article "
        "JOIN incident_events ie ON ie.event = e.id JOIN incidents i ON i.id = ie.incident "
        "WHERE a.content_hash = ? AND e.event_id = ?",
        (content_hash, event_id),
    ).fetchone()
    return row["incident_id"] if row else None


def has_article(store: Store, key: str) -> bool:
    """Whether an article with this id or content hash is stored (so that `Store.article` will find it)."""
    row = store.execute("SELECT 1 FROM articles WHERE article_id = ? OR content_hash = ? LIMIT 1", (key, key))
    return row.fetchone() is not None


def reports(store: Store, content_hashes: list[str]) -> dict[str, tuple[str, Report]]:
    """content hash -> (article text, report) for the articles of an incident's mentions, in one query."""
    if not content_hashes:
        return {}
    rows = store.execute(
        f"SELECT content_hash, text, title, report FROM articles WHERE content_hash IN ({_marks(content_hashes)})",
        content_hashes
    ).fetchall()
    return {r["content_hash"]: (r["text"], Report.from_dict(orjson.loads(r["report"]))) for r in rows}


def counts(store: Store, by: str, filters: Filters, of: str = "incidents") -> list[dict[str, Any]]:
    """How many incidents (or events) match, grouped by type, country or ISO week (its Monday), biggest first
    (weeks in date order, empty weeks included, so that a timeline has no gaps)."""
    alias = "i" if of == "incidents" else "e"
    where, params = _where(store, alias, filters)
    source = "incidents i" if of == "incidents" else (
        "events e JOIN articles a ON a.id = e.article" if filters.text else "events e")
    day = "i.date_start" if of == "incidents" else "e.date"
    key = {"type": f"{alias}.type", "country": f"{alias}.country", "week": day}[by]
    query = (f"SELECT {key} AS k, {alias}.lat AS lat, {alias}.lon AS lon FROM {source}" if filters.near else
             f"SELECT {key} AS k, COUNT(*) AS n FROM {source}")
    query += (" WHERE " + " AND ".join(where) if where else "")
    if filters.near:
        rows = Counter(r["k"] for r in store.execute(query, params) if _within(filters, r["lat"], r["lon"]))
    else:
        rows = Counter({r["k"]: r["n"] for r in store.execute(query + f" GROUP BY {key}", params)})
    if by != "week":
        return [{"key": k, "count": n} for k, n in sorted(rows.items(), key=lambda kv: (-kv[1], str(kv[0])))]
    return _weeks(rows)


def _weeks(by_day: Counter) -> list[dict[str, Any]]:
    weeks: Counter = Counter()
    undated = 0
    for day, n in by_day.items():
        try:
            d = date.fromisoformat(str(day)[:10])
        except ValueError:
            undated += n
            continue
        weeks[d - timedelta(days=d.weekday())] += n
    out = []
    if weeks:
        week, last = min(weeks), max(weeks)
        while week <= last:
            out.append({"key": week.isoformat(), "count": weeks.get(week, 0)})
            week += timedelta(days=7)
    if undated:
        out.append({"key": None, "count": undated})
    return out


def actors(store: Store, q: str | None, offset: int, limit: int) -> tuple[list[dict[str, Any]], bool]:
    """Actors by name with their type and codes, and in how many stored articles each appears (most first)."""
    where, params = "", []
    if q:
        where, params = "WHERE LOWER(name) LIKE ?", [f"%{q.lower()}%"]
    rows = store.execute(
        "SELECT name, MIN(type) AS type, MIN(inter) AS inter, MIN(code) AS code, MIN(country) AS country, "
        f"COUNT(DISTINCT article) AS articles FROM actors {where} GROUP BY name "
        f"ORDER BY articles DESC, name LIMIT {int(limit) + 1} OFFSET {int(offset)}",
        params,
    ).fetchall()
    return [dict(r) for r in rows[:limit]], len(rows) > limit


def places(store: Store, q: str | None, country: str | None, offset: int,
           limit: int) -> tuple[list[dict[str, Any]], bool]:
    """Gazetteer places named in stored articles, with coordinates and mention counts (most first)."""
    where, params = ["geonameid IS NOT NULL"], []
    if q:
        where.append("LOWER(name) LIKE ?")
        params.append(f"%{q.lower()}%")
    if country:
        where.append("country = ?")
        params.append(country.upper())
    rows = store.execute(
        "SELECT geonameid, MIN(name) AS name, MIN(country) AS country, MIN(admin1) AS admin1, "
        "MIN(feature) AS feature, MIN(lat) AS lat, MIN(lon) AS lon, COUNT(*) AS mentions, "
        f"COUNT(DISTINCT article) AS articles FROM places WHERE {' AND '.join(where)} GROUP BY geonameid "
        f"ORDER BY articles DESC, mentions DESC, geonameid LIMIT {int(limit) + 1} OFFSET {int(offset)}",
        params,
    ).fetchall()
    return [dict(r) for r in rows[:limit]], len(rows) > limit
