"""The attribution span tagger: the shipped model, its errors, and its training script, on invented text."""

import importlib.util
import json
from functools import partial
from pathlib import Path
from types import SimpleNamespace

import pytest

from wirecoder.attribution import build_extractor, load_lexicon, load_tagger
from wirecoder.attribution.quotes import find_quotes
from wirecoder.attribution.resolve import build_records
from wirecoder.attribution.tagger import SpanTagger, spans_from_tags
from wirecoder.errors import ModelError

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "train_attribution_tagger.py"
SENTENCE = "The mayor of Kelton said on Monday that the old bridge would reopen next week."


@pytest.fixture(scope="module")
def tagger():
    return load_tagger(build_extractor()[1])


def _tagged_text(doc, spans):
    return {role: [doc[s:e].text for s, e in found] for role, found in spans.items()}


def test_tagger_tags_a_parsed_sentence(pipeline, tagger):
    doc = pipeline.nlp(SENTENCE)
    extractor, _ = build_extractor()
    quotes = find_quotes(SENTENCE)
    tagged = _tagged_text(doc, tagger.spans(doc, extractor(doc, quotes, SENTENCE), quotes))
    assert tagged["cue"] == ["said"]
    assert tagged["source"] == ["The mayor of Kelton"]
    assert tagged["content"] == ["that the old bridge would reopen next week"]


def test_tagger_sets_the_cue_edges_the_rules_miss(pipeline, tagger):
    text = "Officials at the water board made the case that prices had to rise."
    doc = pipeline.nlp(text)
    extractor, _ = build_extractor()
    quotes = find_quotes(text)
    adoc = SimpleNamespace(doc=doc, text=text, actors=[])
    found = extractor(doc, quotes, text)
    [by_rules], _ = build_records(adoc, found, quotes, load_lexicon())
    [tagged], _ = build_records(adoc, found, quotes, load_lexicon(), partial(tagger.refine, doc, found=found, quotes=quotes))
    assert by_rules.cue.text == "made"
    assert tagged.cue.text == "made the case" and text[tagged.cue.start:tagged.cue.end] == "made the case"
    assert tagged.source.text == "Officials at the water board"
    assert tagged.content.text == "that prices had to rise"


def test_stage_reports_the_tagged_cue(extract):
    [attribution] = extract("Officials at the water board made the case that prices had to rise.").attributions
    assert attribution.cue.text == "made the case"


def test_spans_from_tags_reads_bio_and_stray_inside_tags():
    tags = ["B-source", "I-source", "B-cue", "O", "I-content", "I-content", "B-content", "O"]
    assert spans_from_tags(tags) == {"source": [(0, 2)], "cue": [(2, 3)], "content": [(4, 6), (6, 7)]}


def test_missing_model_names_the_file_and_how_to_rebuild_it(tmp_path):
    missing = tmp_path / "attribution_tagger.crfsuite"
    with pytest.raises(ModelError, match="attribution_tagger.crfsuite.*train_attribution_tagger.py"):
        SpanTagger(missing, frozenset())


def test_corrupt_model_names_the_file_and_how_to_rebuild_it(tmp_path):
    corrupt = tmp_path / "attribution_tagger.crfsuite"
    corrupt.write_bytes(b"not a crfsuite model")
    with pytest.raises(ModelError, match="unreadable.*attribution_tagger.crfsuite.*train_attribution_tagger.py"):
        SpanTagger(corrupt, frozenset())


ARTICLES = [
    "The governor said that the new clinic would open in May. Nurses welcomed the news.",
    "Officials at the port said the ferry had been delayed by fog. The captain told reporters the crew was safe.",
    "The coach insisted that his team was ready. Fans said they hoped for a win on Sunday.",
    "A spokeswoman for the council said the park would close at dusk.",
]
GOLD = [
    [("Source", "The governor"), ("Cue", "said"), ("Content", "that the new clinic would open in May")],
    [("Source", "Officials at the port"), ("Cue", "said"), ("Content", "the ferry had been delayed by fog"),
     ("Source", "The captain"), ("Cue", "told"), ("Content", "the crew was safe")],
    [("Source", "The coach"), ("Cue", "insisted"), ("Content", "that his team was ready"),
     ("Source", "Fans"), ("Cue", "said"), ("Content", "they hoped for a win on Sunday")],
    [("Source", "A spokeswoman for the council"), ("Cue", "said"), ("Content", "the park would close at dusk")],
]


def _brat(text, spans):
    lines, relations = [], []
    for n, (role, part) in enumerate(spans, 1):
        start = text.index(part)
        lines.append(f"T{n}\t{role} {start} {start + len(part)}\t{part}")
    for k in range(0, len(spans), 3):
        relations.append(f"E{k // 3 + 1}\tAttribution:T{k + 1} Source:T{k + 1} Cue:T{k + 2} Content:T{k + 3}")
    return "\n".join(lines + relations) + "\n"


def test_training_script_on_a_tiny_invented_sample(tmp_path):
    root = tmp_path / "shared" / "gold" / "polnear" / "train"
    (root / "text").mkdir(parents=True)
    (root / "attributions").mkdir()
    for n, (text, spans) in enumerate(zip(ARTICLES, GOLD)):
        (root / "text" / f"a{n}.txt").write_text(text, encoding="utf-8")
        (root / "attributions" / f"a{n}_x.ann").write_text(_brat(text, spans), encoding="utf-8")
    spec = importlib.util.spec_from_file_location("train_attribution_tagger", SCRIPT)
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    out = tmp_path / "models"
    figures = script.main(["--shared", str(tmp_path / "shared"), "--holdout", "1", "--out", str(out),
                           "--iterations", "30"])
    provenance = json.loads((out / "attribution_tagger.json").read_text())
    assert provenance["held_out_span_f1"] == figures and set(figures) >= {"cue/exact", "content/overlap"}
    assert "3 articles trained" in provenance["data"]
    assert figures["cue/exact"] == 100.0  # "said" was a cue in every training article
    assert SpanTagger(out / "attribution_tagger.crfsuite", frozenset()).tagger.labels()
