"""`wirecoder eval attribution`: source, cue and content spans against PolNeAR (brat standoff), scored as the
reference scorer (shared/tools/score.py, `attrib`) scores them.

Gold: a folder with `text/NAME.txt` and `attributions/NAME_<annotator>.ann`. Where an article has several
annotators, the first `.ann` file in sorted order is used, always the same one. Each attribution (`E` line) gives
one gold span per role it has: the whole stretch of that role's span, from its first piece to its last.

Predictions are the spans of what `wirecoder extract` returns: each top-level attribution's source, cue and
content (an attribution nested in another is left out: PolNeAR never annotates a report inside another's
content). Whitespace, quote marks and edge punctuation are trimmed on both sides. Per role and article, each
predicted span in turn takes the first gold span not yet taken that it matches, so one prediction matches at
most one gold span and one gold span at most one prediction:

- exact: the trimmed spans are equal, as in CofeNet's exact-match table;
- overlap: they share at least one character.

P/R/F1 are micro-averaged over the corpus (matches / predicted spans, matches / gold spans).
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


def read_relations(path: Path, text: str) -> dict[str, list[tuple[int, int]]]:
    """Gold spans to score against: per role, the trimmed stretch of that role's span in each attribution."""
    stretches: dict[str, tuple[int, int]] = {}
    relations = []
    for line in path.read_text(encoding="utf-8").splitlines():
        match = _T_LINE.match(line)
        if match is not None:
            bounds = [int(x) for piece in match.group(3).split(";") for x in piece.split()]
            stretches[match.group(1)] = (min(bounds), max(bounds))
        elif re.match(r"E\d+\t", line):
            relations.append(dict(part.split(":", 1) for part in line.split("\t")[1].split()))
    gold: dict[str, list[tuple[int, int]]] = {role: [] for role in ROLES}
    for relation in relations:
        for role in ROLES:
            span = stretches.get(relation.get(role.capitalize(), ""))
            if span is not None:
                gold[role].append(_trim(text, *span))
    return gold


def load_polnear(folder: str | Path, limit: int | None = None) -> list[tuple[str, str, dict]]:
    """(name, text, gold) for each article with annotations, in name order: gold holds the pieces of each role
    (`read_ann`) and, under "scored", the spans the scorer counts (`read_relations`)."""
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
        items.append((txt.stem, text, {**read_ann(ann, text), "scored": read_relations(ann, text)}))
        if limit is not None and len(items) >= limit:
            break
    if not items:
        raise EvalError(f"{folder}: no article has both a text and an .ann file")
    return items


def predicted_spans(report, text: str) -> dict[str, list[tuple[int, int]]]:
    """Trimmed source, cue and content spans of a report's top-level attributions, in record order."""
    found: dict[str, list[tuple[int, int]]] = {role: [] for role in ROLES}
    for attribution in report.attributions:
        if attribution.nested_in is not None:
            continue
        for role in ROLES:
            span = getattr(attribution, role)
            if span is not None:
                found[role].append(_trim(text, span.start, span.end))
    return found


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def matches(pred: list[tuple[int, int]], gold: list[tuple[int, int]], mode: str) -> int:
    """How many predicted spans match a gold span, each gold span taken by the first prediction that matches it."""
    taken: set[int] = set()
    for span in pred:
        for j, other in enumerate(gold):
            if j not in taken and (span == other if mode == "exact" else _overlaps(span, other)):
                taken.add(j)
                break
    return len(taken)


def score_article(pred: dict[str, list], gold: dict[str, list]) -> dict[str, dict[str, int]]:
    """Counts per role and mode: predicted spans, gold spans, and matched pairs."""
    return {f"{role}/{mode}": {"pred": len(pred[role]), "gold": len(gold[role]),
                               "match": matches(pred[role], gold[role], mode)}
            for role in ROLES for mode in ("exact", "overlap")}


def _prf(c: dict[str, int]) -> dict[str, float]:
    precision = c["match"] / c["pred"] if c["pred"] else 0.0
    recall = c["match"] / c["gold"] if c["gold"] else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4), **c}


def evaluate(path: str, limit: int | None = None, pipeline=None) -> dict[str, Any]:
    """Run the whole pipeline over a PolNeAR folder, as `wirecoder extract` does, and score the spans."""
    from ..pipeline import default_pipeline, make_article

    items = load_polnear(path, limit)
    pipeline = pipeline or default_pipeline()
    totals: dict[str, dict[str, int]] = {}
    articles = (make_article(text, id=name) for name, text, _ in items)
    for (name, text, gold), report in zip(items, pipeline.pipe(articles)):
        for key, c in score_article(predicted_spans(report, text), gold["scored"]).items():
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
