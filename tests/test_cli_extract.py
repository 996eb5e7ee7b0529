"""`wirecoder extract` as the output contract describes it: one line per input line, same ids, same order."""

import json

from click.testing import CliRunner

from wirecoder.cli import main


def test_extract_jsonl_keeps_order_and_reports_bad_lines(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text(
        json.dumps({"id": "one", "text": "Soldiers shelled villages near Idlib on Sunday.", "published": "2020-02-10"})
        + "\n{broken\n"
        + json.dumps({"id": "three", "text": "Hundreds marched peacefully in Bamako."}) + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(main, ["extract", str(source), "--format", "jsonl", "-o", str(out)])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert [obj["id"] for obj in lines] == ["one", "in:2", "three"]
    assert "invalid JSON" in lines[1]["error"]
    for key in ("places", "dates", "actors", "events", "primary_event", "attributions", "hashtags", "warnings"):
        assert key in lines[0] and key in lines[2]
    assert lines[0]["published"] == "2020-02-10"


def test_extract_refuses_bad_arguments(tmp_path):
    result = CliRunner().invoke(main, ["extract", str(tmp_path / "x.txt"), "--published", "yesterday"])
    assert result.exit_code != 0 and "not an ISO date" in result.output


def test_extract_fails_when_no_input_can_be_read(tmp_path):
    result = CliRunner().invoke(main, ["extract", str(tmp_path / "missing.jsonl")])
    assert result.exit_code == 1 and "no such file" in result.output
