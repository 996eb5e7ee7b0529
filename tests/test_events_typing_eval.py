"""`wirecoder eval events`: CASE 2021 task 2 scoring on a small invented gold file."""

import pytest
from click.testing import CliRunner

from wirecoder.cli import main
from wirecoder.errors import EvalError
from wirecoder.evaluate.events import evaluate, format_result

GOLD = """id\tEventSnippet\tSubType
1\tA roadside bomb exploded under a police truck near the river crossing.\tREM_EXPLOS
2\tRebels and soldiers clashed outside the town for several hours.\tARMED_CLASH
3\tThe foreign ministry expelled three diplomats over the spy affair.\tDIPLO
4\tA flood swept away dozens of homes after days of heavy rain.\tNATURAL_DISASTER
5\tThe militants claimed responsibility for the car bomb.\tAGREEMENT
"""


@pytest.fixture
def gold(tmp_path):
    path = tmp_path / "gold.tsv"
    path.write_text(GOLD, encoding="utf-8")
    return str(path)


def test_eval_events_scores_weighted_f1_over_both_label_sets(gold):
    result = evaluate(gold)
    assert result["n"] == 5
    # the 25 ACLED types: items 1, 2 and the mislabelled 5 (AGREEMENT); typed REM_EXPLOS, ARMED_CLASH, ATTRIB
    assert result["acled25"]["n"] == 3
    assert result["acled25"]["weighted_f1"] == pytest.approx(2 / 3)
    assert result["all30"]["n"] == 5 and result["all30"]["accuracy"] == pytest.approx(4 / 5)
    assert result["confusion"] == {"AGREEMENT -> ATTRIB": 1}
    assert "weighted F1" in format_result(result)


def test_eval_events_limit_and_cli(gold):
    assert evaluate(gold, limit=2)["n"] == 2
    out = CliRunner().invoke(main, ["eval", "events", gold, "--limit", "3"])
    assert out.exit_code == 0 and "25 ACLED types" in out.output


def test_eval_events_rejects_malformed_gold(tmp_path):
    bad = tmp_path / "bad.tsv"
    bad.write_text("1\tonly two columns\n", encoding="utf-8")
    with pytest.raises(EvalError, match="3 tab-separated columns"):
        evaluate(str(bad))
    bad.write_text("1\tsome text\tRIOT\n", encoding="utf-8")
    with pytest.raises(EvalError, match="unknown event type"):
        evaluate(str(bad))
