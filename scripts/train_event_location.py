"""Train the event location model: src/wirecoder/data/models/event_location.json (weights, threshold, provenance).

    python scripts/train_event_location.py --shared ../shared [--out src/wirecoder/data/models/event_location.json]
                                           [--cache /tmp/wirecoder-train] [--folds 5] [--holdout K/N]

It learns from `gold/event_location-dev.jsonl`: sentences with an event verb and the span of the place where
that event happened, or none. Each record is parsed and run through the places and actors stages; every
candidate place of the verb's sentence (`place_model.candidate_features`) is an example, positive when it
overlaps the gold place. A logistic regression scores them; a record's answer is its best candidate when that
one's probability reaches the threshold, else "no place". The regularisation and the threshold are chosen by
k-fold cross-validation over the records (fold = record id modulo k, as `scripts/train_events.py` folds them),
scored as `score.py evloc` scores a record whose event sits at the verb; the figures printed are held-out ones.

--holdout K/N leaves out the records of fold K of N and writes them to OUT (with suffix .heldout.jsonl), for
`scripts/crossval_args.py` to score end to end with the reference scorer.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

import numpy as np
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression

from wirecoder.evaluate.event_location import _span
from wirecoder.events.place_model import candidate_features, fallback_place
from wirecoder.events.location import sentence_candidates
from wirecoder.nlp import parse_cached
from wirecoder.pipeline import ArticleDoc, Pipeline
from wirecoder.records import Article

DATA = "gold/event_location-dev.jsonl"
C_GRID = (0.03, 0.1, 0.3, 1.0)
THRESHOLDS = tuple(round(0.05 * k, 2) for k in range(2, 15))


def read_records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]


def fold_key(record: dict) -> int:
    """A number per record for folding: its id when numeric (as `scripts/train_events.py` folds), else a stable
    hash of it."""
    key = str(record["_id"])
    return int(key) if key.lstrip("-").isdigit() else int(hashlib.sha1(key.encode()).hexdigest()[:8], 16)


def fold_of(record: dict, n: int) -> int:
    """The record's fold: its id modulo n."""
    return fold_key(record) % n


def examples(records: list[dict], pipeline: Pipeline, cache: Path) -> list[dict]:
    """Per record: its candidates' features and labels, and whether the gold names a place at all."""
    docs = parse_cached(pipeline.nlp, [r["text"] for r in records], cache)
    out = []
    for record, doc in zip(records, docs):
        adoc = ArticleDoc(Article(id=str(record["_id"]), text=record["text"]), doc)
        for _, stage in pipeline.stages:
            stage(adoc)
        spans = [(s["label"], _span(record["text"], s, doc)) for s in record["spans"]]
        verb = next((offsets for label, offsets in spans if label == "VERB"), None)
        gold = [offsets for label, offsets in spans if label == "LOCATION" and offsets]
        row = {"fold": fold_key(record), "located": bool(gold), "feats": [], "labels": [], "fallback": None}
        span = doc.char_span(*verb, alignment_mode="expand") if verb else None
        if span is not None and len(span):
            trigger = span[0]
            candidates = sentence_candidates(adoc, trigger.sent)
            scored, _ = candidate_features(trigger, candidates)
            for place, feats, _ in scored:
                row["feats"].append(feats)
                row["labels"].append(_overlaps(place, gold))
            fallback = fallback_place(adoc, trigger, candidates)
            row["fallback"] = None if fallback is None else _overlaps(fallback, gold)
        out.append(row)
    return out


def fit(rows: list[dict], C: float) -> tuple[DictVectorizer, LogisticRegression]:
    vec = DictVectorizer()
    X = vec.fit_transform([{f: 1.0 for f in feats} for row in rows for feats in row["feats"]])
    y = np.array([label for row in rows for label in row["labels"]], dtype=int)
    model = LogisticRegression(C=C, max_iter=3000, solver="lbfgs")
    model.fit(X, y)
    return vec, model


def best_probabilities(vec, model, rows: list[dict]) -> list[tuple[float, bool]]:
    """Per record: the best candidate's probability and whether that candidate is right."""
    out = []
    for row in rows:
        if not row["feats"]:
            out.append((0.0, False))
            continue
        p = model.predict_proba(vec.transform([{f: 1.0 for f in feats} for feats in row["feats"]]))[:, 1]
        k = int(np.argmax(p))
        out.append((float(p[k]), bool(row["labels"][k])))
    return out


def _overlaps(place, gold: list[tuple[int, int]]) -> bool:
    return any(place.start < e and s < place.end for s, e in gold)


def _right(row: dict, p: float, ok: bool, threshold: float) -> bool:
    """Whether the record's answer is right: the best candidate when it reaches the threshold, else the fallback
    place (`place_model.fallback_place`), else none."""
    if p >= threshold:
        return row["located"] and ok
    if row["fallback"] is not None:
        return row["located"] and row["fallback"]
    return not row["located"]


