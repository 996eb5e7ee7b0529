"""`wirecoder eval event-location`: is the event at a given verb placed where the annotator says it happened?

Gold: JSON lines `{"text", "spans": [{"start", "end", "label": "VERB"|"LOCATION", "text"?}]}`, one VERB span and
zero or more LOCATION spans per record. A record is right when the place `locate_event` picks for the verb
overlaps a gold LOCATION span, or when it picks none and there is none. Some records give token indices in
`start`/`end` (then `start == token_start`) with the words in `text`: those spans are found by their text,
taking the occurrence nearest that token.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..errors import EvalError
from ..records import Article

# the event's place depends on the places found, and on the actors (a place inside an actor's name is no venue)
_STAGES = ["places.gazetteer.v1", "actors.dictionary.v1"]


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


def evaluate(path: str, limit: int | None = None) -> dict[str, Any]:
    """Accuracy of the event -> place link over the gold records (and split by whether gold has a place)."""
    from ..events.location import locate_event
    from ..pipeline import ArticleDoc, Pipeline

    records = load(path, limit)
    pipeline = Pipeline(stages=_STAGES)
    counts = {"located": [0, 0], "unlocated": [0, 0]}
    errors = []
    texts = (r["text"] for r in records)
    for record, doc in zip(records, pipeline.nlp.pipe(texts, batch_size=64)):
        adoc = ArticleDoc(Article(id=str(record.get("_id", "")), text=record["text"]), doc)
        for _, stage in pipeline.stages:
            stage(adoc)
        spans = [(s["label"], _span(record["text"], s, doc)) for s in record["spans"]]
        verb = next(offsets for label, offsets in spans if label == "VERB")
        gold = [offsets for label, offsets in spans if label == "LOCATION" and offsets]
        place = locate_event(adoc, *verb) if verb else None
        if gold:
            ok = place is not None and any(place.start < e and s < place.end for s, e in gold)
        else:
            ok = place is None
        bucket = counts["located" if gold else "unlocated"]
        bucket[0] += ok
        bucket[1] += 1
        if not ok and len(errors) < 50:
            errors.append({"text": record["text"][:200], "verb": record["text"][verb[0]:verb[1]] if verb else None,
                           "gold": [record["text"][s:e] for s, e in gold],
                           "predicted": place.text if place else None})
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
