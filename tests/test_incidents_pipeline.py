"""Incidents from real extractions: invented stories told by several outlets, run through the pipeline."""

import pytest

from wirecoder.incidents import MATCH_THRESHOLD, incident_from_event, match_score, merge

# one shooting told by three outlets: district vs city, "five" vs "at least five", different words
SAME_SHOOTING = [
    ("Daily Courier", "Gunmen killed five people at a market in the Injil district of Herat on Monday, police said. "
                      "The attackers fled on motorbikes."),
    ("Frontier Wire", "At least five civilians were killed when armed men opened fire on shoppers in Herat city on "
                      "Monday, a provincial official told reporters."),
    ("Valley Radio", "Five people died on Monday after gunmen attacked a crowded bazaar in Herat, according to "
                     "residents who saw the shooting."),
]
# another shooting in the same city, six days later
LATER_SHOOTING = ("Daily Courier", "Gunmen killed three people at a checkpoint in Herat on Sunday, police said.")
PUBLISHED = {"Daily Courier": "2024-03-05", "Frontier Wire": "2024-03-05", "Valley Radio": "2024-03-06"}


def cluster(incidents):
    """What the store does, without blocking: merge into the best match at or above the threshold."""
    clusters = []
    for new in incidents:
        scored = [(match_score(new, old), i) for i, old in enumerate(clusters)]
        best = max(scored, default=(0.0, None))
        if best[0] >= MATCH_THRESHOLD:
            clusters[best[1]] = merge(clusters[best[1]], new)
        else:
            clusters.append(new)
    return clusters


VIOLENT = ("Violence against civilians", "Battles", "Explosions/Remote violence")


def _incidents(extract, stories, published, violent_only=True):
    out = []
    for i, (outlet, text) in enumerate(stories):
        report = extract(text, published=published.get(outlet, "2024-03-05") if isinstance(published, dict)
                         else published, id=f"s{i}", outlet=outlet)
        events = [e for e in report.events if not violent_only or (e.acled or {}).get("event_type") in VIOLENT]
        if not events:
            pytest.skip(f"the events stage finds no {'violent ' * violent_only}event in {text!r}")
        out.extend(incident_from_event(report, e) for e in events)
    return out


def test_incidents_three_outlets_one_shooting(extract):
    clusters = cluster(_incidents(extract, SAME_SHOOTING, PUBLISHED))
    biggest = max(clusters, key=lambda c: c.num_sources)
    assert biggest.num_sources == 3, [(c.type, c.date, c.place and c.place.name, c.sources) for c in clusters]
    assert biggest.sources == ["Daily Courier", "Frontier Wire", "Valley Radio"]
    assert biggest.date == "2024-03-04"
    assert biggest.place is not None and biggest.place.country == "AF"
    assert biggest.fatalities == 5


def test_incidents_two_shootings_in_one_city_on_different_days(extract):
    # every event, whatever its type: only the dates may keep them apart
    first = _incidents(extract, SAME_SHOOTING[:1], "2024-03-05", violent_only=False)
    later = _incidents(extract, [LATER_SHOOTING], "2024-03-12", violent_only=False)
    clusters = cluster(first + later)
    first_ids = {c.id for c in clusters if any(m.article_id == "s0" and m.published == "2024-03-05"
                                               for m in c.mentions)}
    later_ids = {c.id for c in clusters if any(m.published == "2024-03-12" for m in c.mentions)}
    assert first_ids and later_ids and not first_ids & later_ids