def accuracy(rows: list[dict], best: list[tuple[float, bool]], threshold: float) -> float:
    return sum(_right(row, p, ok, threshold) for row, (p, ok) in zip(rows, best)) / len(rows)


def crossvalidate(rows: list[dict], folds: int) -> tuple[dict, dict]:
    """Held-out accuracy per (C, threshold); and per fold at the best setting. The folds are the id classes modulo
    `folds` that the rows hold (with --holdout K/N, N == folds, class K is not among them)."""
    classes = sorted({r["fold"] % folds for r in rows})
    table, per_fold = {}, {}
    for C in C_GRID:
        best: list = [None] * len(rows)
        for k in classes:
            fitted = fit([r for r in rows if r["fold"] % folds != k], C)
            held = [i for i, r in enumerate(rows) if r["fold"] % folds == k]
            for i, b in zip(held, best_probabilities(*fitted, [rows[i] for i in held])):
                best[i] = b
        for t in THRESHOLDS:
            table[(C, t)] = accuracy(rows, best, t)
            per_fold[(C, t)] = [accuracy([r for r in rows if r["fold"] % folds == k],
                                         [b for r, b in zip(rows, best) if r["fold"] % folds == k], t)
                                for k in classes]
    return table, per_fold


def provenance(args, source: Path, chosen: tuple[float, float], table: dict, per_fold: dict, ceiling: float) -> dict:
    script = Path(__file__).resolve()
    commit = subprocess.run(["git", "-C", str(script.parent), "rev-parse", "HEAD"], capture_output=True,
                            text=True).stdout.strip() or None
    return {"script": "scripts/train_event_location.py",
            "script_sha256": hashlib.sha256(script.read_bytes()).hexdigest(), "git_commit": commit,
            "trained": date.today().isoformat(),
            "data": [{"path": DATA if args.data is None else str(args.data),
                      "sha256": hashlib.sha256(source.read_bytes()).hexdigest()}],
            "parameters": {"C": chosen[0], "folds": args.folds, "C_grid": list(C_GRID), "holdout": args.holdout},
            "heldout": {"what": f"{args.folds}-fold cross-validation over the records (id modulo {args.folds}), the "
                                "model's answer at the gold verb against the gold place or none",
                        "accuracy": round(100 * table[chosen], 1),
                        "per_fold": [round(100 * a, 1) for a in per_fold[chosen]],
                        "reachable": round(100 * ceiling, 1)}}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, help="the shared/ folder (reads gold/event_location-dev.jsonl)")
    parser.add_argument("--data", type=Path, help="another event_location file to learn from (e.g. a test sample)")
    parser.add_argument("--out", type=Path, default=Path("src/wirecoder/data/models/event_location.json"))
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "wirecoder-train")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--holdout", metavar="K/N", help="leave the records of id modulo N == K out")
    args = parser.parse_args(argv)
    if args.data is None and args.shared is None:
        parser.error("give --shared (or --data FILE)")
    source = args.data or args.shared / DATA
    records = read_records(source)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    if args.holdout:
        k, n = (int(x) for x in args.holdout.split("/"))
        held = [r for r in records if fold_of(r, n) == k]
        records = [r for r in records if fold_of(r, n) != k]
        args.out.with_suffix(".heldout.jsonl").write_text(
            "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in held), "utf-8")
    pipeline = Pipeline(stages=["places.gazetteer.v1", "actors.dictionary.v1"])
    rows = examples(records, pipeline, args.cache)
    ceiling = sum(any(r["labels"]) if r["located"] else 1 for r in rows) / len(rows)
    print(f"{len(rows)} records; the gold place is among the candidates (or there is none) in "
          f"{100 * ceiling:.1f}%", file=sys.stderr)
    table, per_fold = crossvalidate(rows, args.folds)
    chosen = max(table, key=lambda k: (table[k], -abs(k[1] - 0.5)))
    vec, model = fit(rows, chosen[0])
    weights = {name: round(float(w), 4) for name, w in zip(vec.get_feature_names_out(), model.coef_[0])
               if abs(w) >= 1e-4}
    weights["bias"] = round(weights.get("bias", 0.0) + float(model.intercept_[0]), 4)
    meta = {"format": 1, "threshold": chosen[1], "weights": dict(sorted(weights.items())),
            **provenance(args, source, chosen, table, per_fold, ceiling)}
    args.out.write_text(json.dumps(meta, indent=1) + "\n", "utf-8")
    print(f"held-out ({args.folds}-fold CV) accuracy at the gold verb {100 * table[chosen]:.1f}% with C={chosen[0]} "
          f"threshold={chosen[1]}; per fold " + " ".join(f"{100 * a:.1f}" for a in per_fold[chosen]))


if __name__ == "__main__":
    main()
