"""`wirecoder eval event-location`: is the event at a given verb placed where the annotator says it happened?

Gold: JSON lines `{"text", "spans": [{"start", "end", "label": "VERB"|"LOCATION", "text"?}]}`, one VERB span and
zero or more LOCATION spans per record. Each text runs through the whole pipeline as `wirecoder extract` runs it,
and the record is scored as the reference scorer (`shared/tools/score.py evloc`) scores it: right when the event
reported at the verb is placed at a place overlapping the (first) gold LOCATION span, or when there is none and
the event at the verb has no place (no event at the verb is wrong either way). Some records give token indices
in `start`/`end` (then `start == token_start`) with the words in `text`: the scorer takes the first occurrence of
those words (`reference_span`); the training script locates them better, at the occurrence nearest that token
(`_span`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..errors import EvalError

def _span(text: str, span: dict[str, Any], doc) -> tuple[int, int] | None:
    """Character offsets of a gold span, repairing the records that carry token indices."""
    words = span.get("text")
    start, end = span["start"], span["end"]
    if words and text[start:end] != words:
        occurrences = [i for i in range(len(text)) if text.startswith(words, i)]
        if not occurrences:
            return None
        target = start
        if start == span.get("token_start") and start < len(doc):
            target = doc[start].idx
        best = min(occurrences, key=lambda i: abs(i - target))
        return best, best + len(words)
    if end <= start:
        return None
    return start, end


def load(path: str, limit: int | None = None) -> list[dict[str, Any]]:
    records = []
    try:
        with Path(path).open(encoding="utf-8") as handle:
            for n, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                record = json.loads(line)
                if not isinstance(record.get("text"), str) or not isinstance(record.get("spans"), list):
                    raise EvalError(f"{path}:{n}: a record needs 'text' and 'spans'")
                if not any(s.get("label") == "VERB" for s in record["spans"]):
                    raise EvalError(f"{path}:{n}: no VERB span")
                records.append(record)
                if limit and len(records) >= limit:
                    break
    except (OSError, json.JSONDecodeError) as exc:
        raise EvalError(f"cannot read {path}: {exc}") from exc
    return records


def reference_span(text: str, span: dict[str, Any]) -> tuple[int, int]:
    """Character offsets of a gold span as the reference scorer reads them: a span given by its token position
    only (end <= start) is the first occurrence of its words, or empty when they are not found."""
    start, end = span["start"], span["end"]
    if end <= start and span.get("text"):
        found = text.find(span["text"])
        return (found, found + len(span["text"])) if found >= 0 else (start, start)
    return start, end


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return min(a[1], b[1]) > max(a[0], b[0])


def event_at(report: dict, verb: tuple[int, int]) -> dict | None:
    """The event of a report's JSON form told at the verb: the first whose trigger overlaps it, else the first
    whose evidence does (as the reference scorer finds it)."""
    events = report.get("events", [])
    for spans in (lambda e: [e.get("trigger") or {}], lambda e: list(e.get("evidence") or [])):
        found = next((e for e in events if any(s.get("start") is not None and _overlaps((s["start"], s["end"]), verb)
                                               for s in spans(e))), None)
        if found is not None:
            return found
    return None


def evaluate(path: str, limit: int | None = None, pipeline=None) -> dict[str, Any]:
    """Accuracy of the event -> place link over the gold records, on what `wirecoder extract` returns: the event
    at the gold verb must be placed at the gold place, or be there and placed nowhere when gold has none."""
    from .events import extract_reports

    records = load(path, limit)
    reports = extract_reports(((str(n), r["text"]) for n, r in enumerate(records)), pipeline)
    counts = {"located": [0, 0], "unlocated": [0, 0]}
    errors = []
    for n, record in enumerate(records):
        spans = {}
        for span in record["spans"]:  # the first span of each label, as the reference scorer reads them
            spans.setdefault(span["label"], reference_span(record["text"], span))
        verb, where = spans["VERB"], spans.get("LOCATION")
        gold = [where] if where else []
        report = reports.get(str(n), {})
        event = event_at(report, verb)
        places = {p.get("id"): p for p in report.get("places", [])}
        place = places.get(event.get("location")) if event else None
        if gold:
            ok = place is not None and _overlaps((place["start"], place["end"]), where)
        else:
            ok = event is not None and place is None
        bucket = counts["located" if gold else "unlocated"]
        bucket[0] += ok
        bucket[1] += 1
        if not ok and len(errors) < 50:
            errors.append({"text": record["text"][:200], "verb": record["text"][verb[0]:verb[1]],
                           "gold": [record["text"][s:e] for s, e in gold], "event": event is not None,
                           "predicted": place["text"] if place else None})
    right = counts["located"][0] + counts["unlocated"][0]
    total = counts["located"][1] + counts["unlocated"][1]
    return {
        "accuracy": right / total if total else 0.0,
        "correct": right,
        "records": total,
        "with_location": {"correct": counts["located"][0], "records": counts["located"][1]},
        "without_location": {"correct": counts["unlocated"][0], "records": counts["unlocated"][1]},
        "errors": errors,
    }


def format_result(result: dict[str, Any]) -> str:
    def share(part: dict[str, int]) -> str:
        return f"{part['correct']}/{part['records']} ({part['correct'] / part['records']:.1%})" if part["records"] \
            else "0/0"

    return "\n".join([
        f"event placed right  {result['correct']}/{result['records']} ({result['accuracy']:.1%})",
        f"  gold has a place  {share(result['with_location'])}",
        f"  gold has none     {share(result['without_location'])}",
    ])
