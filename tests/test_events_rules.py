"""The events stage on invented reports: type, actors, place, date, fatalities, modality, one record per event."""

import tomllib

import pytest

from wirecoder.config import data_path
from wirecoder.events.codebook import TYPE_CODES, cameo_class
from wirecoder.events.detect import load_detection
from wirecoder.events.fatalities import load_fatalities
from wirecoder.events.modality import MODALITIES, load_modality
from wirecoder.events.modality import modality as modality_of


def _name(report, record_id):
    record = report.by_id(record_id)
    return getattr(record, "text", None) or getattr(record, "name", None)  # a place by its words, an actor by name


def _event(report, trigger):
    return next(e for e in report.events if e.trigger.text == trigger)


def test_events_lexicons_are_well_formed():
    lex = load_detection()
    assert all(set(entry.types) <= set(TYPE_CODES) for entries in lex.triggers.values() for entry in entries)
    # a word's CAMEO code is a CAMEO code, and it tells a diplomatic event when no other type takes it
    coded = [entry for entries in lex.triggers.values() for entry in entries if entry.cameo]
    assert coded and all(cameo_class(entry.cameo) and "DIPLO" in entry.types for entry in coded)
    assert lex.triggers["meet"][0].cameo.startswith("04")
    assert {"kill", "attack", "airstrike"} <= set(lex.triggers)
    assert set(load_modality()["order"]) <= set(MODALITIES)
    fat = load_fatalities()
    assert fat.numbers["three"] == 3 and fat.ranges["dozens"][0] < fat.ranges["dozens"][1]
    for name in ("event_detection.toml", "modality.toml", "fatalities.toml"):
        tomllib.loads(data_path("lexicons", name).read_text("utf-8"))


def test_events_gunmen_kill_police(extract):
    report = extract("Gunmen killed three police officers in Kandahar on Monday, officials said.",
                     published="2024-03-06")
    event = _event(report, "killed")
    assert event.type == "ARMED_CLASH"  # an attack on state forces is a battle to ACLED
    assert event.acled == {"event_type": "Battles", "sub_event_type": "Armed clash"}
    assert _name(report, event.actor1).startswith("Unidentified Armed Group")
    assert _name(report, event.actor2) == "Police Forces of Afghanistan"
    assert _name(report, event.location) == "Kandahar"
    assert event.fatalities == 3 and event.modality == "asserted"
    assert event.date_value == "2024-03-04" and event.date_precision == "day"
    assert report.primary_event == event.id


def test_events_two_events_in_one_sentence_and_the_nested_one_shares_the_target(extract):
    report = extract("Backed by American airstrikes, Somali troops drove al-Shabab fighters out of the town of "
                     "Jilib in Somalia on Tuesday.", published="2024-05-10")
    types = {e.type for e in report.events}
    assert "AIR_STRIKE" in types and "GOV_REGAINS_TERIT" in types
    strike = next(e for e in report.events if e.type == "AIR_STRIKE")
    assert _name(report, strike.actor1) == "Military Forces of United States"
    assert _name(report, strike.actor2) == "Al-Shabaab"


def test_events_one_event_told_in_two_sentences_is_one_record(extract):
    report = extract("A car bomb exploded near a market in Mogadishu on Sunday. "
                     "The blast killed at least 12 people, police said.", published="2024-01-08")
    bombs = [e for e in report.events if e.type == "REM_EXPLOS"]
    assert len(bombs) == 1
    assert len(bombs[0].evidence) == 2 and bombs[0].fatalities == 12
    assert _name(report, bombs[0].location) == "Mogadishu"


@pytest.mark.parametrize("text, trigger, expected", [
    ("Dozens of civilians were killed in Aleppo.", "killed", (None, [24, 99])),
    ("A journalist was shot dead in Karachi.", "shot", (1, None)),
    ("Two soldiers died and five were wounded in Mali.", "died", (2, None)),
    ("A roadside bomb left four soldiers dead near Gao.", "bomb", (4, None)),  # the bomb is no victim
])
def test_events_fatalities(extract, text, trigger, expected):
    event = _event(extract(text), trigger)
    assert (event.fatalities, event.fatalities_range) == expected


@pytest.mark.parametrize("text, trigger, modality", [
    ("The army denied that it bombed the village of Tal Rifaat.", "bombed", "denied"),
    ("The rebels threatened to attack the city of Goma.", "attack", "threatened"),
    ("Police did not arrest anyone in Lahore.", "arrest", "negated"),
    ("If the talks fail, the militia will attack Tripoli.", "attack", "planned"),
    ("Pakistan strongly denies the charges.", "denies", "denied"),
])
def test_events_modality_of_the_event_word(nlp, text, trigger, modality):
    token = next(t for t in nlp(text) if t.text == trigger)
    assert modality_of(token, token.lemma_) == modality


@pytest.mark.parametrize("text, trigger, modality", [
    ("The army denied that it bombed the village of Tal Rifaat.", "bombed", "denied"),
    ("Police did not arrest anyone in Lahore.", "arrest", "negated"),
    ("Pakistan strongly denies the charges.", "denies", "denied"),
])
def test_events_modality(extract, text, trigger, modality):
    assert _event(extract(text), trigger).modality == modality


def test_events_a_threat_is_a_verbal_event_not_an_attack(extract):
    report = extract("The rebels threatened to attack the city of Goma.")
    assert [e.type for e in report.events] == ["DIPLO"]
    threat = report.events[0]
    assert threat.trigger.text == "threatened" and threat.cameo.startswith("13")
    assert threat.modality == "threatened" and threat.plover["type"] == "THREATEN"


def test_events_opinion_gives_no_event(extract):
    report = extract("Analysts consider the peace process fragile and see little reason for optimism.")
    assert report.events == [] and report.primary_event is None


def test_events_without_a_date_take_the_publication_week(extract):
    report = extract("Protesters marched through Nairobi, Kenya.", published="2024-07-02")
    event = report.events[0]
    assert event.type == "PEACE_PROTEST" and event.date is None
    assert (event.date_value, event.date_precision) == ("2024-07-02", "week")
