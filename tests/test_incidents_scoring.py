"""Incident matching and merging on hand-built records: the scoring logic without the pipeline."""

import itertools
import tomllib
from importlib import resources

import pytest

from wirecoder.incidents import (
    MATCH_THRESHOLD,
    MAX_DISTANCE_KM,
    MatchKeys,
    block_keys,
    date_range,
    distance_km,
    incident_from_event,
    match_keys,
    match_score,
    merge,
    place_kind,
    score_keys,
)
from wirecoder.records import Actor, DateMention, Event, Incident, Place, Report, Span

# invented places (ids and coordinates made up for the tests)
TOWN = Place("p1", 0, 6, "Dorvik", 9000001, "Dorvik", "XA", "01", lat=10.0, lon=20.0, feature="city",
             precision="city", confidence=0.9)
DISTRICT = Place("p1", 0, 6, "Eastgate", 9000002, "Eastgate", "XA", "01", lat=10.05, lon=20.05, feature="admin2",
                 precision="admin2", confidence=0.8)
OTHER_TOWN = Place("p1", 0, 6, "Malvo", 9000003, "Malvo", "XA", "02", lat=12.0, lon=22.0, feature="city",
                   precision="city", confidence=0.9)
COUNTRY = Place("p1", 0, 6, "Xandria", 9000000, "Xandria", "XA", None, lat=11.0, lon=21.0, feature="country",
                precision="country", confidence=0.9)
ABROAD = Place("p1", 0, 6, "Zelt", 9000010, "Zelt", "XB", "01", lat=-30.0, lon=5.0, feature="city",
               precision="city", confidence=0.9)

ATTACK = {"event_type": "Violence against civilians", "sub_event_type": "Attack"}
CLASH = {"event_type": "Battles", "sub_event_type": "Armed clash"}
PROTEST = {"event_type": "Protests", "sub_event_type": "Peaceful protest"}


def report(content_hash, outlet, place=TOWN, day="2024-03-04", explicit=True, fatalities=5, type_="ATTACK",
           acled=ATTACK, actor="Red Hand", confidence=0.8, events=1):
    """A one-article report with `events` events of the same kind (ids e1, e2, ...)."""
    actors = [Actor("a1", actor, type="rebel group", inter=2, code="XAREB")] if actor else []
    dates = [DateMention("d1", 0, 6, "Monday", day, "day", 0.9)] if explicit else []
    evs = [
        Event(
            f"e{i}", Span(10, 16, "killed"), [Span(0, 30, f"Gunmen killed {fatalities} people.")], type_,
            acled=acled, actor1="a1" if actor else None, location="p1" if place else None,
            date="d1" if explicit else None, date_value=day, date_precision="day", fatalities=fatalities,
            confidence=confidence,
        )
        for i in range(1, events + 1)
    ]
    return Report(id=content_hash, published="2024-03-05", outlet=outlet, content_hash=content_hash,
                  places=[place] if place else [], dates=dates, actors=actors, events=evs)


def one(content_hash="h1", outlet="Daily A", **kw) -> Incident:
    r = report(content_hash, outlet, **kw)
    return incident_from_event(r, r.events[0])


def test_incidents_from_event_resolves_ids():
    inc = one(fatalities=7)
    assert inc.place.name == "Dorvik" and inc.actor1 == "Red Hand" and inc.actor1_inter == 2
    assert (inc.date, inc.date_precision, inc.fatalities) == ("2024-03-04", "day", 7)
    assert (inc.num_articles, inc.num_sources, inc.sources) == (1, 1, ["Daily A"])
    assert inc.notes == "Gunmen killed 7 people."
    assert inc.mentions[0].trigger_start == 10 and inc.mentions[0].date_explicit


def test_incidents_id_is_stable_and_distinct():
    assert one().id == one().id
    assert one().id != one(content_hash="h2").id
    r = report("h1", "Daily A", events=2)
    assert incident_from_event(r, r.events[0]).id != incident_from_event(r, r.events[1]).id


def test_incidents_source_falls_back_to_url_host():
    r = report("h1", None)
    r.url = "https://www.example-news.test/story/1"
    assert incident_from_event(r, r.events[0]).sources == ["example-news.test"]


@pytest.mark.parametrize(
    "new_kw, expected",
    [
        ({"place": DISTRICT}, True),  # district of the town: the same place told more precisely
        ({"place": COUNTRY, "explicit": False}, True),  # country only, undated: weaker but the same
        ({"type_": "ARMED_CLASH", "acled": CLASH}, True),  # clash vs attack: compatible
        ({"actor": None}, True),  # actors unknown on one side
        ({"day": "2024-03-07"}, False),  # another day in the same town
        ({"place": OTHER_TOWN}, False),  # another town, 300 km away
        ({"place": ABROAD}, False),
        ({"type_": "PEACE_PROTEST", "acled": PROTEST}, False),  # a protest is not an attack
    ],
)
def test_incidents_match_decisions(new_kw, expected):
    score = match_score(one("h2", "Daily B", **new_kw), one())
    assert 0.0 <= score <= 1.0
    assert (score >= MATCH_THRESHOLD) is expected, score


