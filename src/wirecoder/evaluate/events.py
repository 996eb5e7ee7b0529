"""`wirecoder eval events`: CASE 2021 task 2 scoring of the event typer.

The gold is a TSV `id \t EventSnippet \t SubType` (header optional). Each snippet is typed by
`events.typing.classify` and the top type is the prediction. As in the shared task, F1 is computed per label
and averaged weighted by gold support (and plain, "macro"), twice: over the gold items of the 25 ACLED types
and over all 30. A snippet with no event word at all gets `FALLBACK`, the type that news snippets report most.
"""

from __future__ import annotations

import csv
from collections import Counter

from ..errors import EvalError
from ..events.codebook import ACLED_CODES, TYPE_CODES
from ..events.typing import classify

FALLBACK = "ARMED_CLASH"


def read_gold(path: str, limit: int | None = None) -> list[tuple[str, str, str]]:
    """(id, snippet, label) rows of a CASE 2021 task 2 TSV; raises EvalError on a malformed file."""
    rows = []
    with open(path, encoding="utf-8", newline="") as handle:
        for number, row in enumerate(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE), 1):
            if number == 1 and row[-1:] == ["SubType"]:
                continue
            if not row or not any(row):
                continue
            if len(row) != 3:
                raise EvalError(f"{path}:{number}: expected 3 tab-separated columns (id, snippet, type), "
                                f"got {len(row)}")
            if row[2] not in TYPE_CODES:
                raise EvalError(f"{path}:{number}: unknown event type {row[2]!r}")
            rows.append((row[0], row[1], row[2]))
            if limit and len(rows) >= limit:
                break
    if not rows:
        raise EvalError(f"{path}: no snippets found")
    return rows


def _f1_table(pairs: list[tuple[str, str]], labels: tuple[str, ...]) -> dict:
    """Weighted (by gold support) and macro F1 over the gold items whose label is in `labels`."""
    items = [(gold, pred) for gold, pred in pairs if gold in labels]
    support = Counter(gold for gold, _ in items)
    predicted = Counter(pred for _, pred in items)
    correct = Counter(gold for gold, pred in items if gold == pred)
    per_label = {}
    for label in labels:
        if not support[label]:
            continue
        p = correct[label] / predicted[label] if predicted[label] else 0.0
        r = correct[label] / support[label]
        per_label[label] = {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0,
                            "support": support[label]}
    n = sum(support.values())
    return {
        "n": n,
        "accuracy": sum(correct.values()) / n if n else 0.0,
        "weighted_f1": sum(v["f1"] * v["support"] for v in per_label.values()) / n if n else 0.0,
        "macro_f1": sum(v["f1"] for v in per_label.values()) / len(per_label) if per_label else 0.0,
        "per_label": per_label,
    }


def evaluate(path: str, limit: int | None = None) -> dict:
    """Score the typer on a CASE 2021 task 2 TSV: {"acled25": {...}, "all30": {...}, "confusion": {...}}."""
    pairs, errors = [], []
    for snippet_id, text, gold in read_gold(path, limit):
        ranked = classify(text)
        pred = ranked[0][0] if ranked else FALLBACK
        pairs.append((gold, pred))
        if pred != gold:
            errors.append({"id": snippet_id, "gold": gold, "pred": pred})
    confusion = Counter(f"{gold} -> {pred}" for gold, pred in pairs if gold != pred)
    return {
        "gold": path,
        "n": len(pairs),
        "acled25": _f1_table(pairs, ACLED_CODES),
        "all30": _f1_table(pairs, TYPE_CODES),
        "confusion": dict(confusion.most_common()),
        "errors": errors,
    }


def format_result(result: dict) -> str:
    """The headline figures, per-label F1 over all 30 types and the most frequent confusions."""
    lines = [f"CASE 2021 task 2: {result['gold']} ({result['n']} snippets)"]
    for key, name in (("acled25", "25 ACLED types"), ("all30", "all 30 types")):
        table = result[key]
        lines.append(f"  {name:15} n={table['n']:4}  weighted F1 {table['weighted_f1']:.3f}  "
                     f"macro F1 {table['macro_f1']:.3f}  accuracy {table['accuracy']:.3f}")
    lines.append("  per type (all 30):  P  R  F1  support")
    for label, row in sorted(result["all30"]["per_label"].items(), key=lambda kv: -kv[1]["support"]):
        lines.append(f"    {label:30} {row['precision']:.2f} {row['recall']:.2f} {row['f1']:.2f} {row['support']:4}")
    lines.append("  confusions (gold -> predicted: count):")
    for pair, count in list(result["confusion"].items())[:25]:
        lines.append(f"    {pair}: {count}")
    return "\n".join(lines)
