"""`wirecoder eval roles`: who did it to whom, scored on what `wirecoder extract` returns.

Gold: a token-per-line BIO file (`token ... tag`, a blank line between sentences) marking the main event's source
(`B-S`/`I-S`) and target (`B-T`/`I-T`), as `shared/train/cameo/source_target_*.conll`. Each sentence is rebuilt
as the reference scorer (`shared/tools/score.py roles`) rebuilds it, tokens joined by single spaces, and run
through the whole pipeline. The mentions of the primary event's actor1 are matched against the gold sources and
those of its actor2 against the gold targets, one to one, a match being any character overlap; P/R/F1 per role
and their mean.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import EvalError
from .events import _prf, extract_reports, primary

ROLES = (("S", "actor1", "source"), ("T", "actor2", "target"))


def read_gold(path: str, limit: int | None = None) -> list[tuple[str, dict[str, list[tuple[int, int]]]]]:
    """(text, {"S": spans, "T": spans}) per sentence; an I- tag without its B- opens a span."""
    try:
        lines = Path(path).read_text("utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise EvalError(f"cannot read {path}: {exc}") from exc
    sentences, tokens = [], []
    for number, line in enumerate([*lines, ""], 1):
        parts = line.split()
        if parts:
            if len(parts) < 2:
                raise EvalError(f"{path}:{number}: expected a token and its tag")
            tokens.append((parts[0], parts[-1]))
            continue
        if tokens:
            sentences.append(_sentence(tokens))
            tokens = []
        if limit and len(sentences) >= limit:
            break
    if not sentences:
        raise EvalError(f"{path}: no sentences found")
    return sentences


def _sentence(tokens: list[tuple[str, str]]) -> tuple[str, dict[str, list[tuple[int, int]]]]:
    text, spans, current = "", {"S": [], "T": []}, None
    for word, tag in tokens:
        start = len(text) + (1 if text else 0)
        text = f"{text} {word}" if text else word
        role = tag[2:]
        if tag.startswith("B-") or (tag.startswith("I-") and (current is None or current[0] != role)):
            current = [role, start, start + len(word)]
            spans.setdefault(role, []).append(current)
        elif tag.startswith("I-"):
            current[2] = start + len(word)
        else:
            current = None
    return text, {role: [(a, b) for _, a, b in found] for role, found in spans.items()}


def _matches(predicted: list[tuple[int, int]], gold: list[tuple[int, int]]) -> int:
    """How many predicted spans overlap a gold span not matched before (one to one)."""
    used: set[int] = set()
    for start, end in predicted:
        j = next((j for j, (a, b) in enumerate(gold) if j not in used and min(end, b) > max(start, a)), None)
        if j is not None:
            used.add(j)
    return len(used)


def evaluate(path: str, limit: int | None = None, pipeline=None) -> dict[str, Any]:
    """P/R/F1 of the primary event's actor1 against the gold sources and actor2 against the gold targets."""
    sentences = read_gold(path, limit)
    reports = extract_reports(((f"s{i}", text) for i, (text, _) in enumerate(sentences)), pipeline)
    result: dict[str, Any] = {"gold": path, "sentences": len(sentences)}
    for role, field, name in ROLES:
        tp = npred = ngold = 0
        for i, (_, gold) in enumerate(sentences):
            report = reports.get(f"s{i}", {})
            actors = {a.get("id"): a for a in report.get("actors", [])}
            actor = actors.get(primary(report).get(field)) or {}
            predicted = [(m["start"], m["end"]) for m in actor.get("mentions", []) if m.get("start") is not None]
            npred += len(predicted)
            ngold += len(gold.get(role, []))
            tp += _matches(predicted, gold.get(role, []))
        p, r, f = _prf(tp, npred, ngold)
        result[name] = {"precision": p, "recall": r, "f1": f}
    result["mean_f1"] = (result["source"]["f1"] + result["target"]["f1"]) / 2
    return result


def format_result(result: dict[str, Any]) -> str:
    def prf(part: dict[str, float]) -> str:
        return "/".join(f"{100 * part[k]:.1f}" for k in ("precision", "recall", "f1"))

    return (f"actor roles {result['sentences']} sentences: source P/R/F1 {prf(result['source'])}, "
            f"target P/R/F1 {prf(result['target'])}; mean F1 {100 * result['mean_f1']:.1f}")
