"""The versioned schema: fresh databases get every migration, older ones are upgraded, others refused."""

import json

import pytest
from test_store_queries import db_url, herat_pair  # noqa: F401  (db_url: the store fixture over both backends)

from wirecoder.errors import StoreError
from wirecoder.incidents import incident_from_event
from wirecoder.store import open_store, postgres, sqlite
from wirecoder.store.db import Store, _cell
from wirecoder.store.schema import LATEST, MIGRATIONS


def _raw(url):
    """A bare connection and dialect for the URL, below the Store."""
    dialect = postgres if url.startswith("postgresql://") else sqlite
    return dialect.connect(url), dialect


def test_store_fresh_database_has_every_migration(db_url):
    with open_store(db_url) as store:
        assert store.version == LATEST
        rows = store.execute("SELECT version FROM schema_version ORDER BY version").fetchall()
        assert [r["version"] for r in rows] == [m.version for m in MIGRATIONS]
    with open_store(db_url) as store:  # opening again applies nothing twice
        assert store.execute("SELECT COUNT(*) AS n FROM schema_version").fetchone()["n"] == len(MIGRATIONS)


def test_store_older_database_is_upgraded_and_its_articles_searchable(db_url):
    conn, dialect = _raw(db_url)
    old = Store(conn, dialect, "old", migrate_to=1)
    assert old.version == 1
    (article, report), _ = herat_pair()
    old._cluster = lambda *args: None  # today's incident columns are not there yet; version 4 is tested below
    with old.transaction():
        data = report.to_dict()
        pk = old._insert_article(article, data)
        old._insert_records(pk, report, data)
    old.close()
    with open_store(db_url) as store:
        assert store.version == LATEST
        assert [m.article_id for m, _ in store.events(text="checkpoint")] == ["herat-1"]
        assert store.status()["inputs"] == {}


def test_store_version_3_incidents_are_upgraded_and_joined_by_the_next_article(db_url):
    """Migration 4 fills place_kind and cell of the incidents stored before it, migration 5 moves their mentions
    onto the event links: the next article finds the incident and joins it."""
    conn, dialect = _raw(db_url)
    old = Store(conn, dialect, "old", migrate_to=3)
    (article, report), second = herat_pair()
    old._cluster = lambda *args: None  # stored below as version 3 stored it: mentions inside the incident's JSON
    incident = incident_from_event(report, report.events[0])
    with old.transaction():
        data = report.to_dict()
        pk = old._insert_article(article, data)
        old._insert_records(pk, report, data)
        old.execute(
            "INSERT INTO incidents (incident_id, type, date, date_start, date_end, country, lat, lon, "
            "num_articles, num_sources, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, 1, ?)",
            (incident.id, incident.type, incident.date, incident.date, incident.date, incident.place.country,
             incident.place.lat, incident.place.lon, json.dumps(incident.to_dict())),
        )
        old.execute("INSERT INTO incident_events (incident, event) SELECT i.id, e.id FROM incidents i, events e "
                    "WHERE e.event_id = ?", (report.events[0].id,))
    old.close()
    with open_store(db_url) as store:
        row = store.execute("SELECT place_kind, cell, data FROM incidents").fetchone()
        assert (row["place_kind"], row["cell"]) == ("city", _cell(incident.place.lat, incident.place.lon))
        assert "mentions" not in json.loads(row["data"])
        (link,) = store.execute("SELECT mention FROM incident_events").fetchall()
        assert json.loads(link["mention"]) == incident.mentions[0].to_dict()
        store.save(*second, source="s2")
        (merged,) = store.incidents()
        assert merged.id == incident.id and merged.num_articles == 2
        assert {m.article_id for m in merged.mentions} == {article.id, second[0].id}


def test_store_refuses_a_newer_database(db_url):
    with open_store(db_url) as store:
        store.execute("INSERT INTO schema_version (version, description) VALUES (?, ?)", (LATEST + 1, "future"))
    with pytest.raises(StoreError, match=f"schema version {LATEST + 1}, newer than this wirecoder supports"):
        open_store(db_url)


def test_store_refuses_a_database_that_is_not_ours(db_url):
    conn, _ = _raw(db_url)
    conn.execute("CREATE TABLE customers (name TEXT)")
    conn.close()
    with pytest.raises(StoreError, match="not a wirecoder database"):
        open_store(db_url)


def test_store_refuses_a_file_that_is_not_sqlite(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("these are not the tables you are looking for\n" * 100)
    with pytest.raises(StoreError, match="notes.db"):
        open_store(path)
