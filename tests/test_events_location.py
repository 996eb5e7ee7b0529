"""Where `locate_event` places an event: names that spaCy does not call places, slots that carry far, the most
specific place, and names in place slots that are no place."""

import pytest

from wirecoder.events.location import lexicon, locate_event
from wirecoder.pipeline import ArticleDoc, make_article


def _place(pipeline, text, verb):
    adoc = ArticleDoc(make_article(text), pipeline.nlp(text))
    for _, stage in pipeline.stages[:3]:
        stage(adoc)
    start = text.index(verb)
    place = locate_event(adoc, start, start + len(verb))
    return place.text if place else None


@pytest.mark.parametrize("text, verb, expected", [
    # an "in" phrase names the venue however far the verb is in the sentence
    ("Rescue workers ended the search for survivors where the truck bombs blew apart houses in Dorowa on "
     "Tuesday, and efforts turned to mourning.", "turned", "Dorowa"),
    # a place that a place noun names carries nearly as far
    ("Dozens of gunmen stormed the village of Mainok as residents prepared for prayers, killing 39 people.",
     "killing", "Mainok"),
    # the name of a building's place: "a Kandahar cafe"
    ("A suicide bomber struck a Kandahar cafe on Friday, killing nine people and wounding twenty.", "wounding",
     "Kandahar"),
    # where marchers go
    ("Thousands of farmers marched to Bellary on Monday.", "marched", "Bellary"),
])
def test_slots_that_carry_the_venue(pipeline, text, verb, expected):
    assert _place(pipeline, text, verb) == expected


@pytest.mark.parametrize("text, verb, expected", [
    # spaCy calls it ORG, but a captured one-word name is ground
    ("The rebels captured Birao on Sunday.", "captured", "Birao"),
    # "within 11 km of X", "villages like X": place slots whatever entity type the name gets
    ("Fighters advanced to within 11 km of Menbeij on Thursday.", "advanced", "Menbeij"),
    ("The army shelled villages like Cailaco and Manapa on Monday.", "shelled", "Cailaco"),
])
def test_names_spacy_does_not_call_places_are_candidates(pipeline, text, verb, expected):
    assert _place(pipeline, text, verb) == expected


def test_the_smaller_place_nearly_as_cheap_wins(pipeline):
    text = "Gunmen stormed communities in Guma local government area of Benue state, killing 30 people."
    assert _place(pipeline, text, "stormed") == "Guma"


@pytest.mark.parametrize("text, verb, expected", [
    # a group is no place: the event is in the named place
    ("A car bomb targeting Shiites in Basra killed 13 people.", "killed", "Basra"),
    ("Masked men killed eight people in a Shia neighbourhood in the village of Dalwa on Monday.", "killed",
     "Dalwa"),
    # a name made of generic words only is no place
    ("A pastor was killed when gunmen stormed the Local Government Area on Monday.", "stormed", None),
])
def test_names_in_place_slots_that_are_no_place(pipeline, text, verb, expected):
    assert _place(pipeline, text, verb) == expected


@pytest.mark.parametrize("text, verb, expected", [
    # a clock is no venue
    ("At 9 A.M. (Damascus Time), gunmen attacked an army checkpoint in eastern Kafr Batna.", "attacked",
     "Kafr Batna"),
    # "across the country" names no venue, even when the sentence names the country
    ("In the coming weeks, the Syrian army will launch new offensives across the country.", "launch", None),
    # a country after "on" is a target, not where the pilots returned
    ("Allied pilots returned safely after the air strikes on Iraq, officials said.", "returned", None),
    # conjoined subjects are both actors
    ("Moscow and Damascus began a joint relief operation in Aleppo on Friday.", "began", "Aleppo"),
    # the subject of a passive is whom the event befell, even when the gazetteer knows the name as a town
    ("Jackson was stabbed during a robbery at a petrol station near Leeds.", "stabbed", "Leeds"),
    # a name set beside a noun that is no place renames people or a company
    ("The blast left 12 people, mostly Hausas, dead and dozens wounded.", "left", None),
    ("A jet of the state carrier Iberia crashed on Tuesday.", "crashed", None),
    # a place that names another event is where that event was; the event's own object keeps its place
    ("Israel captured the hills in the 1967 Mideast war.", "captured", None),
    ("A car bomb killed nine people on the anniversary of the Halabja massacre.", "killed", None),
    ("The army launched the Aleppo offensive on Sunday.", "launched", "Aleppo"),
    # noting or informing happens where the speaker is, not where what is spoken of happened
    ("The commander noted the progress of the talks in Geneva.", "noted", None),
    ("The minister informed parliament of the changes made in Kabul last week.", "informed", None),
])
def test_slots_and_roles_that_name_no_venue(pipeline, text, verb, expected):
    assert _place(pipeline, text, verb) == expected


