"""The event store: articles, their reports and the incidents they add up to, in SQLite or PostgreSQL.

One class over a DB-API connection; the two backends differ only in what `sqlite.py` and `postgres.py` provide
(connect, parameter style, transactions, full-text search). Each article is written in one transaction together
with its records, its incident links and the accounting row of its input, so a run killed at any point leaves
every article either fully stored or not at all.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from types import ModuleType
from typing import Any

from ..errors import StoreError
from ..records import Article, Event, Incident, IncidentMention, Place, Record, Report
from .schema import LATEST, MIGRATIONS, check_version, statements

# how long before the first day of a new incident a stored one's date range may start and still be fetched:
# a month-precision range (31 days) plus the 3 days by which blocking used to widen the new range, so that the
# same incidents are found as before (a range known only to the year, by the events of its first 34 days);
# candidate fetches scan `date_start` from there, on the index
_MAX_RANGE_DAYS = 34
_KM_PER_DEGREE = 111.2


@dataclass(slots=True)
class EventMeta(Record):
    """Where a stored event comes from: its article's metadata, its place resolved, and its incident.

    `Store.events()` yields `(EventMeta, Event)` pairs; the Event is the record as extracted (its ids point into
    the article's report), `place` is the record `Event.location` points to, `actor1`/`actor2` the names of
    the actors `Event.actor1`/`actor2` point to.
    """

    nested = {"place": Place}

    article_id: str
    content_hash: str
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: str | None = None
    source_path: str | None = None
    place: Place | None = None
    actor1: str | None = None  # names of the actors Event.actor1 / actor2 point to
    actor2: str | None = None
    incident_id: str | None = None


def _json(record: Record | dict) -> str:
    return json.dumps(record.to_dict() if isinstance(record, Record) else record, ensure_ascii=False)


def _day(value: str | None) -> str | None:
    """The ISO day of a date or datetime string, or None when it is not one."""
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        return None


def _lower(value: str | None) -> str | None:
    return value.lower() if value else None


def _incident_json(incident: Incident) -> str:
    """An incident's JSON without its mentions: those are kept on the links of their events (migration 5)."""
    data = dataclasses.replace(incident, mentions=[]).to_dict()
    del data["mentions"]
    return _json(data)


# decoded incidents a Store keeps (see Store._decoded): busy places and days are candidates for many events in a row
_DECODED_MAX = 4096
# row ids per query when incidents are read in bulk
_CHUNK = 500


def _clustering() -> ModuleType:
    from .. import incidents  # imported late: the store opens and queries without the clustering code loaded

    return incidents


class Store:
    """An open event store. Build it with `open_store(url)`; close it (or use `with`) when done."""

    def __init__(self, conn: Any, dialect: ModuleType, where: str, migrate_to: int = LATEST):
        self.conn = conn
        self.dialect = dialect
        self.where = where
        # row id -> (incident id, revision, match keys, Incident with its mentions or None): what clustering
        # decoded or wrote last; an entry is used only while the row's incident id and revision are the same
        self._decoded: dict[int, tuple[str, int, Any, Incident | None]] = {}
        self._migrate(migrate_to)

    # -- plumbing --------------------------------------------------------------------------------------------

    def execute(self, query: str, params: Iterable[Any] = ()) -> Any:
        return self.conn.execute(self.dialect.sql(query), tuple(params))

    def _insert(self, query: str, params: Iterable[Any]) -> int:
        """Run an INSERT ... RETURNING id; read every row so that SQLite finishes the statement before COMMIT."""
        return self.execute(query, params).fetchall()[0]["id"]

    def _executemany(self, query: str, rows: list[tuple]) -> None:
        if rows:
            self.conn.cursor().executemany(self.dialect.sql(query), rows)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        try:
            with self.dialect.transaction(self.conn):
                yield
        except BaseException:
            self._decoded.clear()  # it may hold incidents as the rolled-back transaction wrote them
            raise

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def version(self) -> int | None:
        if "schema_version" not in self.dialect.tables(self.conn):
            return None
        return self.execute("SELECT MAX(version) AS v FROM schema_version").fetchone()["v"]

    def _migrate(self, target: int) -> None:
        """Apply the migrations this database lacks, each in its own transaction (see schema.py)."""
        tables = self.dialect.tables(self.conn)
        current = self.version
        check_version(current, bool(tables - {"schema_version"}), self.where)
        if "schema_version" not in tables:
            self.execute(
                "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL PRIMARY KEY, "
                "description TEXT NOT NULL, applied_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)"
            )
        for migration in MIGRATIONS:
            if migration.version > target:
                break
            if migration.version <= (current or 0):
                continue  # an up-to-date store opens without taking the write lock
            with self.transaction():
                # read again inside the transaction: another process may have just applied it
                if (self.version or 0) >= migration.version:
                    continue
                for sql in statements(migration, self.dialect.name):
                    self.execute(sql)
                self.execute(
                    "INSERT INTO schema_version (version, description) VALUES (?, ?)",
                    (migration.version, migration.description),
                )

    # -- writing ---------------------------------------------------------------------------------------------

    def has_input(self, source: str) -> bool:
        """Whether an input with this source key has been accounted for (processed, duplicate or failed)."""
        return self.execute("SELECT 1 FROM inputs WHERE source = ?", (source,)).fetchone() is not None

    def stored_article(self, content_hash: str) -> str | None:
        """The id of the stored article with this content hash, or None."""
        row = self.execute("SELECT article_id FROM articles WHERE content_hash = ?", (content_hash,)).fetchone()
        return row["article_id"] if row else None

    def save(self, article: Article, report: Report, source: str, run: int | None = None,
             replace: bool = False) -> str:
        """Store an article with its report, cluster its events, and account for its input, in one transaction.

        Returns "processed", or "skipped" when the same text is already stored and `replace` is false (the
        input is then accounted as `account_skip` does). `replace` redoes it: old records out, the incidents
        they were in rebuilt, new ones in.
        """
        with self.transaction():
            row = self.execute("SELECT id FROM articles WHERE content_hash = ?", (article.content_hash,)).fetchone()
            if row is not None and not replace:
                self._skip(source, article, run)
                return "skipped"
            if row is not None:
                self._remove_article(row["id"])
            data = report.to_dict()
            pk = self._insert_article(article, data)
            self._insert_records(pk, report, data)
            self._account(source, "processed", None, run, article.id, article.content_hash)
        return "processed"

    def account(self, source: str, status: str, reason: str | None = None, run: int | None = None,
                article_id: str | None = None, content_hash: str | None = None) -> None:
        """Record the outcome of one input ("processed", "duplicate" or "failed") under its source key."""
        with self.transaction():
            self._account(source, status, reason, run, article_id, content_hash)

    def account_skip(self, source: str, article: Article, run: int | None = None) -> None:
        """An input whose text is already stored: keep its row if it has one, else say which article it is."""
        with self.transaction():
            self._skip(source, article, run)

    def _skip(self, source: str, article: Article, run: int | None) -> None:
        row = self.execute("SELECT status FROM inputs WHERE source = ?", (source,)).fetchone()
        if row is not None and row["status"] != "failed":
            return
        stored = self.execute(
            "SELECT article_id, source_path FROM articles WHERE content_hash = ?", (article.content_hash,)
        ).fetchone()
        # stored from this very input (by another run over the same files at the same time): it was processed
        if stored is None or (stored["article_id"], stored["source_path"]) == (article.id, article.source_path):
            self._account(source, "processed", None, run, article.id, article.content_hash)
        else:
            self._account(source, "duplicate", f"same text as stored article {stored['article_id']}", run,
                          article.id, article.content_hash)

    def _account(self, source: str, status: str, reason: str | None, run: int | None, article_id: str | None,
                 content_hash: str | None) -> None:
        params = (article_id, content_hash, status, reason, run, source)
        updated = self.execute(
            "UPDATE inputs SET article_id = ?, content_hash = ?, status = ?, reason = ?, run = ?, "
            "seen_at = CURRENT_TIMESTAMP WHERE source = ?",
            params,
        )
        if updated.rowcount == 0:
            self.execute(
                "INSERT INTO inputs (article_id, content_hash, status, reason, run, source) VALUES (?, ?, ?, ?, ?, ?)",
                params,
            )

    def start_run(self, paths: list[str]) -> int:
        with self.transaction():
            return self._insert("INSERT INTO runs (paths) VALUES (?) RETURNING id", (json.dumps(paths),))

    def finish_run(self, run: int, processed: int, skipped: int, failed: int) -> None:
        with self.transaction():
            self.execute(
                "UPDATE runs SET finished_at = CURRENT_TIMESTAMP, processed = ?, skipped = ?, failed = ? WHERE id = ?",
                (processed, skipped, failed, run),
            )

    def _insert_article(self, article: Article, data: dict) -> int:
        return self._insert(
            "INSERT INTO articles (article_id, content_hash, title, url, outlet, published, source_path, text, "
            "report) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (article.id, article.content_hash, article.title, article.url, article.outlet, article.published,
             article.source_path, article.text, _json(data)),
        )

    def _insert_records(self, pk: int, report: Report, data: dict) -> None:
        """The records of the report in their tables; `data` is `report.to_dict()` (made once, it is costly)."""
        places = {p.id: p for p in report.places}
        actors = {a.id: a for a in report.actors}
        spans: list[tuple] = []
        self._executemany(
            "INSERT INTO places (article, place_id, start_char, end_char, text, geonameid, name, country, admin1, "
            "lat, lon, feature, confidence, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(pk, p.id, p.start, p.end, p.text, p.geonameid, p.name, p.country, p.admin1, p.lat, p.lon, p.feature,
              p.confidence, _json(d)) for p, d in zip(report.places, data["places"])],
        )
        spans += [(pk, p.id, "place", p.start, p.end, p.text) for p in report.places]
        self._executemany(
            "INSERT INTO actors (article, actor_id, name, type, inter, code, country, confidence) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(pk, a.id, a.name, a.type, a.inter, a.code, a.country, a.confidence) for a in report.actors],
        )
        spans += [(pk, a.id, "mention", m.start, m.end, m.text) for a in report.actors for m in a.mentions]
        self._executemany(
            "INSERT INTO attributions (article, attribution_id, speaker, cue_lemma, kind, stance, via, confidence) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(pk, q.id, q.speaker, q.cue_lemma, q.kind, q.stance, q.via, q.confidence) for q in report.attributions],
        )
        for q in report.attributions:
            spans += [(pk, q.id, role, s.start, s.end, s.text)
                      for role, s in (("source", q.source), ("cue", q.cue), ("content", q.content)) if s is not None]
        for event, event_data in zip(report.events, data["events"]):
            place = places.get(event.location)
            names = [actors[i].name for i in (event.actor1, event.actor2, *event.assoc_actors) if i in actors]
            acled = event.acled or {}
            event_pk = self._insert(
                "INSERT INTO events (article, event_id, type, acled_event_type, acled_sub_event_type, cameo, "
                "plover_type, actor1, actor2, actor_names, location, country, lat, lon, date, date_precision, "
                "fatalities, modality, confidence, data) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (pk, event.id, event.type, acled.get("event_type"), acled.get("sub_event_type"), event.cameo,
                 (event.plover or {}).get("type"),
                 actors[event.actor1].name if event.actor1 in actors else None,
                 actors[event.actor2].name if event.actor2 in actors else None,
                 " | ".join(names), event.location,
                 place.country if place else None, place.lat if place else None, place.lon if place else None,
                 _day(event.date_value), event.date_precision, event.fatalities, event.modality, event.confidence,
                 _json(event_data)),
            )
            spans.append((pk, event.id, "trigger", event.trigger.start, event.trigger.end, event.trigger.text))
            spans += [(pk, event.id, "evidence", s.start, s.end, s.text) for s in event.evidence]
            self._cluster(report, event, event_pk)
        self._executemany(
            "INSERT INTO spans (article, owner, role, start_char, end_char, text) VALUES (?, ?, ?, ?, ?, ?)", spans
        )

    def _remove_article(self, pk: int) -> None:
        """Delete an article and its records; rebuild the incidents its events were in from what remains."""
        incidents = [r["incident"] for r in self.execute(
            "SELECT DISTINCT ie.incident FROM incident_events ie JOIN events e ON e.id = ie.event WHERE e.article = ?",
            (pk,),
        )]
        self.execute("DELETE FROM incident_events WHERE event IN (SELECT id FROM events WHERE article = ?)", (pk,))
        for table in ("spans", "places", "actors", "attributions", "events"):
            self.execute(f"DELETE FROM {table} WHERE article = ?", (pk,))
        self.execute("DELETE FROM articles WHERE id = ?", (pk,))
        for incident in incidents:
            self._rebuild_incident(incident)

    # -- incidents -------------------------------------------------------------------------------------------

    def _cluster(self, report: Report, event: Event, event_pk: int) -> None:
        """Merge the event into the best-matching stored incident, or store it as a new one; link the two.

        Candidates are scored from their match keys; only the one merged into is decoded with its mentions.
        """
        clustering = _clustering()
        new = clustering.incident_from_event(report, event)
        new_keys = clustering.match_keys(new)
        best, best_score = None, 0.0
        for candidate in self._candidates(new, clustering.block_keys(new), clustering.MAX_DISTANCE_KM):
            pk, incident_id, revision, keys = candidate
            score = 1.0 if incident_id == new.id else clustering.score_keys(new_keys, keys)
            if score >= clustering.MATCH_THRESHOLD and score > best_score:
                best, best_score = candidate, score
        if best is None:
            pk = self._write_incident(None, new, new_keys)
        else:
            pk = self._write_incident(best[0], clustering.merge(self._decoded_incident(*best), new))
        self.execute("INSERT INTO incident_events (incident, event, mention) VALUES (?, ?, ?)",
                     (pk, event_pk, _json(new.mentions[0])))

    def _candidates(self, new: Incident, keys: dict, max_km: float) -> list[tuple[int, str, int, Any]]:
        """Stored incidents that may tell the same happening, as (row id, incident id, revision, match keys):
        nearby, or in the same country and of a place kind that may match there; of a type that may match; with
        dates that meet (see `incidents.block_keys`).

        Both paths run on an index that holds every column they filter on and read back, (country, date_start,
        ...) or (cell, date_start, ...), so that only the rows that pass are read, and only from the index; the
        match keys of those not already known at this revision are read in one more query. The order breaks ties
        between equal scores: the incident of the same id (an article stored again), then those of the same
        country, the earliest first, then the first stored.
        """
        select = "SELECT id, incident_id, country, date_start, revision FROM incidents WHERE "
        queries = [(select + "incident_id = ?", (new.id,))]
        since, until = keys.get("since"), keys.get("until")
        if since and until:
            # date_start leads the range scan: a range that meets [since, until] starts at most _MAX_RANGE_DAYS
            # before it
            first = (date.fromisoformat(since) - timedelta(days=_MAX_RANGE_DAYS)).isoformat()
            types, family = keys["types"], keys["family"]
            match = (f"date_start BETWEEN ? AND ? AND date_end >= ? AND (type IN ({_marks(types)})"
                     + (" OR acled_event_type = ?)" if family else ")"))
            match_params = (first, until, since, *types, *((family,) if family else ()))
            kinds = keys.get("country_kinds")
            if keys.get("country") and kinds is None:
                queries.append((select + f"country = ? AND {match}", (keys["country"], *match_params)))
            elif keys.get("country"):
                queries.append((select + f"country = ? AND {match} AND (lat IS NULL OR place_kind IN "
                                         f"({_marks(kinds)}))", (keys["country"], *match_params, *kinds)))
            if keys.get("lat") is not None and keys.get("lon") is not None:
                box = _bbox(keys["lat"], keys["lon"], max_km)
                cells = _cells(*box)
                queries.append((select + f"cell IN ({_marks(cells)}) AND {match} AND lat BETWEEN ? AND ? "
                                         "AND lon BETWEEN ? AND ?", (*cells, *match_params, *box)))
        rows = {}
        for query, params in queries:
            for row in self.execute(query, params).fetchall():
                rows.setdefault(row["id"], row)
        country = keys.get("country")
        ordered = sorted(rows.values(), key=lambda r: (r["incident_id"] != new.id, r["country"] != country,
                                                       r["date_start"] or "", r["id"]))
        known = {r["id"]: self._known(r["id"], r["incident_id"], r["revision"]) for r in ordered}
        unknown = [pk for pk, entry in known.items() if entry is None]
        for start in range(0, len(unknown), _CHUNK):
            chunk = unknown[start:start + _CHUNK]
            for row in self.execute(f"SELECT id, incident_id, revision, match_keys FROM incidents "
                                    f"WHERE id IN ({_marks(chunk)})", chunk).fetchall():
                known[row["id"]] = self._keys_of(row)
        return [(r["id"], r["incident_id"], r["revision"], known[r["id"]][2]) for r in ordered]

    def _known(self, pk: int, incident_id: str, revision: int) -> tuple | None:
        """The cache entry of an incident (see `_decoded`) when it is of this id and revision, else None."""
        entry = self._decoded.get(pk)
        return entry if entry is not None and entry[:2] == (incident_id, revision) else None

    def _keys_of(self, row) -> tuple:
        """The cache entry of an incident row: its match keys decoded, or, for an incident stored before they
        were (schema version 4), computed from the whole incident."""
        clustering = _clustering()
        if row["match_keys"] is None:
            revision, incident = self._load_incidents([row["id"]])[row["id"]]
            return self._remember(row["id"], revision, clustering.match_keys(incident), incident)
        return self._remember(row["id"], row["revision"], clustering.MatchKeys.from_json(row["match_keys"]),
                              incident_id=row["incident_id"])

    def _decoded_incident(self, pk: int, incident_id: str, revision: int, keys: Any) -> Incident:
        """The whole incident (with its mentions) of a candidate `_candidates` gave."""
        entry = self._known(pk, incident_id, revision)
        if entry is not None and entry[3] is not None:
            return entry[3]
        revision, incident = self._load_incidents([pk])[pk]
        self._remember(pk, revision, keys, incident)
        return incident

    def _remember(self, pk: int, revision: int, keys: Any, incident: Incident | None = None,
                  incident_id: str | None = None) -> tuple:
        """Keep an incident's match keys (and the whole incident when decoded) for the next events at its place
        and days; the oldest entry makes room. Returns the entry."""
        self._decoded.pop(pk, None)
        if len(self._decoded) >= _DECODED_MAX:
            del self._decoded[next(iter(self._decoded))]
        entry = (incident.id if incident is not None else incident_id, revision, keys, incident)
        self._decoded[pk] = entry
        return entry

    def _load_incidents(self, pks: list[int]) -> dict[int, tuple[int, Incident]]:
        """Row id -> (revision, Incident with its mentions) of the stored incidents with these row ids."""
        order = _clustering().mention_order
        out = {}
        for start in range(0, len(pks), _CHUNK):
            chunk = pks[start:start + _CHUNK]
            mentions: dict[int, list[IncidentMention]] = {pk: [] for pk in chunk}
            for row in self.execute(f"SELECT incident, mention FROM incident_events WHERE incident IN "
                                    f"({_marks(chunk)}) AND mention IS NOT NULL", chunk).fetchall():
                mentions[row["incident"]].append(IncidentMention.from_dict(json.loads(row["mention"])))
            for row in self.execute(f"SELECT id, revision, data FROM incidents WHERE id IN ({_marks(chunk)})",
                                    chunk).fetchall():
                incident = Incident.from_dict(json.loads(row["data"]))
                incident.mentions = sorted(mentions[row["id"]], key=order)
                out[row["id"]] = (row["revision"], incident)
        return out

    def _write_incident(self, pk: int | None, incident: Incident, keys: Any = None) -> int:
        """Insert (`pk` None) or update the incident's row; `keys` are its match keys when the caller has them."""
        clustering = _clustering()
        keys = keys or clustering.match_keys(incident)
        span = keys.days  # the incident's date range
        place = incident.place
        acled = incident.acled or {}
        names = [n for n in (incident.actor1, incident.actor2, *incident.assoc_actors) if n]
        data = _incident_json(incident)
        values = (
            incident.id, incident.type, acled.get("event_type"), acled.get("sub_event_type"),
            (incident.plover or {}).get("type"), incident.date,
            span[0].isoformat() if span else None, span[1].isoformat() if span else None,
            place.country if place else None, place.lat if place else None, place.lon if place else None,
            " | ".join(names), incident.fatalities, incident.num_articles, incident.num_sources, data,
            clustering.place_kind(place), _cell(place.lat, place.lon) if place else None, keys.to_json(),
        )
        columns = ("incident_id, type, acled_event_type, acled_sub_event_type, plover_type, date, date_start, "
                   "date_end, country, lat, lon, actor_names, fatalities, num_articles, num_sources, data, "
                   "place_kind, cell, match_keys")
        if pk is None:
            row = self.execute(f"INSERT INTO incidents ({columns}) VALUES ({_marks(values)}) RETURNING id, revision",
                               values).fetchall()[0]
        else:
            assignments = ", ".join(f"{c.strip()} = ?" for c in columns.split(","))
            row = self.execute(f"UPDATE incidents SET {assignments}, revision = revision + 1 WHERE id = ? "
                               "RETURNING id, revision", values + (pk,)).fetchall()[0]
        self._remember(row["id"], row["revision"], keys, incident)  # the next events here will have it as a candidate
        return row["id"]

    def _rebuild_incident(self, pk: int) -> None:
        """Fold the incident again from the events still linked to it, or drop it when none are left."""
        clustering = _clustering()
        rows = self.execute(
            "SELECT e.data, a.report FROM incident_events ie JOIN events e ON e.id = ie.event "
            "JOIN articles a ON a.id = e.article WHERE ie.incident = ? ORDER BY e.id",
            (pk,),
        ).fetchall()
        if not rows:
            self.execute("DELETE FROM incidents WHERE id = ?", (pk,))
            self._decoded.pop(pk, None)
            return
        incident = None
        for row in rows:
            one = clustering.incident_from_event(Report.from_dict(json.loads(row["report"])),
                                                 Event.from_dict(json.loads(row["data"])))
            incident = one if incident is None else clustering.merge(incident, one)
        self._write_incident(pk, incident)

    # -- reading ---------------------------------------------------------------------------------------------

    def events(self, country: str | None = None, type: str | None = None, since: str | None = None,
               until: str | None = None, near: tuple[float, float, float] | None = None, actor: str | None = None,
               text: str | None = None, limit: int | None = None) -> Iterator[tuple[EventMeta, Event]]:
        """Stored events matching every filter given, in the order they were stored, with their article's meta.

        `type` matches the event type code, ACLED event or sub-event type, or PLOVER type (any case); `since` and
        `until` are ISO days, inclusive; `near` is (lat, lon, km); `actor` a part of an actor's name (any case);
        `text` words that the article must all contain (full-text search).
        """
        where, params = self._filters("e", country, type, since, until, near, actor)
        if text:
            where.append(self.dialect.TEXT_FILTER)
            params.append(self.dialect.text_query(text))
        query = (
            "SELECT e.data, e.lat, e.lon, e.actor1, e.actor2, a.article_id, a.content_hash, a.title, a.url, "
            "a.outlet, a.published, a.source_path, p.data AS place, i.incident_id "
            "FROM events e JOIN articles a ON a.id = e.article "
            "LEFT JOIN places p ON p.article = e.article AND p.place_id = e.location "
            "LEFT JOIN incident_events ie ON ie.event = e.id LEFT JOIN incidents i ON i.id = ie.incident"
            + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY e.id"
        )
        for row in self._limited(query, params, near, limit):
            meta = EventMeta(
                article_id=row["article_id"], content_hash=row["content_hash"], title=row["title"], url=row["url"],
                outlet=row["outlet"], published=row["published"], source_path=row["source_path"],
                place=Place.from_dict(json.loads(row["place"])) if row["place"] else None,
                actor1=row["actor1"], actor2=row["actor2"], incident_id=row["incident_id"],
            )
            yield meta, Event.from_dict(json.loads(row["data"]))

    def incidents(self, country: str | None = None, type: str | None = None, since: str | None = None,
                  until: str | None = None, near: tuple[float, float, float] | None = None,
                  actor: str | None = None, text: str | None = None,
                  limit: int | None = None) -> Iterator[Incident]:
        """Stored incidents matching every filter (as in `events`), by date (undated last).

        `since`/`until` keep incidents whose possible days overlap the range; `text` keeps those told by at
        least one article containing all the words.
        """
        where, params = self._filters("i", country, type, since, until, near, actor)
        if text:
            where.append(
                "EXISTS (SELECT 1 FROM incident_events ie JOIN events e ON e.id = ie.event "
                f"JOIN articles a ON a.id = e.article WHERE ie.incident = i.id AND {self.dialect.TEXT_FILTER})"
            )
            params.append(self.dialect.text_query(text))
        query = ("SELECT i.id, i.lat, i.lon FROM incidents i" + (" WHERE " + " AND ".join(where) if where else "")
                 + " ORDER BY (i.date_start IS NULL), i.date_start, i.id")
        pks = [row["id"] for row in self._limited(query, params, near, limit)]
        for start in range(0, len(pks), _CHUNK):
            yield from self.incidents_by_pk(pks[start:start + _CHUNK])

    def incidents_by_pk(self, pks: list[int]) -> list[Incident]:
        """The stored incidents of these row ids (`incidents.id`), with their mentions, in the order given."""
        loaded = self._load_incidents(list(dict.fromkeys(pks)))
        return [loaded[pk][1] for pk in pks if pk in loaded]

    def incident(self, incident_id: str) -> Incident | None:
        """The stored incident with this id, with its mentions; None when there is none."""
        row = self.execute("SELECT id FROM incidents WHERE incident_id = ?", (incident_id,)).fetchone()
        return self.incidents_by_pk([row["id"]])[0] if row else None

    def _filters(self, alias: str, country, type, since, until, near, actor) -> tuple[list[str], list[Any]]:
        where: list[str] = []
        params: list[Any] = []
        # SQLite's LOWER() and NOCASE fold the same letters (ASCII) and its LIKE ignores their case, so there a
        # case-folded match needs no LOWER() call per row, which cost more than the rest of a filtered scan
        nocase = self.dialect.name == "sqlite"
        if country:
            where.append(f"{alias}.country = ?")
            params.append(country.upper())
        if type:
            columns = ("type", "acled_event_type", "acled_sub_event_type", "plover_type")
            test = "{} = ? COLLATE NOCASE" if nocase else "LOWER({}) = ?"
            where.append("(" + " OR ".join(test.format(f"{alias}.{c}") for c in columns) + ")")
            params += [type.lower()] * len(columns)
        first, last = ("date", "date") if alias == "e" else ("date_end", "date_start")
        if since:
            where.append(f"{alias}.{first} >= ?")
            params.append(_check_day(since, "since"))
        if until:
            where.append(f"{alias}.{last} <= ?")
            params.append(_check_day(until, "until"))
        if near:
            where.append(f"{alias}.lat BETWEEN ? AND ? AND {alias}.lon BETWEEN ? AND ?")
            params += _bbox(*near)
        if actor:
            where.append(f"{alias}.actor_names LIKE ?" if nocase else f"LOWER({alias}.actor_names) LIKE ?")
            params.append(f"%{actor.lower()}%")
        return where, params

    def _limited(self, query: str, params: list[Any], near, limit: int | None) -> Iterator[Any]:
        """Rows of the query, those outside the `near` circle dropped (SQL only narrows to a box), up to limit."""
        if limit is not None and limit <= 0:
            return
        if limit is not None and not near:
            query += f" LIMIT {int(limit)}"
        count = 0
        for row in self.execute(query, params).fetchall():
            if near and _km(near[0], near[1], row["lat"], row["lon"]) > near[2]:
                continue
            yield row
            count += 1
            if limit is not None and count >= limit:
                return

    def article(self, article_id: str) -> tuple[Article, Report]:
        """The stored article and its report, by article id or content hash (the latest stored if ids repeat)."""
        row = self.execute(
            "SELECT * FROM articles WHERE article_id = ? OR content_hash = ? ORDER BY id DESC LIMIT 1",
            (article_id, article_id),
        ).fetchone()
        if row is None:
            raise StoreError(f"no stored article {article_id!r} in {self.where}")
        article = Article(id=row["article_id"], text=row["text"], published=row["published"], title=row["title"],
                          url=row["url"], outlet=row["outlet"], source_path=row["source_path"],
                          content_hash=row["content_hash"])
        return article, Report.from_dict(json.loads(row["report"]))

    def counts(self) -> dict[str, int]:
        """Rows per table: what a run added, at a glance."""
        tables = ("articles", "places", "actors", "events", "attributions", "spans", "incidents",
                  "incident_events", "inputs")
        return {t: self.execute(f"SELECT COUNT(*) AS n FROM {t}").fetchone()["n"] for t in tables}

    def status(self) -> dict[str, Any]:
        """Inputs by status, every failure with its reason, the last run, and the rows stored."""
        by_status = {r["status"]: r["n"] for r in self.execute(
            "SELECT status, COUNT(*) AS n FROM inputs GROUP BY status ORDER BY status")}
        failures = [dict(source=r["source"], article_id=r["article_id"], reason=r["reason"]) for r in self.execute(
            "SELECT source, article_id, reason FROM inputs WHERE status = 'failed' ORDER BY id")]
        duplicates = [dict(source=r["source"], article_id=r["article_id"], reason=r["reason"]) for r in self.execute(
            "SELECT source, article_id, reason FROM inputs WHERE status = 'duplicate' ORDER BY id")]
        last = self.execute("SELECT * FROM runs ORDER BY id DESC LIMIT 1").fetchone()
        return {
            "store": self.where,
            "schema_version": self.version,
            "inputs": by_status,
            "failures": failures,
            "duplicates": duplicates,
            "last_run": {k: last[k] for k in ("id", "paths", "started_at", "finished_at", "processed", "skipped",
                                              "failed")} if last else None,
            "rows": self.counts(),
        }


