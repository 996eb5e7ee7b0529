"""`wirecoder eval attribution` on a tiny invented PolNeAR-style brat folder."""

import pytest
from click.testing import CliRunner

from wirecoder.cli import main
from wirecoder.errors import EvalError
from wirecoder.evaluate.events import extract_reports
from wirecoder.evaluate.attribution import evaluate, format_result, load_polnear, matches, score_article

TEXT = "The mayor said that the dam held. Rain fell all night. “We are safe,” a resident told reporters.\n"


def _ann(text, *spans):
    lines = []
    for n, (role, part) in enumerate(spans, 1):
        start = text.index(part)
        lines.append(f"T{n}\t{role} {start} {start + len(part)}\t{part}")
    return "\n".join(lines) + "\n"


@pytest.fixture()
def gold_dir(tmp_path):
    (tmp_path / "text").mkdir()
    (tmp_path / "attributions").mkdir()
    (tmp_path / "text" / "storm.txt").write_text(TEXT, encoding="utf-8")
    ann = _ann(TEXT, ("Source", "The mayor"), ("Cue", "said"), ("Content", "that the dam held"),
               ("Source", "a resident"), ("Cue", "told"), ("Content", "“We are safe,”"))
    ann += "E1\tAttribution:T7 Content:T3 Cue:T2 Source:T1\nE2\tAttribution:T8 Content:T6 Cue:T5 Source:T4\n"
    (tmp_path / "attributions" / "storm_a1.ann").write_text(ann, encoding="utf-8")
    # a second annotator of the same article is ignored: the first file in name order is used
    (tmp_path / "attributions" / "storm_b2.ann").write_text(_ann(TEXT, ("Cue", "fell")), encoding="utf-8")
    return tmp_path


def test_eval_attribution_reads_first_annotator(gold_dir):
    [(name, text, gold)] = load_polnear(gold_dir)
    assert name == "storm" and text == TEXT
    assert [TEXT[s:e] for [(s, e)] in gold["cue"]] == ["said", "told"]


def test_eval_attribution_scores_each_attribution_once_per_role(gold_dir):
    [(_, text, gold)] = load_polnear(gold_dir)
    assert [text[s:e] for s, e in gold["scored"]["content"]] == ["that the dam held", "We are safe"]


def test_eval_attribution_matching_modes():
    gold = {"source": [(0, 9)], "cue": [(10, 14)], "content": [(15, 32)]}
    pred = {"source": [(4, 9)], "cue": [(10, 14), (40, 44)], "content": []}
    counts = score_article(pred, gold)
    assert counts["source/overlap"]["match"] == 1 and counts["source/exact"]["match"] == 0
    assert counts["cue/exact"] == {"pred": 2, "gold": 1, "match": 1}
    assert counts["content/overlap"] == {"pred": 0, "gold": 1, "match": 0}


def test_eval_attribution_one_prediction_matches_one_gold_span():
    # one long prediction overlapping two gold contents finds only one of them
    assert matches([(0, 50)], [(0, 20), (30, 50)], "overlap") == 1
    # two predictions of the same span match one gold span once, and a second gold copy once more
    assert matches([(0, 20), (0, 20)], [(0, 20)], "exact") == 1
    assert matches([(0, 20), (0, 20)], [(0, 20), (0, 20)], "exact") == 2
    # a prediction takes the first gold span it matches; the next one may still match the other
    assert matches([(5, 25), (10, 12)], [(0, 15), (20, 30)], "overlap") == 1
    assert matches([(5, 25), (22, 24)], [(0, 15), (20, 30)], "overlap") == 2


def test_eval_attribution_end_to_end(gold_dir):
    result = evaluate(str(gold_dir))
    scores = result["scores"]
    assert result["articles"] == 1
    assert scores["cue/overlap"]["recall"] == 1.0
    assert scores["source/exact"]["f1"] == 1.0
    assert "source" in format_result(result)


def test_eval_attribution_cli(gold_dir):
    out = CliRunner().invoke(main, ["eval", "attribution", str(gold_dir), "--json"])
    assert out.exit_code == 0, out.output
    assert '"cue/overlap"' in out.output


def test_eval_attribution_bad_folder(tmp_path):
    with pytest.raises(EvalError):
        load_polnear(tmp_path)


def test_eval_attribution_agrees_with_the_reference_scorer(gold_dir, pipeline, scorer, monkeypatch):
    monkeypatch.setattr(scorer, "extract", lambda records, tag: extract_reports(
        ((r["id"], r["text"]) for r in records), pipeline))
    overlap = scorer.score_attrib(str(gold_dir))
    scores = evaluate(str(gold_dir), pipeline=pipeline)["scores"]
    for role, reference_overlap, reference_exact in zip(("source", "cue", "content"), overlap, scorer.score_attrib.exact):
        assert 100 * scores[f"{role}/overlap"]["f1"] == pytest.approx(reference_overlap, abs=0.01)
        assert 100 * scores[f"{role}/exact"]["f1"] == pytest.approx(reference_exact, abs=0.01)