@pytest.mark.parametrize("text, verb, expected", [
    # the name after "of" is the place, the city that qualifies the place noun contains it
    ("A bomb killed four people on Monday in the northern Baghdad neighborhood of Dar al-Salam.", "killed",
     "Dar al-Salam"),
    ("Gunmen shot two traders in the eastern Kano suburb of Tudun Maliki on Sunday.", "shot", "Tudun Maliki"),
    # "the X held village of Y" is one noun phrase, though spaCy parses "X held" as a clause
    ("The militants launched a new assault in Raqqa Governorate on Monday, targeting the government held "
     "neighborhood of Al-Rumaila.", "targeting", "Al-Rumaila"),
    ("Insurgents continued their attacks in Homs Governorate on Tuesday, targeting the Syrian Army controlled "
     "Waer District near the city.", "targeting", "Waer District"),
])
def test_the_named_part_is_the_venue(pipeline, text, verb, expected):
    assert _place(pipeline, text, verb) == expected


def test_event_location_word_lists_are_well_formed():
    words = lexicon()
    assert "jabal" in words["toponym_prefixes"] and "condemn" in words["stance_verbs"]
    assert {"motion_verbs", "vicinity_nouns", "venue_nouns", "group_words", "generic_name_words"} <= set(words)
    assert "march" in words["motion_verbs"] and "shia" in words["group_words"] and "note" in words["stance_verbs"]
    assert "war" in words["other_event_nouns"]
    assert all(w == w.lower().strip() and w for group in words.values() for w in group)


@pytest.mark.parametrize("text, verb, expected", [
    ("A bomb exploded in Kabul, he said in Islamabad.", "exploded", "Kabul"),
    ("Syria said Israeli jets struck a depot.", "struck", None),
    ("Troops clashed with militants in Maiwand district of Kandahar.", "clashed", "Maiwand"),
    # the smaller place named first, its container after it
    ("Gunmen attacked Dorowa village in Kaduna state on Sunday.", "attacked", "Dorowa"),
    # the participle's own place before the place of the clause it hangs on
    ("The army launched an offensive in Homs province, targeting the village of Kafr Tala.", "targeting", "Kafr"),
    # an "in" phrase carries across clauses
    ("Five farmers were killed after gunmen who had gathered in Dorowa opened fire.", "killed", "Dorowa"),
    # a country outside a locative phrase is a party, not the venue
    ("The rebels ended their talks with Syria on Monday.", "ended", None),
    # a stance is taken wherever the speaker is
    ("The council strongly condemned what it called a massacre of farmers in Dorowa.", "condemned", None),
    # "the West Bank town of Hebron": the name, not the descriptor the gazetteer took
    ("Soldiers shot two men in the West Bank town of Hebron.", "shot", "Hebron"),
])
def test_locate_event_follows_the_parse_ranks_and_bounds_places(pipeline, text, verb, expected):
    place = _place(pipeline, text, verb)
    assert (place.split()[0] if place else None) == expected


def test_a_toponym_prefix_makes_a_place_of_a_person_like_name(pipeline):
    assert _place(pipeline, "Government troops captured Jabal Harbuk on Monday.", "captured") == "Jabal Harbuk"
