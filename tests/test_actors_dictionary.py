"""The actors stage on invented reports: named groups, role nouns with their country, coreference."""

import csv
import tomllib

import pytest

from wirecoder.actors.lexicon import INTER_TYPES, load_lexicon
from wirecoder.config import data_path


def _actor(report, name):
    return next((a for a in report.actors if a.name == name), None)


def test_actors_data_files_are_well_formed():
    lex = load_lexicon()
    assert len(lex.actors) > 20 and len(lex.roles) > 5 and "AF" in lex.countries
    codes = {c.iso3 for c in lex.countries.values()}
    assert len(codes) == len(lex.countries)
    for actor in lex.actors:
        assert actor.inter in INTER_TYPES and actor.code.isupper()
        assert actor.country is None or actor.country in lex.countries
    for role in lex.roles:
        assert role.terms and role.role.isupper()
        assert role.needs_country_terms <= set(role.terms)
    with data_path("actors", "countries.tsv").open(encoding="utf-8") as handle:
        rows = [r for r in csv.reader(handle, delimiter="\t") if r and not r[0].startswith("#")]
    assert all(len(r) == 4 for r in rows)
    tomllib.loads(data_path("actors", "roles.toml").read_text("utf-8"))


def test_actors_named_group_with_its_fighters_and_anaphora(extract):
    report = extract("Taliban fighters stormed a checkpoint in Kandahar on Monday. "
                     "The insurgents later withdrew, and the group said it had lost two men.")
    taliban = _actor(report, "Taliban")
    assert taliban is not None and taliban.inter == 2 and taliban.code == "AFGREB"
    texts = [m.text for m in taliban.mentions]
    assert "Taliban fighters" in texts and "insurgents" in texts and "group" in texts


@pytest.mark.parametrize("text, name, inter, code", [
    ("Afghan police arrested five men in Herat.", "Police Forces of Afghanistan", 1, "AFGCOP"),
    ("Syrian troops shelled the town of Idlib.", "Military Forces of Syria", 1, "SYRMIL"),
    ("Gunmen killed three farmers near Maiduguri in Nigeria.", "Unidentified Armed Group (Nigeria)", 3, "NGAUAF"),
    ("Thousands of protesters marched in Lagos in Nigeria.", "Protesters (Nigeria)", 6, "NGAOPP"),
])
def test_actors_role_nouns_take_their_country(extract, text, name, inter, code):
    actor = _actor(extract(text), name)
    assert actor is not None, [a.name for a in extract(text).actors]
    assert (actor.inter, actor.code) == (inter, code)


def test_actors_government_forces_take_the_article_country(extract):
    report = extract("Government forces retook the district of Musa Qala in Helmand, Afghanistan, on Friday.")
    assert _actor(report, "Military Forces of Afghanistan") is not None


def test_actors_militia_loyal_to_a_person_and_foreign_forces(extract):
    report = extract("In Herat, Afghanistan, fighters loyal to commander Ismail Khan repelled the attack, "
                     "backed by US airstrikes.")
    assert _actor(report, "Militia of Ismail Khan") is not None
    us = _actor(report, "Military Forces of United States")
    assert us is not None and us.inter == 8  # a state's forces abroad are external forces


def test_actors_country_as_state_and_lowercase_words_are_not_names(extract):
    report = extract("Pakistan denied the charges. The group was granted an amnesty, and it is over.")
    assert _actor(report, "Government of Pakistan") is not None
    assert _actor(report, "Amnesty International") is None and _actor(report, "Islamic State") is None
