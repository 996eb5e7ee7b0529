"""How the store finds the incident a new event belongs to: the candidates it fetches, on both backends.

The store fetches by map cell, country, place kind, type and date (db.Store._candidates); these cases are the
edges of those fetches, where a missed candidate would split one happening in two.
"""

from test_store_queries import db_url, make_report, store  # noqa: F401  (fixtures over both backends)

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
