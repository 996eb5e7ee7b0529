"""The REST API over a real SQLite store filled by the real pipeline from invented articles."""

import dataclasses
import json
from datetime import date

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from wirecoder.cli import main
from wirecoder.pipeline import make_article
from wirecoder.records import Event
from wirecoder.serve import create_app, create_token
from wirecoder.store import open_store

LOOPBACK = ("127.0.0.1", 50000)

# invented articles (not real news): two tell the same attack in Herat, one a protest in Nairobi, one a strike
# in Aleppo
ARTICLES = [
    dict(id="herat-1", published="2024-03-08", outlet="Kestrel Wire", title="Checkpoint attack in Herat",
         text="Taliban fighters attacked a police checkpoint in Herat on Tuesday, killing four police officers, "
              "the provincial governor said.\n\"The attackers came at night and opened fire,\" a police "
              "spokesman told reporters."),
    dict(id="herat-2", published="2024-03-08", outlet="Lantern Daily", title="Four police killed",
         text="Four policemen were killed when Taliban gunmen stormed a checkpoint in Herat province on "
              "Tuesday, according to local officials."),
    dict(id="nairobi-1", published="2024-03-15", outlet="Kestrel Wire", title="March in Nairobi",
         text="Thousands of protesters marched in Nairobi on Friday to demand lower food prices, police said. "
              "The demonstration was peaceful."),
    dict(id="aleppo-1", published="2024-02-20", outlet="Lantern Daily", title="Market strike",
         text="An air strike hit a crowded market in Aleppo on Monday, killing 12 civilians, a monitoring "
              "group said."),
]


@pytest.fixture(scope="module")
def db(tmp_path_factory, pipeline):
    path = str(tmp_path_factory.mktemp("serve") / "store.db")
    with open_store(path) as store:
        for item in ARTICLES:
            meta = {k: v for k, v in item.items() if k not in ("text", "id", "published")}
            article = make_article(item["text"], id=item["id"], published=item["published"], **meta)
            store.save(article, pipeline(article), source=f"test:{item['id']}")
    return path


@pytest.fixture(scope="module")
def app(db, pipeline):
    return create_app(db, pipeline=pipeline, max_body=20_000, max_page=50)


@pytest.fixture(scope="module")
def client(app):
    return TestClient(app, client=LOOPBACK)


@pytest.fixture(scope="module")
def token(db):
    with open_store(db) as store:
        return create_token(store, "tests")


@pytest.fixture(scope="module")
def incidents(client):
    body = client.get("/api/incidents", params={"limit": 50}).json()
    assert body["next"] is None
    return body["items"]


def test_serve_incidents_come_from_the_articles(incidents):
    assert incidents, "the invented articles gave no incident"
    told = {m["article_id"] for i in incidents for m in i["mentions"]}
    assert told <= {a["id"] for a in ARTICLES}
    assert {"AF", "SY"} <= {i["place"]["country"] for i in incidents if i["place"]}


def test_serve_same_attack_is_one_incident_with_two_sources(incidents):
    herat = [i for i in incidents if {m["article_id"] for m in i["mentions"]} >= {"herat-1", "herat-2"}]
    assert len(herat) == 1
    assert herat[0]["num_sources"] == 2


@pytest.mark.parametrize("param, value, check", [
    ("country", "af", lambda i: i["place"]["country"] == "AF"),
    ("country", "SY", lambda i: i["place"]["country"] == "SY"),
    ("actor", "taliban", lambda i: "taliban" in json.dumps([i["actor1"], i["actor2"], i["assoc_actors"]]).lower()),
    ("text", "checkpoint", lambda i: {m["article_id"] for m in i["mentions"]} & {"herat-1", "herat-2"}),
    ("near", "34.35,62.2,50", lambda i: i["place"]["country"] == "AF"),
])
def test_serve_incident_filters_keep_only_matches(client, incidents, param, value, check):
    items = client.get("/api/incidents", params={param: value}).json()["items"]
    assert items, f"nothing matched {param}={value}"
    assert all(check(i) for i in items)
    assert len(items) < len(incidents)


