"""`wirecoder eval attribution`: source, cue and content spans against PolNeAR (brat standoff).

Gold: a folder with `text/NAME.txt` and `attributions/NAME_<annotator>.ann`. Where an article has several
annotators, the first `.ann` file in sorted order is used, always the same one. Only `Source`, `Cue` and
`Content` text-bound lines count; a role span shared by several attributions counts once (PolNeAR is univocal:
each token has at most one role).

Matching, per role and per article (predicted spans are the distinct source, cue and content spans of
`Report.attributions` that are not nested in another one, since PolNeAR gives each token one role and so
never annotates an attribution inside another's content; whitespace and edge punctuation/quote marks are trimmed
on both sides first):

- overlap: a predicted span is correct when it shares at least one character with a gold span of the same role;
  a gold span is found when some predicted span of that role shares a character with it. Precision counts
  predicted spans, recall counts gold spans (the loose match of Citron's and GenderGapTracker's reports).
- exact: the trimmed predicted span equals the trimmed gold span, as in CofeNet's exact-match table. A
  discontinuous gold span ("…, she said, …") matches when the prediction equals any of its pieces or its whole
  stretch, since a record holds one content span.

P/R/F1 are micro-averaged over the corpus.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..errors import EvalError

ROLES = ("source", "cue", "content")
_EDGE = " \t\r\n\"'“”‘’«».,;:!?()[]—–-"
_T_LINE = re.compile(r"^(T\d+)\t(\S+) ([\d ;]+)\t?(.*)$")


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _EDGE:
        start += 1
    while end > start and text[end - 1] in _EDGE:
        end -= 1
    return start, end


def read_ann(path: Path, text: str) -> dict[str, list[list[tuple[int, int]]]]:
    """Gold spans of one .ann file: role -> list of spans, each a list of (start, end) pieces."""
    spans: dict[str, set[tuple[tuple[int, int], ...]]] = {role: set() for role in ROLES}
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not re.match(r"T\d+\t", line):
            continue  # other annotation kinds, and the rest of a span text that holds a line break
        match = _T_LINE.match(line)
        if match is None:
            raise EvalError(f"{path}:{lineno}: not a brat text-bound line: {line[:80]!r}")
        role = match.group(2).lower()
        if role not in spans:
            continue
        pieces = []
        for piece in match.group(3).split(";"):
            start, end = (int(x) for x in piece.split())
            if end > len(text):
                raise EvalError(f"{path}:{lineno}: offset {end} beyond the text ({len(text)} characters)")
            start, end = _trim(text, start, end)
            if start < end:
                pieces.append((start, end))
        if pieces:
            spans[role].add(tuple(pieces))
    return {role: sorted(list(p) for p in found) for role, found in spans.items()}


def load_polnear(folder: str | Path, limit: int | None = None) -> list[tuple[str, str, dict]]:
    """(name, text, gold spans by role) for each article with annotations, in name order."""
    folder = Path(folder)
    text_dir, ann_dir = folder / "text", folder / "attributions"
    if not text_dir.is_dir() or not ann_dir.is_dir():
        raise EvalError(f"{folder}: expected the PolNeAR layout with text/ and attributions/ folders")
    anns: dict[str, Path] = {}
    for ann in sorted(ann_dir.glob("*.ann")):
        anns.setdefault(ann.stem.rsplit("_", 1)[0], ann)
    items = []
    for txt in sorted(text_dir.glob("*.txt")):
        ann = anns.get(txt.stem)
        if ann is None:
            continue
        text = txt.read_text(encoding="utf-8")
        items.append((txt.stem, text, read_ann(ann, text)))
        if limit is not None and len(items) >= limit:
            break
    if not items:
        raise EvalError(f"{folder}: no article has both a text and an .ann file")
    return items


def predicted_spans(report, text: str) -> dict[str, list[tuple[int, int]]]:
    """Distinct trimmed source, cue and content spans of a report's top-level attributions."""
    found: dict[str, set[tuple[int, int]]] = {role: set() for role in ROLES}
    for attribution in report.attributions:
        if attribution.nested_in is not None:
            continue
        for role in ROLES:
            span = getattr(attribution, role)
            if span is None:
                continue
            start, end = _trim(text, span.start, span.end)
            if start < end:
                found[role].add((start, end))
    return {role: sorted(spans) for role, spans in found.items()}


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _exact(pred: tuple[int, int], gold: list[tuple[int, int]]) -> bool:
    return pred in gold or pred == (gold[0][0], gold[-1][1])


def score_article(pred: dict[str, list], gold: dict[str, list]) -> dict[str, dict[str, int]]:
    """Counts per role and mode: predicted, gold, correct predictions (tp_p) and found gold spans (tp_g)."""
    counts = {}
    for role in ROLES:
        p, g = pred[role], gold[role]
        for mode in ("exact", "overlap"):
            if mode == "exact":
                hit = _exact
            else:
                def hit(span, pieces):
                    return any(_overlaps(span, piece) for piece in pieces)
            counts[f"{role}/{mode}"] = {
                "pred": len(p),
                "gold": len(g),
                "tp_p": sum(any(hit(s, pieces) for pieces in g) for s in p),
                "tp_g": sum(any(hit(s, pieces) for s in p) for pieces in g),
            }
    return counts


def _prf(c: dict[str, int]) -> dict[str, float]:
    precision = c["tp_p"] / c["pred"] if c["pred"] else 0.0
    recall = c["tp_g"] / c["gold"] if c["gold"] else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4), **c}


def evaluate(path: str, limit: int | None = None, pipeline=None) -> dict[str, Any]:
    """Run the attribution stage over a PolNeAR folder and score source, cue and content spans."""
    from ..pipeline import Pipeline, make_article

    items = load_polnear(path, limit)
    pipeline = pipeline or Pipeline(stages=["attribution.rules.v1"])
    totals: dict[str, dict[str, int]] = {}
    articles = (make_article(text, id=name) for name, text, _ in items)
    for (name, text, gold), report in zip(items, pipeline.pipe(articles)):
        for key, c in score_article(predicted_spans(report, text), gold).items():
            total = totals.setdefault(key, dict.fromkeys(c, 0))
            for k, v in c.items():
                total[k] += v
    return {
        "gold": str(path),
        "articles": len(items),
        "scores": {key: _prf(c) for key, c in sorted(totals.items())},
    }


def format_result(result: dict[str, Any]) -> str:
    lines = [f"PolNeAR attribution: {result['articles']} articles ({result['gold']})",
             f"{'role':<8} {'mode':<8} {'P':>6} {'R':>6} {'F1':>6} {'pred':>6} {'gold':>6}"]
    for key, s in result["scores"].items():
        role, mode = key.split("/")
        lines.append(f"{role:<8} {mode:<8} {s['precision']:>6.3f} {s['recall']:>6.3f} {s['f1']:>6.3f} "
                     f"{s['pred']:>6} {s['gold']:>6}")
    return "\n".join(lines)
