"""The places stage on invented articles: recognition repairs, references, qualifiers and coherence."""

import pytest


def _by_text(report, text):
    found = [p for p in report.places if p.text == text]
    assert found, f"no place {text!r} in {[p.text for p in report.places]}"
    return found


def test_places_eponymous_province_resolves_to_the_admin1_of_the_city(extract):
    text = ("Gunmen stormed a checkpoint outside Kandahar on Tuesday, officials in the eponymous province said. "
            "Residents fled toward Lashkar Gah.")
    report = extract(text)
    city = _by_text(report, "Kandahar")[0]
    assert (city.geonameid, city.feature, city.country, city.admin1) == (1138336, "city", "AF", "23")
    province = _by_text(report, "eponymous province")[0]
    assert (province.feature, province.country, province.admin1) == ("admin1", "AF", "23")
    assert province.resolved_by == "reference:eponymous"
    assert text[province.start:province.end] == "eponymous province"
    assert _by_text(report, "Lashkar Gah")[0].geonameid == 1134720


def test_places_local_us_story_county_town_and_nested_county(extract):
    text = ("A Laurel County man was charged on Friday after a crash near London, Ky. The Laurel County Sheriff's "
            "Office said deputies found him in Corbin.")
    report = extract(text)
    counties = _by_text(report, "Laurel County")
    assert len(counties) == 2  # the second one nested in the sheriff's office name
    assert all((c.feature, c.country, c.admin1) == ("admin2", "US", "KY") for c in counties)
    london = _by_text(report, "London")[0]
    assert (london.country, london.admin1) == ("US", "KY")  # not London, England
    assert london.resolved_by.startswith("qualifier")
    assert _by_text(report, "Ky.")[0].feature == "admin1"
    assert _by_text(report, "Corbin")[0].admin1 == "KY"


@pytest.mark.parametrize("text, name, admin1", [
    ("The festival moved from Springfield, Illinois, to a new site this year.", "Springfield", "IL"),
    ("Flooding hit Springfield, Missouri, and nearby Branson on Sunday.", "Springfield", "MO"),
    ("The rodeo in Paris, Texas, drew a record crowd.", "Paris", "TX"),
])
def test_places_qualifier_picks_the_town_in_that_state(extract, text, name, admin1):
    place = _by_text(extract(text), name)[0]
    assert (place.country, place.admin1) == ("US", admin1)


def test_places_a_qualified_name_keeps_its_sense_in_the_article(extract):
    report = extract("The rodeo in Paris, Texas, drew a record crowd. Paris police said nobody was hurt.")
    assert [(p.country, p.admin1) for p in _by_text(report, "Paris")] == [("US", "TX"), ("US", "TX")]


def test_places_demonym_and_org_names(extract):
    report = extract("Harun Ali, director of news at Volant Media, said a Pakistani official had visited Quetta.")
    assert not [p for p in report.places if "Volant" in p.text]
    demonym = _by_text(report, "Pakistani")[0]
    assert (demonym.country, demonym.feature, demonym.resolved_by) == ("PK", "country", "demonym")
    assert _by_text(report, "Quetta")[0].geonameid == 1167528


def test_places_records_carry_offsets_confidence_and_admin1_name(extract):
    text = "The Herat governor's office said the city was calm. Kabul did not comment."
    report = extract(text)
    herat = _by_text(report, "Herat")[0]
    assert herat.geonameid == 1140026 and herat.admin1_name
    for place in report.places:
        assert text[place.start:place.end] == place.text
        assert 0.0 < place.confidence <= 1.0
        assert place.lat is not None and place.precision


def test_places_unit_word_after_the_name_picks_the_province(extract):
    province = _by_text(extract("Fighters entered a village in Kandahar province on Monday."), "Kandahar province")[0]
    assert (province.feature, province.country, province.admin1) == ("admin1", "AF", "23")


def test_places_unknown_place_is_kept_unresolved_not_dropped(extract):
    report = extract("Troops moved from Kabul to Zarbulak, Afghanistan, on Monday.")
    unknown = _by_text(report, "Zarbulak")[0]
    assert unknown.geonameid is None and unknown.lat is None and unknown.confidence == 0.0
    assert _by_text(report, "Kabul")[0].geonameid == 1138958


@pytest.mark.parametrize("text,surname", [
    ("Fighters loyal to the veteran commander Omar Kabul held the ridge on Monday. Later, Kabul's militia pushed "
     "the rebels back from the river town of Qala Sang.", "Kabul"),
    ("The rebels were repelled by troops under General Mateo Lima. By evening Lima's soldiers had retaken the "
     "bridge near Tarvisa.", "Lima"),
    ("Forces loyal to the commander Ismail Khan held the city. The bulk of the fighting came from Khan's "
     "militia.", "Khan"),
])
def test_places_the_surname_of_a_named_person_is_not_a_place(extract, text, surname):
    report = extract(text)
    assert surname not in [p.text for p in report.places]
