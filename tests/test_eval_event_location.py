"""`wirecoder eval event-location` on an invented gold file, and the place link it scores."""

import json

import pytest

from wirecoder.errors import EvalError
from wirecoder.evaluate.event_location import evaluate, format_result
from wirecoder.events.location import lexicon, locate_event
from wirecoder.pipeline import ArticleDoc, make_article


def _record(text, verb, location=None, token_location=None):
    spans = [{"start": text.index(verb), "end": text.index(verb) + len(verb), "label": "VERB"}]
    if location:
        spans.append({"start": text.index(location), "end": text.index(location) + len(location),
                      "label": "LOCATION"})
    if token_location:  # the token-index form some records use
        index, words = token_location
        spans.append({"start": index, "end": index, "token_start": index, "token_end": index,
                      "label": "LOCATION", "text": words})
    return {"text": text, "spans": spans}


def test_eval_event_location_scores_places_and_no_places(tmp_path):
    gold = tmp_path / "gold.jsonl"
    records = [
        _record("Rebels attacked an army base near Goma on Friday.", "attacked", "Goma"),
        _record("The minister praised the new budget.", "praised"),
        _record("In the northern city of Mosul, gunmen shot dead a police officer.", "shot",
                token_location=(5, "Mosul")),
    ]
    gold.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    result = evaluate(str(gold))
    assert result["records"] == 3 and result["correct"] == 3
    assert "3/3" in format_result(result)


def test_eval_event_location_rejects_a_malformed_file(tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text('{"text": "no spans"}\n', encoding="utf-8")
    with pytest.raises(EvalError):
        evaluate(str(gold))


@pytest.mark.parametrize("text, verb, expected", [
    ("A bomb exploded in Kabul, he said in Islamabad.", "exploded", "Kabul"),
    ("Syria said Israeli jets struck a depot.", "struck", None),
    ("Troops clashed with militants in Maiwand district of Kandahar.", "clashed", "Maiwand"),
])
def test_locate_event_follows_the_parse(pipeline, text, verb, expected):
    adoc = ArticleDoc(make_article(text), pipeline.nlp(text))
    for _, stage in pipeline.stages[:3]:
        stage(adoc)
    start = text.index(verb)
    place = locate_event(adoc, start, start + len(verb))
    assert (place.text.split()[0] if place else None) == expected


@pytest.mark.parametrize("text, verb, expected", [
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
def test_locate_event_ranks_and_bounds_places(pipeline, text, verb, expected):
    adoc = ArticleDoc(make_article(text), pipeline.nlp(text))
    for _, stage in pipeline.stages[:3]:
        stage(adoc)
    start = text.index(verb)
    place = locate_event(adoc, start, start + len(verb))
    assert (place.text.split()[0] if place else None) == expected


def test_event_location_lexicon_is_well_formed():
    words = lexicon()
    assert "jabal" in words["toponym_prefixes"] and "condemn" in words["stance_verbs"]
    assert all(w == w.lower().strip() and w for group in words.values() for w in group)


def test_a_toponym_prefix_makes_a_place_of_a_person_like_name(pipeline):
    text = "Government troops captured Jabal Harbuk on Monday."
    adoc = ArticleDoc(make_article(text), pipeline.nlp(text))
    for _, stage in pipeline.stages[:3]:
        stage(adoc)
    start = text.index("captured")
    place = locate_event(adoc, start, start + len("captured"))
    assert place is not None and place.text == "Jabal Harbuk"
