"""`wirecoder eval roles` on an invented BIO file: what `extract` returns, scored as the reference scorer does."""

import pytest
from click.testing import CliRunner

from wirecoder.cli import main
from wirecoder.errors import EvalError
from wirecoder.evaluate.roles import evaluate, format_result, read_gold

_GOLD = """The B-S
Kenyan I-S
government I-S
condemned O
the B-T
rebels I-T
. O

Oxfam B-S
appealed O
to O
the O
Kenyan O
government O
. O
"""


def test_eval_roles_reads_spans_as_the_scorer_rebuilds_the_text(tmp_path):
    gold = tmp_path / "gold.conll"
    gold.write_text(_GOLD, "utf-8")
    (text, spans), (second, other) = read_gold(str(gold))
    assert text == "The Kenyan government condemned the rebels ."
    assert [text[a:b] for a, b in spans["S"]] == ["The Kenyan government"]
    assert [text[a:b] for a, b in spans["T"]] == ["the rebels"]
    assert other["T"] == []


def test_eval_roles_scores_the_primary_event_actors(tmp_path):
    gold = tmp_path / "gold.conll"
    gold.write_text(_GOLD, "utf-8")
    result = evaluate(str(gold))
    assert result["sentences"] == 2
    assert result["source"]["recall"] == 1.0 and result["source"]["precision"] == 1.0
    # the second sentence's target is found but not marked in gold: it counts against precision only
    assert result["target"]["recall"] == 1.0 and result["target"]["precision"] == 0.5
    assert "target P/R/F1 50.0/100.0/66.7" in format_result(result)


def test_eval_roles_cli_prints_the_figure(tmp_path):
    gold = tmp_path / "gold.conll"
    gold.write_text(_GOLD, "utf-8")
    out = CliRunner().invoke(main, ["eval", "roles", str(gold)])
    assert out.exit_code == 0 and "actor roles 2 sentences" in out.output


def test_eval_roles_rejects_an_empty_file(tmp_path):
    gold = tmp_path / "gold.conll"
    gold.write_text("\n\n", "utf-8")
    with pytest.raises(EvalError):
        read_gold(str(gold))
