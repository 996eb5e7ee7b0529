"""The store's tables, as a numbered list of migrations, and the code that brings a database up to date.

A database records the migrations it has had in `schema_version`. Opening one applies the missing ones in order,
each in its own transaction; a database newer than this wirecoder, or one that has tables but no
`schema_version` (not ours), is refused rather than guessed at. To change the schema, append a migration: never
edit one that has shipped, since databases out there already have it.

The SQL is written once for both backends; `{pk}`, `{float}` and `{now}` are filled in per dialect, and each
migration may add statements for one dialect only (full-text search differs: FTS5 in SQLite, a tsvector column
with a GIN index in PostgreSQL).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import StoreError


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    statements: list[str]
    sqlite: list[str] = field(default_factory=list)
    postgres: list[str] = field(default_factory=list)


MIGRATIONS = [
    Migration(
        1,
        "articles and the records extracted from them",
        [
            # the whole Report stays in `report` (JSON) so that nothing extracted is lost; the tables below
            # copy out what queries filter on
            """CREATE TABLE articles (
                id {pk},
                article_id TEXT NOT NULL,
                content_hash TEXT NOT NULL UNIQUE,
                title TEXT, url TEXT, outlet TEXT, published TEXT, source_path TEXT,
                text TEXT NOT NULL,
                report TEXT NOT NULL,
                stored_at TEXT NOT NULL DEFAULT {now})""",
            "CREATE INDEX articles_article_id ON articles (article_id)",
            """CREATE TABLE places (
                id {pk},
                article INTEGER NOT NULL REFERENCES articles (id),
                place_id TEXT NOT NULL,
                start_char INTEGER NOT NULL, end_char INTEGER NOT NULL, text TEXT NOT NULL,
                geonameid INTEGER, name TEXT, country TEXT, admin1 TEXT,
                lat {float}, lon {float}, feature TEXT, confidence {float},
                data TEXT NOT NULL)""",
            "CREATE INDEX places_article ON places (article)",
            "CREATE INDEX places_geonameid ON places (geonameid)",
            """CREATE TABLE actors (
                id {pk},
                article INTEGER NOT NULL REFERENCES articles (id),
                actor_id TEXT NOT NULL,
                name TEXT NOT NULL, type TEXT, inter INTEGER, code TEXT, country TEXT, confidence {float})""",
            "CREATE INDEX actors_article ON actors (article)",
            "CREATE INDEX actors_name ON actors (name)",
            """CREATE TABLE events (
                id {pk},
                article INTEGER NOT NULL REFERENCES articles (id),
                event_id TEXT NOT NULL,
                type TEXT NOT NULL, acled_event_type TEXT, acled_sub_event_type TEXT, cameo TEXT,
                plover_type TEXT,
                actor1 TEXT, actor2 TEXT,
                actor_names TEXT NOT NULL DEFAULT '',
                location TEXT, country TEXT, lat {float}, lon {float},
                date TEXT, date_precision TEXT, fatalities INTEGER, modality TEXT, confidence {float},
                data TEXT NOT NULL)""",
            "CREATE INDEX events_article ON events (article)",
            "CREATE INDEX events_country_date ON events (country, date)",
            "CREATE INDEX events_date ON events (date)",
            "CREATE INDEX events_type ON events (type)",
            """CREATE TABLE attributions (
                id {pk},
                article INTEGER NOT NULL REFERENCES articles (id),
                attribution_id TEXT NOT NULL,
                speaker TEXT, cue_lemma TEXT, kind TEXT, stance TEXT, via TEXT, confidence {float})""",
            "CREATE INDEX attributions_article ON attributions (article)",
            # every offset behind a record: an event's trigger and evidence, an actor's mentions, a place, the
            # source, cue and content of an attribution
            """CREATE TABLE spans (
                id {pk},
                article INTEGER NOT NULL REFERENCES articles (id),
                owner TEXT NOT NULL, role TEXT NOT NULL,
                start_char INTEGER NOT NULL, end_char INTEGER NOT NULL, text TEXT NOT NULL)""",
            "CREATE INDEX spans_article ON spans (article)",
            # `date_start`..`date_end`: the days the incident may have happened on (its date's precision)
            """CREATE TABLE incidents (
                id {pk},
                incident_id TEXT NOT NULL UNIQUE,
                type TEXT NOT NULL, acled_event_type TEXT, acled_sub_event_type TEXT, plover_type TEXT,
                date TEXT, date_start TEXT, date_end TEXT,
                country TEXT, lat {float}, lon {float},
                actor_names TEXT NOT NULL DEFAULT '',
                fatalities INTEGER, num_articles INTEGER NOT NULL, num_sources INTEGER NOT NULL,
                data TEXT NOT NULL)""",
            # the two blocking paths of clustering: same country, or nearby, within a date window
            "CREATE INDEX incidents_country_date ON incidents (country, date_start)",
            "CREATE INDEX incidents_date_lat ON incidents (date_start, lat)",
            "CREATE INDEX incidents_type ON incidents (type)",
            """CREATE TABLE incident_events (
                incident INTEGER NOT NULL REFERENCES incidents (id),
                event INTEGER NOT NULL UNIQUE REFERENCES events (id))""",
            "CREATE INDEX incident_events_incident ON incident_events (incident)",
        ],
    ),
    Migration(
        2,
        "input accounting and full-text search",
        [
            # one row per input ever seen, keyed by where it came from; its latest outcome
            """CREATE TABLE inputs (
                id {pk},
                source TEXT NOT NULL UNIQUE,
                article_id TEXT, content_hash TEXT,
                status TEXT NOT NULL,
                reason TEXT,
                run INTEGER,
                seen_at TEXT NOT NULL DEFAULT {now})""",
            "CREATE INDEX inputs_status ON inputs (status)",
            """CREATE TABLE runs (
                id {pk},
                paths TEXT NOT NULL,
                started_at TEXT NOT NULL DEFAULT {now},
                finished_at TEXT,
                processed INTEGER NOT NULL DEFAULT 0,
                skipped INTEGER NOT NULL DEFAULT 0,
                failed INTEGER NOT NULL DEFAULT 0)""",
        ],
        sqlite=[
            # external content: the text is stored once, in `articles`; triggers keep the index in step
            """CREATE VIRTUAL TABLE articles_fts USING fts5(
                title, text, content='articles', content_rowid='id', tokenize='porter unicode61')""",
            "INSERT INTO articles_fts (articles_fts) VALUES ('rebuild')",
            """CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
                INSERT INTO articles_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
            END""",
            """CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
                INSERT INTO articles_fts (articles_fts, rowid, title, text)
                VALUES ('delete', old.id, old.title, old.text);
            END""",
        ],
        postgres=[
            """ALTER TABLE articles ADD COLUMN tsv tsvector GENERATED ALWAYS AS
                (to_tsvector('english', coalesce(title, '') || ' ' || text)) STORED""",
            "CREATE INDEX articles_tsv ON articles USING GIN (tsv)",
        ],
    ),
    Migration(
        3,
        "indexes for the API's filters",
        [
            # each holds every column the event filters read (and the id), so that a filtered page is answered
            # from one narrow index, led by whichever of country, date or latitude the query narrows by, and
            # never from the wide rows; the first two replace the indexes that are their prefixes
            "DROP INDEX events_country_date",
            "DROP INDEX events_date",
            """CREATE INDEX events_by_country ON events (country, date, type, acled_event_type,
                acled_sub_event_type, plover_type, lat, lon, actor_names)""",
            """CREATE INDEX events_by_date ON events (date, country, type, acled_event_type, acled_sub_event_type,
                plover_type, lat, lon, actor_names)""",
            """CREATE INDEX events_by_lat ON events (lat, lon, country, date, type, acled_event_type,
                acled_sub_event_type, plover_type, actor_names)""",
        ],
    ),
    Migration(
        4,
        "incident blocking by place kind and map cell",
        [
            # what clustering fetches candidates by (db.Store._candidates): a town matches only what lies near it,
            # through the 1-degree map cells around it, and the coarse or unlocated incidents of its country;
            # the indexes hold every column the fetch filters on, so that rows that cannot match are never read
            "ALTER TABLE incidents ADD COLUMN place_kind TEXT",
            "ALTER TABLE incidents ADD COLUMN cell INTEGER",
            "DROP INDEX incidents_country_date",
            """CREATE INDEX incidents_by_country ON incidents (country, date_start, date_end, type, acled_event_type,
                place_kind, lat)""",
            """CREATE INDEX incidents_by_cell ON incidents (cell, date_start, date_end, type, acled_event_type, lat,
                lon)""",
        ],
        # the stored incidents get their place kind (as incidents.place_kind) and cell (as db._cell)
        sqlite=[
            """UPDATE incidents SET
                place_kind = CASE WHEN json_type(data, '$.place') = 'object' THEN COALESCE(
                    NULLIF(json_extract(data, '$.place.precision'), ''),
                    NULLIF(json_extract(data, '$.place.feature'), ''), 'city') END,
                cell = CAST(lat + 90 AS INTEGER) * 1000 + CAST(lon + 180 AS INTEGER)""",
        ],
        postgres=[
            """UPDATE incidents SET
                place_kind = CASE WHEN jsonb_typeof(data::jsonb -> 'place') = 'object' THEN COALESCE(
                    NULLIF(data::jsonb #>> '{place,precision}', ''),
                    NULLIF(data::jsonb #>> '{place,feature}', ''), 'city') END,
                cell = CAST(floor(lat + 90) AS INTEGER) * 1000 + CAST(floor(lon + 180) AS INTEGER)""",
        ],
    ),
    Migration(
        5,
        "incident mentions kept on their event links",
        [
            # an incident's mentions move out of its JSON (`incidents.data`) onto the links of their events, so
            # that an event joining an incident adds one row instead of rewriting every mention told before it;
            # `revision` counts an incident's writes, so that a process knows when what it decoded is stale
            "ALTER TABLE incident_events ADD COLUMN mention TEXT",
            "ALTER TABLE incidents ADD COLUMN revision INTEGER NOT NULL DEFAULT 1",
            # what clustering scores a candidate by (incidents.MatchKeys as JSON), so that it decodes only the
            # incident it merges into; incidents stored before have none until written again
            "ALTER TABLE incidents ADD COLUMN match_keys TEXT",
            # the blocking indexes also hold what the candidate fetch reads back (incident id, country, revision),
            # so that a candidate decoded before costs no read of its row
            "DROP INDEX incidents_by_country",
            "DROP INDEX incidents_by_cell",
            # no query can use it (type filters fold case; candidate fetches go by cell or country), yet SQLite
            # chose it over incidents_by_cell for a fetch of a single type, then read every incident of that type
            "DROP INDEX incidents_type",
            """CREATE INDEX incidents_by_country ON incidents (country, date_start, date_end, type, acled_event_type,
                place_kind, lat, incident_id, revision)""",
            """CREATE INDEX incidents_by_cell ON incidents (cell, date_start, date_end, type, acled_event_type, lat,
                lon, country, incident_id, revision)""",
        ],
        # each link gets the mention of its event (the one with the article's content hash and the event's id)
        sqlite=[
            """UPDATE incident_events SET mention = (
                SELECT m.value FROM incidents i, json_each(i.data, '$.mentions') m, events e, articles a
                WHERE i.id = incident_events.incident AND e.id = incident_events.event AND a.id = e.article
                    AND json_extract(m.value, '$.event_id') = e.event_id
                    AND json_extract(m.value, '$.content_hash') = a.content_hash)""",
            "UPDATE incidents SET data = json_remove(data, '$.mentions')",
        ],
        postgres=[
            """UPDATE incident_events ie SET mention = m.value::text
                FROM incidents i, jsonb_array_elements(i.data::jsonb -> 'mentions') m(value), events e, articles a
                WHERE i.id = ie.incident AND e.id = ie.event AND a.id = e.article
                    AND m.value ->> 'event_id' = e.event_id AND m.value ->> 'content_hash' = a.content_hash""",
            "UPDATE incidents SET data = (data::jsonb - 'mentions')::text",
        ],
    ),
]

LATEST = MIGRATIONS[-1].version

DIALECT_WORDS = {
    "sqlite": {"pk": "INTEGER PRIMARY KEY", "float": "REAL", "now": "CURRENT_TIMESTAMP"},
    "postgres": {
        "pk": "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
        "float": "DOUBLE PRECISION",
        "now": "CURRENT_TIMESTAMP",
    },
}


def statements(migration: Migration, dialect: str) -> list[str]:
    """The SQL of one migration for one dialect, placeholders filled in."""
    words = DIALECT_WORDS[dialect]
    extra = migration.sqlite if dialect == "sqlite" else migration.postgres
    return [sql.format(**words) for sql in migration.statements] + list(extra)


def check_version(version: int | None, has_tables: bool, where: str) -> None:
    """Refuse a database this wirecoder cannot read, with a message that says what to do."""
    if version is None and has_tables:
        raise StoreError(f"{where} is not a wirecoder database (it has tables but no schema_version)")
    if version is not None and version > LATEST:
        raise StoreError(
            f"{where} has schema version {version}, newer than this wirecoder supports ({LATEST}); "
            "upgrade wirecoder to use it"
        )
