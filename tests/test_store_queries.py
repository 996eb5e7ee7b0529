"""The event store on both backends: saving reports, clustering incidents, and the query filters.

Every test runs on SQLite (a file in tmp_path) and on PostgreSQL when $WIRECODER_TEST_PG_URL names a server
(each test in a schema of its own, dropped afterwards); scripts/ci_postgres.sh sets one up.
"""

import os
import uuid

import pytest

from wirecoder.errors import StoreError
from wirecoder.records import Actor, Article, Event, Place, Report, Span
from wirecoder.store import open_store

PG_URL = os.environ.get("WIRECODER_TEST_PG_URL")


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request, tmp_path):
    """A store URL on an empty database of each backend."""
    if request.param == "sqlite":
        yield str(tmp_path / "test.db")
        return
    if not PG_URL:
        pytest.skip("WIRECODER_TEST_PG_URL is not set (see scripts/ci_postgres.sh)")
    import psycopg

    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_URL, autocommit=True) as admin:
        admin.execute(f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in PG_URL else "?"
    yield f"{PG_URL}{sep}options=-csearch_path%3D{schema}"
    with psycopg.connect(PG_URL, autocommit=True) as admin:
        admin.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture
def store(db_url):
    with open_store(db_url) as s:
        yield s


HERAT = dict(geonameid=1139715, name="Herat", country="AF", admin1="11", lat=34.348, lon=62.199, feature="city")
KANDAHAR = dict(geonameid=1138336, name="Kandahar", country="AF", admin1="23", lat=31.61, lon=65.71, feature="city")
ALEPPO = dict(geonameid=170063, name="Aleppo", country="SY", admin1="09", lat=36.202, lon=37.155, feature="city")


def make_report(text, article_id, outlet, place, day, type_="ARMED_CLASH", actor="Taliban", published=None):
    """An article and the report an extractor would give for it: one event at `place` on `day`.

    The text must contain the place name, the actor name and "attacked" (the spans point at them).
    """
    article = Article(id=article_id, text=text, published=published or day, outlet=outlet,
                      source_path=f"/news/{article_id}.txt")

    def span(word):
        start = text.index(word)
        return Span(start, start + len(word), word)

    where = span(place["name"])
    trigger = span("attacked")
    who = span(actor)
    acled = {"ARMED_CLASH": {"event_type": "Battles", "sub_event_type": "Armed clash"},
             "AIR_STRIKE": {"event_type": "Explosions/Remote violence", "sub_event_type": "Air/drone strike"}}
    report = Report(
        id=article_id, published=article.published, outlet=outlet, content_hash=article.content_hash,
        places=[Place(id="p1", start=where.start, end=where.end, text=where.text, confidence=0.9, **place)],
        actors=[Actor(id="a1", name=actor, type="rebel group", inter=2, code="AFGREB", mentions=[who],
                      confidence=0.9)],
        events=[Event(id="e1", trigger=trigger, evidence=[Span(0, len(text), text)], type=type_,
                      acled=acled.get(type_), cameo="190", plover={"type": "ASSAULT", "mode": None}, actor1="a1",
                      location="p1", date_value=day, date_precision="day", fatalities=4, confidence=0.8)],
    )
    return article, report


def herat_pair():
    """Two outlets telling the same attack in Herat."""
    return [
        make_report("Taliban fighters attacked a checkpoint in Herat, killing four police officers.",
                    "herat-1", "Kabul Daily", HERAT, "2021-07-27"),
        make_report("Four officers died after the Taliban attacked a police post in Herat on Tuesday.",
                    "herat-2", "Frontier Post", HERAT, "2021-07-27"),
    ]


def test_store_save_clusters_one_happening_told_twice(store):
    for i, (article, report) in enumerate(herat_pair()):
        assert store.save(article, report, source=f"s{i}") == "processed"
    incidents = list(store.incidents())
    assert len(incidents) == 1
    assert incidents[0].num_articles == 2 and incidents[0].num_sources == 2
    assert {m.article_id for m in incidents[0].mentions} == {"herat-1", "herat-2"}
    ids = {meta.incident_id for meta, _ in store.events()}
    assert ids == {incidents[0].id}


def test_store_keeps_different_happenings_apart(store):
    for i, (article, report) in enumerate([
        *herat_pair(),
        make_report("Taliban gunmen attacked a district office in Kandahar.", "kandahar", "Kabul Daily",
                    KANDAHAR, "2021-07-27"),
        make_report("Taliban fighters attacked a checkpoint in Herat again, weeks later.", "herat-late",
                    "Kabul Daily", HERAT, "2021-09-20"),
    ]):
        store.save(article, report, source=f"s{i}")
    assert sorted(i.num_articles for i in store.incidents()) == [1, 1, 2]


def test_store_same_text_is_a_duplicate_and_replace_redoes_it(store):
    (article, report), _ = herat_pair()
    store.save(article, report, source="a")
    before = store.counts()
    copy = Article(id="herat-copy", text=article.text, source_path="/news/copy.txt")
    assert store.save(copy, report, source="b") == "skipped"
    assert store.save(article, report, source="a") == "skipped"
    assert store.save(article, report, source="a", replace=True) == "processed"
    assert store.counts() == {**before, "inputs": before["inputs"] + 1}
    assert [i.num_articles for i in store.incidents()] == [1]
    status = store.status()
    assert status["inputs"] == {"processed": 1, "duplicate": 1}
    assert status["duplicates"][0]["source"] == "b" and "herat-1" in status["duplicates"][0]["reason"]


def test_store_replace_rebuilds_the_incidents_it_touched(store):
    (a1, r1), (a2, r2) = herat_pair()
    store.save(a1, r1, source="a")
    store.save(a2, r2, source="b")
    r2.events = []  # the article, extracted again, no longer has the event
    store.save(a2, r2, source="b", replace=True)
    (incident,) = store.incidents()
    assert incident.num_articles == 1
    assert [m.article_id for m in incident.mentions] == ["herat-1"]
    r1.events = []
    store.save(a1, r1, source="a", replace=True)
    assert list(store.incidents()) == []


@pytest.fixture
def filled(store):
    for i, (article, report) in enumerate([
        *herat_pair(),
        make_report("Taliban gunmen attacked a district office in Kandahar.", "kandahar", "Kabul Daily",
                    KANDAHAR, "2021-08-03"),
        make_report("Regime aircraft attacked a market in Aleppo, a monitor said.", "aleppo", "Levant Wire",
                    ALEPPO, "2021-08-10", type_="AIR_STRIKE", actor="Regime"),
    ]):
        store.save(article, report, source=f"s{i}")
    return store


@pytest.mark.parametrize("filters,expected", [
    ({}, ["herat-1", "herat-2", "kandahar", "aleppo"]),
    ({"country": "sy"}, ["aleppo"]),
    ({"type": "AIR_STRIKE"}, ["aleppo"]),
    ({"type": "battles"}, ["herat-1", "herat-2", "kandahar"]),
    ({"type": "assault"}, ["herat-1", "herat-2", "kandahar", "aleppo"]),
    ({"since": "2021-08-01"}, ["kandahar", "aleppo"]),
    ({"until": "2021-08-03"}, ["herat-1", "herat-2", "kandahar"]),
    ({"since": "2021-08-01", "until": "2021-08-03"}, ["kandahar"]),
    ({"near": (34.35, 62.2, 25)}, ["herat-1", "herat-2"]),
    ({"near": (32.5, 64.5, 230)}, ["kandahar"]),  # Herat is in the bounding box but ~ 296 km away
    ({"actor": "regime"}, ["aleppo"]),
    ({"text": "police"}, ["herat-1", "herat-2"]),
    ({"text": "officers checkpoint"}, ["herat-1"]),
    ({"text": "market, Aleppo!"}, ["aleppo"]),
    ({"country": "AF", "text": "district"}, ["kandahar"]),
    ({"limit": 2}, ["herat-1", "herat-2"]),
])
def test_store_event_filters(filled, filters, expected):
    assert [meta.article_id for meta, _ in filled.events(**filters)] == expected


def test_store_events_carry_place_actor_names_and_evidence(filled):
    meta, event = next(filled.events(country="SY"))
    assert (meta.place.name, meta.place.lat, meta.actor1, meta.outlet) == ("Aleppo", 36.202, "Regime", "Levant Wire")
    assert event.trigger.text == "attacked" and event.location == "p1"


@pytest.mark.parametrize("filters,expected", [
    ({}, [("2021-07-27", 2), ("2021-08-03", 1), ("2021-08-10", 1)]),
    ({"country": "AF"}, [("2021-07-27", 2), ("2021-08-03", 1)]),
    ({"type": "Air/drone strike"}, [("2021-08-10", 1)]),
    ({"since": "2021-08-01", "until": "2021-08-05"}, [("2021-08-03", 1)]),
    ({"near": (34.35, 62.2, 25)}, [("2021-07-27", 2)]),
    ({"actor": "taliban"}, [("2021-07-27", 2), ("2021-08-03", 1)]),
    ({"text": "post"}, [("2021-07-27", 2)]),
    ({"limit": 1}, [("2021-07-27", 2)]),
])
def test_store_incident_filters(filled, filters, expected):
    assert [(i.date, i.num_articles) for i in filled.incidents(**filters)] == expected


def test_store_article_round_trip(filled):
    article, report = filled.article("aleppo")
    assert article.text.startswith("Regime aircraft") and article.outlet == "Levant Wire"
    assert report.events[0].type == "AIR_STRIKE"
    assert filled.article(article.content_hash)[0].id == "aleppo"
    with pytest.raises(StoreError, match="no stored article"):
        filled.article("nowhere")


def test_store_bad_filter_values_are_clear_errors(filled):
    with pytest.raises(StoreError, match="not an ISO date"):
        list(filled.events(since="last week"))
    with pytest.raises(StoreError, match="no words"):
        list(filled.incidents(text="?!"))
