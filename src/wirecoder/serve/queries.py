"""Reads the API needs beyond the Store's public methods: one incident or event by id, pages, counts, lists of
actors and places. They run on the store's own tables and filters, so that they agree with `Store.incidents()`
and `Store.events()` on what a filter means.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import islice
from typing import Any

from ..records import Event, Incident, Report
from ..store import EventMeta, Store


@dataclass(frozen=True)
class Filters:
    """The filters of every list endpoint, as `Store.incidents()` and `Store.events()` take them."""

    country: str | None = None
    type: str | None = None
    since: str | None = None
    until: str | None = None
    near: tuple[float, float, float] | None = None
    actor: str | None = None
    text: str | None = None

    def kwargs(self) -> dict[str, Any]:
        return {
            "country": self.country, "type": self.type, "since": self.since, "until": self.until,
            "near": self.near, "actor": self.actor, "text": self.text,
        }


def page(items: Iterator[Any], offset: int, limit: int) -> tuple[list[Any], bool]:
    """Items offset..offset+limit of an iterator, and whether there are more after them."""
    rows = list(islice(items, offset, offset + limit + 1))
    return rows[:limit], len(rows) > limit


def incidents(store: Store, filters: Filters, offset: int, limit: int) -> tuple[list[Incident], bool]:
    # the store pages by LIMIT only: ask for the rows before the page too and skip them
    return page(store.incidents(**filters.kwargs(), limit=offset + limit + 1), offset, limit)


def events(store: Store, filters: Filters, offset: int, limit: int) -> tuple[list[tuple[EventMeta, Event]], bool]:
    return page(store.events(**filters.kwargs(), limit=offset + limit + 1), offset, limit)


def incident(store: Store, incident_id: str) -> Incident | None:
    row = store.execute("SELECT data FROM incidents WHERE incident_id = ?", (incident_id,)).fetchone()
    return Incident.from_dict(json.loads(row["data"])) if row else None


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
    marks = ", ".join("?" * len(content_hashes))
    rows = store.execute(
        f"SELECT content_hash, text, title, report FROM articles WHERE content_hash IN ({marks})", content_hashes
    ).fetchall()
    return {r["content_hash"]: (r["text"], Report.from_dict(json.loads(r["report"]))) for r in rows}


def counts(store: Store, by: str, filters: Filters, of: str = "incidents") -> list[dict[str, Any]]:
    """How many incidents (or events) match, grouped by type, country or ISO week (its Monday), biggest first
    (weeks in date order, empty weeks included, so that a timeline has no gaps)."""
    alias = "i" if of == "incidents" else "e"
    # the store's own filter clauses (a private helper: see the report on a public counts query)
    where, params = store._filters(alias, filters.country, filters.type, filters.since, filters.until,
                                   filters.near, filters.actor)
    if of == "incidents":
        source = "incidents i"
        if filters.text:
            where.append(
                "EXISTS (SELECT 1 FROM incident_events ie JOIN events e ON e.id = ie.event "
                f"JOIN articles a ON a.id = e.article WHERE ie.incident = i.id AND {store.dialect.TEXT_FILTER})"
            )
        day = "i.date_start"
    else:
        source = "events e JOIN articles a ON a.id = e.article"
        if filters.text:
            where.append(store.dialect.TEXT_FILTER)
        day = "e.date"
    if filters.text:
        params.append(store.dialect.text_query(filters.text))
    key = {"type": f"{alias}.type", "country": f"{alias}.country", "week": day}[by]
    query = (f"SELECT {key} AS k, {alias}.lat AS lat, {alias}.lon AS lon FROM {source}" if filters.near else
             f"SELECT {key} AS k, COUNT(*) AS n FROM {source}")
    query += (" WHERE " + " AND ".join(where) if where else "")
    if filters.near:
        # the store's filter narrows `near` to a box; the circle is checked here, as Store._limited does
        from ..store.db import _km

        lat, lon, km = filters.near
        rows = Counter(r["k"] for r in store.execute(query, params) if _km(lat, lon, r["lat"], r["lon"]) <= km)
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
