"""The learned cue detector: its shipped weights, and the cues it finds beyond verbs of saying."""

import math

import pytest

from wirecoder.attribution import load_lexicon, make_stage
from wirecoder.attribution.learned import CueModel
from wirecoder.attribution.quotes import find_quotes
from wirecoder.attribution.rules import RuleExtractor
from wirecoder.config import data_path
from wirecoder.pipeline import ArticleDoc, make_article


@pytest.fixture(scope="module")
def cues(nlp):
    stage = make_stage({})

    def run(text):
        adoc = ArticleDoc(make_article(text), nlp(text))
        stage(adoc)
        return [(a.source.text if a.source else None, a.cue.text, a.content.text) for a in adoc.attributions]

    return run


def test_attribution_model_file_is_well_formed():
    model = CueModel.load(data_path("attribution", "cue_model.tsv"))
    assert "bias" in model.weights and len(model.weights) > 1000
    assert all(math.isfinite(w) and w != 0 for w in model.weights.values())
    assert model.weights["l=say"] > 0
    objects = load_lexicon()["model"]["action_objects"]
    assert objects and all(w == w.lower().strip() for w in objects) and len(set(objects)) == len(objects)


@pytest.mark.parametrize("text, cue, content", [
    ("Senator Dale Orrin endorsed the ferry plan on Tuesday.", "endorsed", "the ferry plan on Tuesday"),
    ("Residents believe the dam will hold through the winter.", "believe", "the dam will hold through the winter"),
    ("The farmers apologized for the blocked road.", "apologized for", "the blocked road"),
])
def test_attribution_model_finds_stances_and_beliefs(cues, text, cue, content):
    source, found_cue, found_content = cues(text)[0]
    assert (found_cue, found_content) == (cue, content)
    assert source is not None and source in text.split(cue)[0]


def test_attribution_model_leaves_narration_alone(cues):
    assert cues("The soldiers crossed the river and built a camp near the mill.") == []
    assert cues("The storm knocked down power lines across the valley.") == []
    assert cues("Rebel fighters have mounted an assault on the northern town.") == []


def test_attribution_model_decides_verb_cues_but_not_fixed_phrases(nlp):
    text = "The mayor said the bridge was closed. The road flooded, according to the police."
    doc = nlp(text)
    never = RuleExtractor(load_lexicon(), CueModel({"bias": -10.0}), 0.45)
    assert [f.cue_lemma for f in never(doc, find_quotes(text), text)] == ["according to"]
    always = RuleExtractor(load_lexicon(), CueModel({"bias": 10.0}), 0.45)
    assert "say" in [f.cue_lemma for f in always(doc, find_quotes(text), text)]


def test_attribution_model_names_its_bare_lemmas():
    extractor = RuleExtractor(load_lexicon(), CueModel.load(data_path("attribution", "cue_model.tsv")))
    assert "say" in extractor.bare_lemmas and "the" not in extractor.bare_lemmas
    assert RuleExtractor(load_lexicon(), CueModel({})).bare_lemmas == frozenset()


def test_attribution_bare_cue_reports_the_sentence_before(nlp):
    text = "The ferry company denies it. The harbour master says otherwise."
    doc = nlp(text)
    always = RuleExtractor(load_lexicon(), CueModel({"bias": 10.0, "lf=say|bare": 1.0}), 0.5)
    said = [f for f in always(doc, find_quotes(text), text) if f.cue_lemma == "say"]
    assert len(said) == 1
    assert text[slice(*said[0].content)] == "The ferry company denies it"
    assert doc[slice(*said[0].source)].text == "The harbour master"
    without = RuleExtractor(load_lexicon(), CueModel({"bias": 10.0}), 0.5)
    assert "say" not in [f.cue_lemma for f in without(doc, find_quotes(text), text)]


def test_attribution_auxiliaries_belong_to_their_verb(cues):
    assert cues("The minister has not said when the bridge will reopen.") == [
        ("The minister", "has not said", "when the bridge will reopen")]