def test_incidents_country_level_is_weaker_than_town():
    town = match_score(one("h2", "B"), one())
    country = match_score(one("h2", "B", place=COUNTRY), one())
    assert country < town


BOMB = {"event_type": "Explosions/Remote violence", "sub_event_type": "Suicide bomb"}
IED = {"event_type": "Explosions/Remote violence", "sub_event_type": "Remote explosive/landmine/IED"}


def test_incidents_events_of_one_article_merge_only_within_one_acled_event_type():
    r = report("h1", "Daily A", events=3, type_="SUIC_BOMB", acled=BOMB)
    r.events[1].type, r.events[1].acled = "REM_EXPLOS", IED  # the same bombing, told again as a blast
    r.events[2].type, r.events[2].acled = "ATTACK", ATTACK  # compatible with a bombing, yet the article tells two
    bomb, blast, attack = (incident_from_event(r, e) for e in r.events)
    assert match_score(blast, bomb) >= MATCH_THRESHOLD
    assert match_score(attack, bomb) == 0.0
    assert match_score(attack, merge(one("h2", "Wire B", type_="SUIC_BOMB", acled=BOMB), blast)) == 0.0
    assert match_score(attack, one("h2", "Wire B", type_="SUIC_BOMB", acled=BOMB)) >= MATCH_THRESHOLD  # others may


def test_incidents_match_keys_kept_as_json_score_as_the_incidents_do():
    """The store scores candidates from their stored match keys: read back, they must decide as the whole
    incidents would, for every pair of these (places, dates, actors, the one-article family veto)."""
    r = report("h1", "Daily A", events=2, type_="SUIC_BOMB", acled=BOMB)
    r.events[1].type, r.events[1].acled = "ATTACK", ATTACK
    bomb, attack = (incident_from_event(r, e) for e in r.events)
    incidents = [
        one(), one("h2", "Wire B", place=DISTRICT, actor="Blue Guard"), one("h3", "Post C", place=COUNTRY),
        one("h4", "Daily A", explicit=False, day="2024-03-02"), one("h5", "Wire B", place=OTHER_TOWN),
        one("h6", "Post C", place=None, actor=None), merge(one("h7", "Daily D", type_="SUIC_BOMB", acled=BOMB), bomb),
        attack, one("h8", "Wire B", type_="ARMED_CLASH", acled=CLASH, place=ABROAD),
    ]
    for new, existing in itertools.product(incidents, repeat=2):
        stored = MatchKeys.from_json(match_keys(existing).to_json())
        assert score_keys(match_keys(new), stored) == match_score(new, existing)
    assert match_score(attack, incidents[6]) == 0.0 < match_score(one("h9", "Wire B"), incidents[6])


def test_incidents_merge_three_outlets():
    a = one("h1", "Daily A", place=DISTRICT, fatalities=5)
    b = one("h2", "Wire B", place=TOWN, fatalities=5)
    c = one("h3", "Radio C", place=TOWN, fatalities=6, explicit=False)
    merged = merge(merge(a, b), c)
    assert merged.id == a.id
    assert (merged.num_articles, merged.num_sources) == (3, 3)
    assert merged.sources == ["Daily A", "Radio C", "Wire B"]  # all published the same day: by name
    assert merged.fatalities == 5  # the most reported value
    assert merged.place.name == "Dorvik"  # the town: most precise of the agreeing places
    assert merged.date == "2024-03-04"
    assert merged.confidence > a.confidence


def test_incidents_merge_is_order_independent():
    parts = [one("h1", "A", place=DISTRICT, fatalities=5), one("h2", "B", fatalities=9, confidence=0.9),
             one("h3", "C", place=COUNTRY, explicit=False, fatalities=9, type_="ARMED_CLASH", acled=CLASH)]
    results = set()
    for order in itertools.permutations(parts):
        merged = merge(merge(order[0], order[1]), order[2])
        d = merged.to_dict()
        d.pop("id")
        results.add(repr(d))
    assert len(results) == 1


def test_incidents_merge_deduplicates_mentions():
    a, b = one("h1", "A"), one("h2", "B")
    merged = merge(merge(a, b), b)
    assert merged.num_articles == 2 and len(merged.mentions) == 2


def test_incidents_same_outlet_counts_once():
    merged = merge(one("h1", "Daily A", fatalities=3), one("h2", "Daily A", fatalities=3))
    merged = merge(merged, one("h3", "Wire B", fatalities=4, confidence=0.9))
    assert (merged.num_articles, merged.num_sources) == (3, 2)
    # two articles of one outlet weigh as one source: 0.8 for 3 against 0.9 for 4
    assert merged.fatalities == 4