def search_words(query: str) -> list[str]:
    """The words of a full-text query; punctuation is dropped, so that no input can break the SQL syntax."""
    words = re.findall(r"\w+", query)
    if not words:
        raise StoreError(f"text query {query!r} has no words to search for")
    return words


def _check_day(value: str, name: str) -> str:
    day = _day(value)
    if day is None:
        raise StoreError(f"{name}: {value!r} is not an ISO date (YYYY-MM-DD)")
    return day


def _bbox(lat: float, lon: float, km: float) -> tuple[float, float, float, float]:
    """A box around the point that holds the circle of radius `km` (longitude degrees shrink with latitude)."""
    dlat = km / _KM_PER_DEGREE
    dlon = km / (_KM_PER_DEGREE * max(math.cos(math.radians(lat)), 0.01))
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon


def _cell(lat: float | None, lon: float | None) -> int | None:
    """The 1-degree map cell of a point, as migration 4 computes it: what the nearby incidents are fetched by."""
    if lat is None or lon is None:
        return None
    return math.floor(lat + 90) * 1000 + math.floor(lon + 180)


def _cells(lat_min: float, lat_max: float, lon_min: float, lon_max: float) -> list[int]:
    """The map cells a box overlaps."""
    rows = range(math.floor(lat_min + 90), math.floor(lat_max + 90) + 1)
    columns = range(math.floor(lon_min + 180), math.floor(lon_max + 180) + 1)
    return [r * 1000 + c for r in rows for c in columns]


def _marks(values) -> str:
    return ", ".join("?" * len(values))


def _km(lat1: float, lon1: float, lat2: float | None, lon2: float | None) -> float:
    if lat2 is None or lon2 is None:
        return math.inf
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))
