"""How the store finds the incident a new event belongs to: the candidates it fetches, on both backends.

The store fetches by map cell, country, place kind, type and date (db.Store._candidates); these cases are the
edges of those fetches, where a missed candidate would split one happening in two.
"""

from test_store_queries import db_url, make_report, store  # noqa: F401  (fixtures over both backends)

from wirecoder.store import db, open_store

# invented towns (made-up ids) on either side of the 10th parallel and of the 20th meridian, 8 km apart
NORTH = dict(geonameid=9100001, name="Northwick", country="XA", admin1="01", lat=10.03, lon=19.98, feature="city")
SOUTH = dict(geonameid=9100002, name="Southwick", country="XA", admin1="01", lat=9.98, lon=20.02, feature="city")
FAR = dict(geonameid=9100003, name="Farholm", country="XA", admin1="01", lat=11.5, lon=21.5, feature="city")
PROVINCE = dict(geonameid=9100010, name="Westmark", country="XA", admin1="01", lat=11.0, lon=21.0, feature="admin1")
ACROSS = dict(geonameid=9100020, name="Borderby", country="XB", admin1="07", lat=10.0, lon=20.05, feature="city")


def _save(store, place, article_id, outlet, day="2024-05-02", type_="ARMED_CLASH"):
    text = f"Rebel fighters attacked an army post in {place['name']}, Taliban sources told {outlet} ({article_id})."
    article, report = make_report(text, article_id, outlet, place, day, type_=type_)
    store.save(article, report, source=article_id)


def _sizes(store):
    return sorted(i.num_articles for i in store.incidents())


def test_store_nearby_towns_in_different_map_cells_are_one_incident(store):
    _save(store, NORTH, "north", "Daily A")
    _save(store, SOUTH, "south", "Wire B")
    _save(store, ACROSS, "across", "Post C")  # 4 km away, across a border
    assert _sizes(store) == [3]


def test_store_a_province_and_a_far_town_in_it_are_one_incident_whichever_comes_first(store):
    _save(store, PROVINCE, "province", "Daily A")
    _save(store, FAR, "far", "Wire B")  # 58 km from the province's centroid
    _save(store, FAR, "far-later", "Daily A", day="2024-05-20")
    _save(store, PROVINCE, "province-later", "Wire B", day="2024-05-20")
    assert _sizes(store) == [2, 2]


def test_store_far_towns_and_different_days_stay_apart(store):
    _save(store, NORTH, "north", "Daily A")
    _save(store, FAR, "far", "Wire B")  # same province, 200 km away
    _save(store, SOUTH, "later", "Post C", day="2024-05-09")
    assert _sizes(store) == [1, 1, 1]


def test_store_sees_what_another_connection_merged_into_an_incident_it_decoded(db_url):
    """A store keeps the incidents it decoded; a write by another process (another connection) makes its copy
    stale, and the next event must join the incident as that process left it, not as the copy has it."""
    with open_store(db_url) as first, open_store(db_url) as second:
        _save(first, NORTH, "north", "Daily A")
        _save(second, SOUTH, "south", "Wire B")
        _save(first, NORTH, "north-again", "Post C")
        (incident,) = first.incidents()
        assert incident.num_articles == 3
        assert [m.article_id for m in incident.mentions] == ["north", "north-again", "south"]
        assert incident.sources == ["Daily A", "Post C", "Wire B"]


def test_store_clusters_alike_when_it_can_keep_few_decoded_incidents(store, monkeypatch):
    monkeypatch.setattr(db, "_DECODED_MAX", 1)
    for k, place in enumerate((NORTH, FAR, SOUTH, FAR, NORTH)):
        _save(store, place, f"a{k}", ("Daily A", "Wire B", "Post C")[k % 3])
    assert _sizes(store) == [2, 3]


def test_store_candidate_fetches_run_on_the_blocking_indexes(tmp_path, monkeypatch):
    """Each fetch must seek by map cell, country or incident id: a plan led by anything else (SQLite once
    chose an index on type alone) reads more rows the bigger the store grows."""
    queries = []
    execute = db.Store.execute

    def spy(self, query, params=()):
        if query.startswith("SELECT id, incident_id"):
            queries.append((query, tuple(params)))
        return execute(self, query, params)

    monkeypatch.setattr(db.Store, "execute", spy)
    with open_store(tmp_path / "plans.db") as store:
        for k, (place, type_) in enumerate([(NORTH, "ARMED_CLASH"), (PROVINCE, "ARMED_CLASH"), (SOUTH, "ATTRIB")]):
            _save(store, place, f"a{k}", "Daily A", type_=type_)
        plans = {row["detail"] for query, params in queries
                 for row in store.execute("EXPLAIN QUERY PLAN " + query, params)}
    assert len(queries) >= 6
    blocking = (" incidents_by_cell ", " incidents_by_country ", "(incident_id=?)")
    assert all(any(index in plan for index in blocking) for plan in plans), plans
