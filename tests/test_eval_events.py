"""`wirecoder eval satp | cameo | quiet`, and every events figure agreeing with the reference scorer.

The fixtures are invented. The agreement tests run the reference scorer (`shared/tools/score.py`, beside the
project when it is checked out in the workplace) on the same files, with its `extract` fed the reports this
pipeline makes, so both score exactly the same output."""

import pytest
from click.testing import CliRunner

from wirecoder.cli import main
from wirecoder.errors import EvalError
from wirecoder.evaluate import events as ev


CASE = """id\tEventSnippet\tSubType
c1\tA roadside bomb exploded under a police truck near the river crossing, killing two officers.\tREM_EXPLOS
c2\tRebels and soldiers clashed outside the town of Aweil for several hours on Sunday.\tARMED_CLASH
c3\tThe foreign ministry expelled three diplomats over the spy affair.\tDIPLO
c4\tThousands of nurses marched through the capital to demand better pay.\tPEACE_PROTEST
c5\tPolice arrested eleven members of a smuggling ring at the port on Friday.\tARREST
"""
SATP = """text\tarmed_assault\tbombing_explosion\tkidnapping\tother
Militants shot dead two village guards in Kupang district on May 3, reports the Daily Star.\t1\t0\t0\t0
An improvised explosive device went off near a police post in Tarim on June 9, injuring a constable.\t0\t1\t0\t0
Gunmen abducted a trader from his shop in Barak and demanded a ransom, police said on July 2.\t0\t0\t1\t0
Insurgents fired on a patrol and then set off a bomb on the road to Lumo on August 4.\t1\t1\t0\t0
The chief minister reviewed security arrangements for the festival on Monday.\t0\t0\t0\t1
"""
CAMEO = """text\tpentacode
The prime minister of Norland met the president of Sudania in the capital to discuss trade.\t1
A court in Velmar released two opposition leaders who had been held for a year.\t2
The interior minister accused the opposition of stirring unrest in the north.\t3
Security forces fired on protesters in the port city, killing three of them.\t4
The spokesman said the cabinet would meet again on Monday.\t0
"""
QUIET = """<articles>
<article><text>The town library will extend its opening hours on Saturdays from next month.</text></article>
<article><text>A local bakery won a regional prize for its rye bread, the owners said on Tuesday.</text></article>
<article><text>Soldiers were killed in an attack on the base.</text></article>
<article><text>The school board approved a new schedule for buses after a long meeting with parents.</text></article>
</articles>
"""


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    root = tmp_path_factory.mktemp("gold")
    paths = {}
    for name, text in (("case.tsv", CASE), ("satp.tsv", SATP), ("cameo.tsv", CAMEO), ("quiet.xml", QUIET)):
        paths[name] = root / name
        paths[name].write_text(text, encoding="utf-8")
    return paths


def test_eval_satp_scores_attack_families_of_reports_with_one(files, pipeline):
    result = ev.evaluate_satp(str(files["satp.tsv"]), pipeline=pipeline)
    assert result["n"] == 4  # the report of no attack is left out
    assert 0.0 <= result["example_f1"] <= 0.75  # the kidnapping can never count: no type is the scorer's ABDUCT
    assert "example F1" in ev.format_satp(result)


def test_eval_cameo_reads_the_primary_events_class(files, pipeline):
    result = ev.evaluate_cameo(str(files["cameo.tsv"]), pipeline=pipeline)
    assert result["n"] == 5 and len(result["per_class_f1"]) == 5
    assert "macro F1" in ev.format_cameo(result)


def test_eval_quiet_counts_only_articles_without_violence_words(files, pipeline):
    result = ev.evaluate_quiet([str(files["quiet.xml"])], pipeline=pipeline)
    assert result["n"] == 3  # the article with "killed" and "attack" is not quiet
    assert result["events"] == 0 and "quiet articles" in ev.format_quiet(result)


@pytest.mark.parametrize("cameo, expected", [("010", 0), ("02", 0), ("043", 1), ("0841", 2), ("112", 3),
                                             ("141", 4), ("195", 4), (None, 0), ("", 0)])
def test_eval_pentacode_of_cameo_codes(cameo, expected):
    assert ev.pentacode(cameo) == expected


def test_eval_f1_table_by_hand():
    pairs = [("A", "A"), ("A", "B"), ("B", "B"), ("C", "A")]
    table = ev.f1_table(pairs, ["A", "B"])
    # only items labelled A or B count, their predictions included: A has P 1/1, R 1/2; B has P 1/2, R 1/1
    assert table["n"] == 3 and table["per_label"]["A"]["precision"] == 1.0
    assert table["weighted_f1"] == pytest.approx((2 * (2 / 3) + 1 * (2 / 3)) / 3)
    assert table["macro_f1"] == pytest.approx(2 / 3)


def test_eval_rejects_files_without_labels(tmp_path):
    bad = tmp_path / "bad.tsv"
    bad.write_text("just text, no labels\n", encoding="utf-8")
    with pytest.raises(EvalError, match="numeric labels"):
        ev.evaluate_satp(str(bad))
    with pytest.raises(EvalError, match="no quiet article"):
        ev.evaluate_quiet([str(files_of(tmp_path))])


def files_of(tmp_path):
    path = tmp_path / "violent.xml"
    path.write_text("<articles><article><text>Rebels attacked the army.</text></article></articles>", "utf-8")
    return path


def test_eval_cli_commands(files):
    runner = CliRunner()
    out = runner.invoke(main, ["eval", "cameo", str(files["cameo.tsv"]), "--limit", "2"])
    assert out.exit_code == 0 and "CAMEO" in out.output
    out = runner.invoke(main, ["eval", "quiet", str(files["quiet.xml"]), "--json"])
    assert out.exit_code == 0 and '"per_article"' in out.output


def _feed(scorer, monkeypatch, pipeline):
    """The scorer's `extract` answers with this pipeline's reports instead of running the command."""
    monkeypatch.setattr(scorer, "extract", lambda records, tag: ev.extract_reports(
        ((r["id"], r["text"]) for r in records), pipeline))


def test_eval_events_agrees_with_the_reference_scorer(files, pipeline, scorer, monkeypatch):
    _feed(scorer, monkeypatch, pipeline)
    ours = ev.evaluate(str(files["case.tsv"]), pipeline=pipeline)
    assert 100 * ours["acled25"]["weighted_f1"] == pytest.approx(scorer.score_case(str(files["case.tsv"])))


def test_eval_satp_agrees_with_the_reference_scorer(files, pipeline, scorer, monkeypatch):
    _feed(scorer, monkeypatch, pipeline)
    ours = ev.evaluate_satp(str(files["satp.tsv"]), pipeline=pipeline)
    assert 100 * ours["example_f1"] == pytest.approx(scorer.score_satp(str(files["satp.tsv"])))


def test_eval_cameo_agrees_with_the_reference_scorer(files, pipeline, scorer, monkeypatch):
    _feed(scorer, monkeypatch, pipeline)
    ours = ev.evaluate_cameo(str(files["cameo.tsv"]), pipeline=pipeline)
    assert 100 * ours["macro_f1"] == pytest.approx(scorer.score_cameo(str(files["cameo.tsv"])))


def test_eval_quiet_agrees_with_the_reference_scorer(files, pipeline, scorer, monkeypatch):
    _feed(scorer, monkeypatch, pipeline)
    ours = ev.evaluate_quiet([str(files["quiet.xml"])], pipeline=pipeline)
    assert ours["per_article"] == pytest.approx(scorer.score_quiet([str(files["quiet.xml"])]))