def test_serve_date_range_filter(client, incidents):
    items = client.get("/api/incidents", params={"since": "2024-03-01", "until": "2024-03-31"}).json()["items"]
    ids = {i["id"] for i in items}
    aleppo = [i for i in incidents if any(m["article_id"] == "aleppo-1" for m in i["mentions"])]
    assert aleppo and not ids & {i["id"] for i in aleppo}
    assert all(i["date"] is None or i["date"][:7] in ("2024-02", "2024-03") for i in items)


def test_serve_type_filter_matches_code_and_acled_type(client, incidents):
    first = next(i for i in incidents if i["acled"])
    by_code = client.get("/api/incidents", params={"type": first["type"].lower()}).json()["items"]
    by_acled = client.get("/api/incidents", params={"type": first["acled"]["event_type"]}).json()["items"]
    assert first["id"] in {i["id"] for i in by_code} & {i["id"] for i in by_acled}
    assert all(i["type"] == first["type"] for i in by_code)


def test_serve_pages_cover_the_list_once(client, incidents):
    seen, url = [], "/api/incidents?limit=1"
    while url:
        body = client.get(url).json()
        assert len(body["items"]) <= 1
        seen += [i["id"] for i in body["items"]]
        url = body["next"]
    assert seen == [i["id"] for i in incidents]


def test_serve_geojson_points_are_lon_lat(client):
    body = client.get("/api/incidents", params={"format": "geojson", "country": "AF"})
    assert body.headers["content-type"].startswith("application/geo+json")
    collection = body.json()
    assert collection["type"] == "FeatureCollection" and collection["features"]
    for feature in collection["features"]:
        lon, lat = feature["geometry"]["coordinates"]
        assert (lat, lon) == (feature["properties"]["place"]["lat"], feature["properties"]["place"]["lon"])
        assert 29 < lat < 39 and 60 < lon < 75  # Afghanistan
        assert "mentions" not in feature["properties"]


def test_serve_incident_detail_marks_evidence_inside_each_source(client, incidents):
    herat = next(i for i in incidents if len(i["mentions"]) >= 2)
    detail = client.get(f"/api/incidents/{herat['id']}").json()
    assert len(detail["source_views"]) == len(herat["mentions"])
    for view in detail["source_views"]:
        article = client.get(f"/api/articles/{view['content_hash']}").json()
        assert view["passages"]
        triggers = []
        for passage in view["passages"]:
            assert article["text"][passage["start"]:passage["end"]] == passage["text"]
            for span in passage["spans"]:
                assert passage["start"] <= span["start"] < span["end"] <= passage["end"]
                assert article["text"][span["start"]:span["end"]] == span["text"]
            triggers += [s for s in passage["spans"] if s["role"] == "trigger"]
        assert len(triggers) == 1 and triggers[0]["owner"] == view["event_id"]


def test_serve_incident_detail_says_who_says_so(client, incidents):
    views = [v for i in incidents for v in client.get(f"/api/incidents/{i['id']}").json()["source_views"]]
    said = [q for v in views for q in v["said_by"]]
    assert said, "no source view carries an attribution"
    for q in said:
        assert q["speaker"] and q["content"]["text"]


def test_serve_event_list_and_detail(client):
    body = client.get("/api/events", params={"country": "AF"}).json()
    assert body["items"] and all(e["place"]["country"] == "AF" for e in body["items"])
    event = body["items"][0]
    assert event["article"]["id"] in {"herat-1", "herat-2"}
    detail = client.get(f"/api/events/{event['key']}").json()
    assert detail["id"] == event["id"] and detail["incident_id"] == event["incident_id"]
    assert any(s["role"] == "trigger" and s["text"] == event["trigger"]["text"]
               for p in detail["passages"] for s in p["spans"])


def test_serve_article_spans_match_its_text(client):
    article = client.get("/api/articles/herat-1").json()
    assert article["text"].startswith("Taliban fighters attacked")
    roles = {s["role"] for s in article["spans"]}
    assert {"place", "actor", "trigger", "evidence"} <= roles
    for span in article["spans"]:
        assert article["text"][span["start"]:span["end"]] == span["text"]
    assert article["report"]["id"] == "herat-1"