def test_incidents_undated_event_spans_days_before_publication():
    inc = one(explicit=False, day="2024-03-05")
    start, end = date_range(inc)
    assert (end - start).days == 3 and end.isoformat() == "2024-03-05"


def test_incidents_block_keys_are_what_can_match():
    keys = block_keys(one())
    assert keys["country"] == "XA" and keys["lat"] == 10.0
    # the days the event may have happened on, no wider: ranges that do not meet never match
    assert keys["since"] == keys["until"] == "2024-03-04"
    assert "ATTACK" in keys["types"] and "ARMED_CLASH" in keys["types"] and "PEACE_PROTEST" not in keys["types"]
    assert keys["family"] == "Violence against civilians"
    # a town matches only nearby places and coarse ones across its country; a district, any place of its country
    assert "admin1" in keys["country_kinds"] and "city" not in keys["country_kinds"]
    assert block_keys(one(place=DISTRICT))["country_kinds"] is None
    assert MAX_DISTANCE_KM > 0


def test_incidents_block_keys_never_miss_a_match():
    """Every pair that scores at or above the threshold is one the keys of the new incident fetch."""
    places = [TOWN, DISTRICT, OTHER_TOWN, COUNTRY, ABROAD]
    kinds = [("ATTACK", ATTACK), ("ARMED_CLASH", CLASH), ("PEACE_PROTEST", PROTEST)]
    days = ["2024-03-01", "2024-03-04", "2024-03-06"]
    made = [one(f"h{i}", f"Outlet {i % 3}", place=p, type_=t, acled=a, day=d, explicit=e)
            for i, (p, (t, a), d, e) in enumerate(itertools.product(places, kinds, days, (True, False)))]
    for new, old in itertools.permutations(made, 2):
        keys = block_keys(new)
        if not keys or match_score(new, old) < MATCH_THRESHOLD:
            continue
        start, end = date_range(old)
        assert start.isoformat() <= keys["until"] and end.isoformat() >= keys["since"]
        assert old.type in keys["types"] or (old.acled or {}).get("event_type") == keys["family"]
        near = distance_km(new.place, old.place) <= MAX_DISTANCE_KM
        same_country = old.place.country == keys["country"]
        assert near or (same_country and (keys["country_kinds"] is None
                                          or place_kind(old.place) in keys["country_kinds"]))


def test_incidents_types_data_is_well_formed():
    from wirecoder.events.codebook import TYPE_CODES

    data = tomllib.loads(resources.files("wirecoder").joinpath("data/incidents/types.toml").read_text("utf-8"))
    assert set(data["scores"]) == {"same", "family", "compatible"}
    assert data["scores"]["same"] >= data["scores"]["family"] >= data["scores"]["compatible"] > 0
    for group in data["groups"]:
        assert group["why"] and len(group["types"]) >= 2
        assert set(group["types"]) <= set(TYPE_CODES), set(group["types"]) - set(TYPE_CODES)


def test_incidents_survive_the_json_round_trip():
    """The store keeps incidents as JSON: a stored incident must score and merge like the original."""
    a, b = one("h1", "A", place=DISTRICT), one("h2", "B")
    stored = Incident.from_dict(a.to_dict())
    assert isinstance(stored.mentions[0].place, Place)
    assert match_score(b, stored) == match_score(b, a)
    assert merge(stored, b).to_dict() == merge(a, b).to_dict()


def test_incidents_undated_week_precision_looks_back_from_publication():
    """The events stage dates an undated event by its publication with precision "week": before, not after."""
    undated = one("h2", "B", explicit=False, day="2024-03-05")
    undated.date_precision = undated.mentions[0].date_precision = "week"
    start, end = date_range(undated)
    assert (start.isoformat(), end.isoformat()) == ("2024-03-02", "2024-03-05")
    assert match_score(undated, one(day="2024-03-08")) == 0.0


def test_incidents_event_placed_nowhere_borrows_the_articles_place():
    r = report("h1", "Daily A", events=4)
    r.places += [Place("p2", 40, 46, "Malvo", 9000003, "Malvo", "XA", lat=12.0, lon=22.0, confidence=0.8),
                 Place("p3", 50, 56, "Eastgate", confidence=0.3)]  # p3: a name the gazetteer does not know
    r.events[0].location = None
    r.events[1].type, r.events[1].location = "ARREST", "p2"
    r.events[2].type, r.events[2].location = "ARREST", "p2"
    # another event of the same type names the town
    inc = incident_from_event(r, r.events[0])
    assert inc.place.name == "Dorvik" and inc.place.confidence == pytest.approx(0.45)
    # else the place most events happen at
    r.events[3].type = "ARREST"
    assert incident_from_event(r, r.events[0]).place.name == "Malvo"
    r.events[0].location = "p3"
    assert incident_from_event(r, r.events[0]).place.name == "Malvo"
    # nothing resolved in the article: the name stays
    for e in r.events[1:]:
        e.location = None
    assert incident_from_event(r, r.events[0]).place.text == "Eastgate"
