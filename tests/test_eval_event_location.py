"""`wirecoder eval event-location` on an invented gold file, and the place link it scores."""

import json

import pytest

from wirecoder.errors import EvalError
from wirecoder.evaluate.event_location import evaluate, format_result


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


def test_eval_event_location_needs_an_event_at_the_verb(tmp_path):
    """As the reference scorer counts: a record without a place is right only when an event sits at its verb."""
    gold = tmp_path / "gold.jsonl"
    records = [_record("The weather was mild and the sea was calm.", "was"),
               _record("Rebels attacked a police post on Friday.", "attacked")]
    gold.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    result = evaluate(str(gold))
    assert result["without_location"] == {"correct": 1, "records": 2}


def test_eval_event_location_reads_token_spans_as_the_reference_scorer():
    """A span given by token position only is the first occurrence of its words, as shared/tools/score.py reads it."""
    from wirecoder.evaluate.event_location import reference_span

    text = "Goma fell after rebels marched on Goma."
    assert reference_span(text, {"start": 7, "end": 7, "text": "Goma"}) == (0, 4)
    assert reference_span(text, {"start": 7, "end": 7, "text": "Bukavu"}) == (7, 7)
    assert reference_span(text, {"start": 34, "end": 38}) == (34, 38)