def test_serve_counts_add_up(client, incidents):
    for by in ("type", "country", "week"):
        counts = client.get("/api/counts", params={"by": by}).json()["counts"]
        assert sum(c["count"] for c in counts) == len(incidents)
    weeks = [c["key"] for c in client.get("/api/counts", params={"by": "week"}).json()["counts"] if c["key"]]
    assert weeks == sorted(weeks) and all(date.fromisoformat(w).weekday() == 0 for w in weeks)
    af = client.get("/api/counts", params={"by": "country", "country": "AF"}).json()["counts"]
    assert [c["key"] for c in af] == ["AF"]


def test_serve_actors_and_places(client):
    actors = client.get("/api/actors", params={"q": "taliban"}).json()["items"]
    assert actors and all("taliban" in a["name"].lower() for a in actors)
    assert actors[0]["articles"] >= 2
    places = client.get("/api/places", params={"country": "AF"}).json()["items"]
    assert places and all(p["country"] == "AF" and p["geonameid"] for p in places)


@pytest.mark.parametrize("url, status", [
    ("/api/incidents?limit=51", 422),
    ("/api/incidents?limit=0", 422),
    ("/api/incidents?offset=-1", 422),
    ("/api/incidents?country=Afghanistan", 422),
    ("/api/incidents?since=last-week", 422),
    ("/api/incidents?near=34,62", 422),
    ("/api/incidents?near=134,62,10", 422),
    ("/api/incidents?near=nan,62,10", 422),
    ("/api/incidents?format=xml", 422),
    ("/api/events?text=%21%3F", 400),
    ("/api/counts?by=month", 422),
    ("/api/incidents/no-such-incident", 404),
    ("/api/events/no-such-event", 404),
    ("/api/events/abc-e1", 404),
    ("/api/articles/no-such-article", 404),
])
def test_serve_bad_requests_get_a_message(client, url, status):
    response = client.get(url)
    assert response.status_code == status
    assert response.json()["detail"]


def test_serve_reads_from_elsewhere_need_a_token(app, token):
    remote = TestClient(app, client=("203.0.113.9", 40000))
    assert remote.get("/api/incidents").status_code == 401
    assert remote.get("/api/incidents", headers={"Authorization": "Bearer wc_wrong"}).status_code == 401
    assert remote.get("/api/incidents", headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_serve_open_reads_setting(db, pipeline):
    remote = TestClient(create_app(db, pipeline=pipeline, open_reads=True), client=("203.0.113.9", 40000))
    assert remote.get("/api/incidents").status_code == 200
    assert remote.post("/api/articles", json={"text": "Some text."}).status_code == 401


SUBMITTED = ("Soldiers clashed with militants near Kandahar on Sunday, killing three fighters, an army "
             "spokesman said.")


def test_serve_submit_needs_a_valid_token(client):
    assert client.post("/api/articles", json={"text": SUBMITTED}).status_code == 401
    response = client.post("/api/articles", json={"text": SUBMITTED}, headers={"Authorization": "Bearer nope"})
    assert response.status_code == 401


def test_serve_submit_extracts_stores_and_clusters(client, token):
    auth = {"Authorization": f"Bearer {token}"}
    body = {"text": SUBMITTED, "id": "kandahar-1", "published": "2024-04-02", "outlet": "Kestrel Wire"}
    response = client.post("/api/articles", json=body, headers=auth)
    assert response.status_code == 201, response.text
    result = response.json()
    assert result["status"] == "processed" and result["article_id"] == "kandahar-1"
    assert any(p["text"] == "Kandahar" for p in result["report"]["places"])
    stored = client.get("/api/articles/kandahar-1").json()
    assert stored["text"] == SUBMITTED and stored["outlet"] == "Kestrel Wire"
    for incident_id in result["incidents"]:
        mentions = client.get(f"/api/incidents/{incident_id}").json()["mentions"]
        assert "kandahar-1" in {m["article_id"] for m in mentions}
    again = client.post("/api/articles", json=body, headers=auth)
    assert again.status_code == 200 and again.json()["status"] == "duplicate"


def test_serve_submit_html_keeps_the_main_text(client, token):
    html = ("<html><head><title>Night raid</title></head><body><nav>Home | World | Sport</nav><article>"
            "<h1>Night raid</h1><p>Security forces arrested six suspects in a night raid in Mosul on Thursday, "
            "the interior ministry said in a statement.</p><p>The suspects were taken to a detention centre "
            "outside the city, officials added.</p></article><footer>Copyright</footer></body></html>")
    response = client.post("/api/articles", json={"html": html, "published": "2024-04-05"},
                           headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 201, response.text
    stored = client.get(f"/api/articles/{response.json()['content_hash']}").json()
    assert "night raid in Mosul" in stored["text"] and "Home | World" not in stored["text"]


@pytest.mark.parametrize("body, status", [
    ({}, 422),
    ({"text": ""}, 422),
    ({"text": "   "}, 422),
    ({"text": "a", "html": "<p>a</p>"}, 422),
    ({"text": "a", "published": "yesterday"}, 422),
    ({"text": "a", "colour": "red"}, 422),
    ({"text": 5}, 422),
    ({"html": "<html><body></body></html>"}, 422),
    ({"text": "x" * 30_000}, 413),
])
def test_serve_submit_rejects_bad_bodies(client, token, body, status):
    response = client.post("/api/articles", json=body, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == status
    assert response.json()["detail"]


def test_serve_submit_rejects_malformed_json(client, token):
    response = client.post("/api/articles", content=b"{not json", headers={
        "Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    assert response.status_code == 422


def test_serve_token_cli_makes_a_working_token(db, app):
    runner = CliRunner()
    result = runner.invoke(main, ["token", "create", "cli-made", "--db", db])
    assert result.exit_code == 0, result.output
    made = result.output.strip()
    remote = TestClient(app, client=("203.0.113.9", 40000))
    assert remote.get("/api/actors", headers={"Authorization": f"Bearer {made}"}).status_code == 200
    again = runner.invoke(main, ["token", "create", "cli-made", "--db", db])
    assert again.exit_code != 0 and "already exists" in again.output
    with open_store(db) as store:
        stored = [r["hash"] for r in store.execute("SELECT hash FROM api_tokens")]
    assert made not in stored  # only the hash is kept


def test_serve_openapi_documents_every_endpoint(client):
    spec = client.get("/openapi.json").json()
    assert {"/api/incidents", "/api/incidents/{incident_id}", "/api/events", "/api/events/{key}",
            "/api/articles", "/api/articles/{article_id}", "/api/actors", "/api/places",
            "/api/counts"} <= set(spec["paths"])
    assert "post" in spec["paths"]["/api/articles"]


def test_serve_dashboard_and_static_files(client):
    page = client.get("/")
    assert page.status_code == 200 and 'id="map"' in page.text
    for path in ("/static/app.js", "/static/leaflet/leaflet.js", "/static/leaflet/leaflet.css"):
        assert client.get(path).status_code == 200
    basemap = client.get("/static/basemap.geojson").json()
    assert basemap["type"] == "FeatureCollection" and len(basemap["features"]) > 150


def test_serve_cache_answers_a_repeated_read_from_memory(client):
    first = client.get("/api/events", params={"country": "af", "limit": 7})
    again = client.get("/api/events", params={"country": "af", "limit": 7})
    assert (first.headers["x-cache"], again.headers["x-cache"]) == ("miss", "hit")
    assert again.content == first.content and again.headers["content-type"] == first.headers["content-type"]
    other = client.get("/api/events", params={"country": "af", "limit": 6})
    assert other.headers["x-cache"] == "miss" and len(other.json()["items"]) <= 6


def test_serve_cache_never_serves_a_read_older_than_the_store(client, token, db, pipeline):
    # a page read (and cached) before each write must show the write the next time it is asked for: by the API,
    # and by another connection to the same file (as `wirecoder run` would write)
    auth = {"Authorization": f"Bearer {token}"}
    writes = [
        lambda text: client.post("/api/articles", json={"text": text, "published": "2024-06-03"}, headers=auth),
        lambda text: _save_elsewhere(db, pipeline, text),
    ]
    for n, write in enumerate(writes):
        word = ["Zaranjbad", "Qalatkot"][n]
        url = f"/api/events?text={word}"
        assert client.get(url).json()["items"] == []
        assert client.get(url).headers["x-cache"] == "hit"
        write(f"Gunmen attacked a police post in {word} on Monday, killing two officers, a police spokesman said.")
        after = client.get(url)
        assert after.headers["x-cache"] == "miss"
        assert after.json()["items"], f"the event stored after the first read is missing (write {n})"


def _save_elsewhere(db, pipeline, text):
    with open_store(db) as store:
        article = make_article(text, id="elsewhere-1", published="2024-06-03")
        assert store.save(article, pipeline(article), source="test:elsewhere") == "processed"


def test_serve_cache_keeps_out_reads_that_need_a_token(app, token):
    remote = TestClient(app, client=("203.0.113.9", 40000))
    for _ in range(2):
        response = remote.get("/api/events", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 200 and "x-cache" not in response.headers
    assert remote.get("/api/events").status_code == 401


def test_serve_event_items_splice_no_duplicate_keys(client):
    # event_item splices the stored event JSON between the keys it adds: none of them may be an Event field
    added = {"key", "place", "incident_id", "article"}
    assert not added & {f.name for f in dataclasses.fields(Event)}
    item = client.get("/api/events", params={"limit": 1}).json()["items"][0]
    assert list(item)[0] == "key" and list(item)[-3:] == ["place", "incident_id", "article"]
    assert item["place"] is None or item["place"]["id"] == item["location"]


def test_serve_reads_in_the_thread_pool_match_reads_on_the_loop(db, pipeline):
    # PostgreSQL stores read in the thread pool (api.read): the same answers as SQLite's reads on the event loop
    pooled = create_app(db, pipeline=pipeline, cache=False)
    pooled.state.stores.inline = False
    inline = create_app(db, pipeline=pipeline, cache=False)
    for url in ("/api/events?country=AF", "/api/incidents?limit=3", "/api/counts?by=country", "/api/articles/herat-1",
                "/api/incidents/no-such-incident"):
        a, b = (TestClient(app, client=LOOPBACK).get(url) for app in (pooled, inline))
        assert (a.status_code, a.content) == (b.status_code, b.content), url


def test_serve_event_filters_ignore_case(client):
    # SQLite matches them with NOCASE and LIKE, PostgreSQL with LOWER(): the same answers for any case
    event = next(e for e in client.get("/api/events").json()["items"] if e["acled"])
    for param, value in (("type", event["type"]), ("type", event["acled"]["event_type"]), ("actor", "Taliban")):
        answers = [client.get("/api/events", params={param: v}).json()["items"]
                   for v in (value, value.lower(), value.upper(), value.swapcase())]
        assert answers[0] and all(a == answers[0] for a in answers), (param, value)
        assert param == "actor" or event["key"] in {e["key"] for e in answers[0]}


@pytest.mark.parametrize("filters", [
    dict(country="AF", type="attack"), dict(since="2024-03-01", until="2024-03-31", actor="taliban"),
    dict(near=(34.35, 62.2, 50), type="Violence against civilians"),
])
def test_serve_event_filters_are_answered_from_one_index(db, filters):
    # migration 3: a filtered page of events reads a narrow index that holds every filtered column, never the
    # event rows with their JSON
    from wirecoder.serve import queries

    with open_store(db) as store:
        where, params = queries._where(store, "e", queries.Filters(**filters))
        plan = store.execute("EXPLAIN QUERY PLAN SELECT e.id, e.lat, e.lon FROM events e WHERE "
                             + " AND ".join(where) + " ORDER BY e.id", params).fetchall()
    assert any("USING COVERING INDEX events_by_" in r["detail"] for r in plan), [r["detail"] for r in plan]
