"""Train the role model: src/wirecoder/data/models/roles.crfsuite (a CRF tagger) and roles.json (provenance).

    python scripts/train_roles.py --shared ../shared [--out src/wirecoder/data/models/roles]
                                  [--cache /tmp/wirecoder-train] [--folds 5] [--holdout K/N]

It learns from `train/cameo/source_target_train.conll` (news sentences, a token per line, BIO tags of the main
event's source S and target T); the dev split is never read. Each sentence is rebuilt as the reference scorer
builds it (tokens joined by spaces), parsed, and run through the places and actors stages; its event is the
trigger word the detection lexicon finds highest in the parse (else the root), as `roles_for` sees the clause verb
of an event's trigger. The CRF's L1/L2 weights are chosen by k-fold cross-validation on the training sentences,
scored as `score.py roles` scores (the most probable source and target phrase against the gold spans, overlap,
one to one); the figures printed are those held-out ones. Deterministic: fixed folds, L-BFGS.

--holdout K/N leaves the sentences of fold K of N (index modulo N) out and writes them to OUT.heldout.conll, for
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

import pycrfsuite

from wirecoder.actors import token_actor_map
from wirecoder.events.detect import find_events, load_detection
from wirecoder.events.roles import _clause_verb, actor_kinds, decode, features
from wirecoder.nlp import parse_cached
from wirecoder.pipeline import ArticleDoc, Pipeline
from wirecoder.records import Article

DATA = "train/cameo/source_target_train.conll"
GRID = [(c1, c2) for c1 in (0.05, 0.2, 0.5) for c2 in (0.01, 0.1)]
MAX_ITERATIONS = 150
FILLS = (1.0, 0.3, 0.1, 0.05, 0.02)  # 1.0: never fill in a role the best label sequence leaves out


def read_conll(path: Path) -> list[list[tuple[str, str]]]:
    """Sentences as (token, tag) lists."""
    sentences, current = [], []
    for line in [*path.read_text("utf-8").splitlines(), ""]:
        parts = line.split()
        if len(parts) >= 2:
            current.append((parts[0], parts[-1]))
        elif current:
            sentences.append(current)
            current = []
    return sentences


def gold_spans(tokens: list[tuple[str, str]]) -> tuple[str, list[tuple[int, int, str]]]:
    """The sentence text (tokens joined by spaces, as the reference scorer sends it) and its (start, end, role)
    character spans."""
    text, spans, current = "", [], None
    for word, tag in tokens:
        start = len(text) + (1 if text else 0)
        text = f"{text} {word}" if text else word
        if tag.startswith("B-") or (tag.startswith("I-") and (current is None or current[2] != tag[2:])):
            current = [start, start + len(word), tag[2:]]
            spans.append(current)
        elif tag.startswith("I-"):
            current[1] = start + len(word)
        else:
            current = None
    return text, [tuple(s) for s in spans]


def anchor_of(sent, lex) -> object:
    """The clause verb of the sentence's highest trigger word, else the sentence root."""
    triggers = find_events(sent, lex)
    if not triggers:
        return sent.root
    verbs = [_clause_verb(t.token) for t in triggers]
    return min(verbs, key=lambda v: (sum(1 for _ in v.ancestors), v.i))


def examples(sentences, pipeline: Pipeline, cache: Path) -> list[dict]:
    """Per sentence: its features, its BIO labels over the spaCy tokens of the event's sentence, and its gold
    character spans."""
    lex = load_detection()
    built = [gold_spans(s) for s in sentences]
    docs = parse_cached(pipeline.nlp, [text for text, _ in built], cache)
    out = []
    for (text, spans), doc in zip(built, docs):
        adoc = ArticleDoc(Article(id="s", text=text), doc)
        for _, stage in pipeline.stages:
            stage(adoc)
        actor_of = token_actor_map(adoc)
        anchor = anchor_of(next(iter(doc.sents)) if len(doc) else doc[:], lex)
        sent = anchor.sent
        labels = []
        for tok in sent:
            label = "O"
            for start, end, role in spans:
                if start <= tok.idx < end or (tok.idx <= start < tok.idx + len(tok)):
                    first = tok.i == sent.start or not (start <= doc[tok.i - 1].idx < end)
                    label = f"{'B' if first else 'I'}-{role}"
                    break
            labels.append(label)
        out.append({"x": features(sent, anchor, actor_kinds(adoc, actor_of)), "y": labels, "offset": sent.start,
                    "chars": [(t.idx, t.idx + len(t)) for t in sent], "gold": spans})
    return out


def train(rows: list[dict], c1: float, c2: float, path: Path) -> None:
    trainer = pycrfsuite.Trainer(verbose=False)
    for row in rows:
        trainer.append(row["x"], row["y"])
    trainer.set_params({"c1": c1, "c2": c2, "max_iterations": MAX_ITERATIONS,
                        "feature.possible_transitions": True})
    trainer.train(str(path))


def predict(path: Path, rows: list[dict], fill: float) -> list[dict[str, tuple[int, int]]]:
    """Per row, the most probable phrase of each role as character offsets."""
    tagger = pycrfsuite.Tagger()
    tagger.open(str(path))
    out = []
    for row in rows:
        tagger.set(row["x"])
        best: dict[str, tuple[int, int]] = {}
        for start, end, role, _ in decode(tagger, fill):
            best.setdefault(role, (row["chars"][start][0], row["chars"][end - 1][1]))
        out.append(best)
    return out


def score(rows: list[dict], predicted: list[dict]) -> dict[str, float]:
    """P/R/F1 per role as `score.py roles` counts them (overlap, one to one), and their mean F1."""
    out = {}
    for role in ("S", "T"):
        tp = npred = ngold = 0
        for row, pred in zip(rows, predicted):
            gold = [(s, e) for s, e, r in row["gold"] if r == role]
            ngold += len(gold)
            if role in pred:
                npred += 1
                s, e = pred[role]
                tp += any(min(e, b) > max(s, a) for a, b in gold)
        p, r = tp / npred if npred else 0.0, tp / ngold if ngold else 0.0
        out[role] = {"P": round(100 * p, 1), "R": round(100 * r, 1),
                     "F1": round(200 * p * r / (p + r), 1) if p + r else 0.0}
    out["mean_F1"] = round((out["S"]["F1"] + out["T"]["F1"]) / 2, 1)
    return out


def crossvalidate(rows: list[dict], folds: int, c1: float, c2: float, work: Path) -> dict[float, dict]:
    """Held-out scores of one regularisation setting, per value of the decoder's `fill`."""
    paths = []
    for k in range(folds):
        paths.append(work / f"fold{k}.crfsuite")
        train([r for i, r in enumerate(rows) if i % folds != k], c1, c2, paths[-1])
    out = {}
    for fill in FILLS:
        predicted: list[dict | None] = [None] * len(rows)
        for k, path in enumerate(paths):
            held = [i for i in range(len(rows)) if i % folds == k]
            for i, pred in zip(held, predict(path, [rows[i] for i in held], fill)):
                predicted[i] = pred
        out[fill] = score(rows, predicted)
    return out


def provenance(shared: Path, args, chosen: tuple[float, float, float], figures: dict) -> dict:
    script = Path(__file__).resolve()
    commit = subprocess.run(["git", "-C", str(script.parent), "rev-parse", "HEAD"], capture_output=True,
                            text=True).stdout.strip() or None
    data = args.train or shared / DATA
    return {"format": 1, "labels": ["B-S", "I-S", "B-T", "I-T", "O"], "fill": chosen[2],
            "script": "scripts/train_roles.py", "script_sha256": hashlib.sha256(script.read_bytes()).hexdigest(),
            "git_commit": commit, "trained": date.today().isoformat(),
            "data": [{"path": DATA if args.train is None else str(args.train),
                      "sha256": hashlib.sha256(Path(data).read_bytes()).hexdigest()}],
            "parameters": {"c1": chosen[0], "c2": chosen[1], "max_iterations": MAX_ITERATIONS,
                           "folds": args.folds, "grid": GRID, "fills": FILLS, "holdout": args.holdout},
            "heldout": {"what": f"{args.folds}-fold cross-validation on the training sentences, best phrase per "
                                "role against the gold spans (overlap, one to one)", **figures}}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, help="the shared/ folder (reads train/cameo/source_target_train.conll)")
    parser.add_argument("--train", type=Path, help="another BIO file to learn from instead (e.g. a test sample)")
    parser.add_argument("--out", type=Path, default=Path("src/wirecoder/data/models/roles"),
                        help="output path without suffix: OUT.crfsuite and OUT.json")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "wirecoder-train")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--holdout", metavar="K/N", help="leave fold K of N (sentence index modulo N) out")
    parser.add_argument("--grid", choices=("full", "first"), default="full",
                        help="'first': skip the search and take the grid's first setting (quick runs)")
    args = parser.parse_args(argv)
    if args.train is None and args.shared is None:
        parser.error("give --shared (or --train FILE)")
    sentences = read_conll(args.train or args.shared / DATA)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    if args.holdout:
        k, n = (int(x) for x in args.holdout.split("/"))
        held = [s for i, s in enumerate(sentences) if i % n == k]
        sentences = [s for i, s in enumerate(sentences) if i % n != k]
        args.out.with_suffix(".heldout.conll").write_text(
            "".join("".join(f"{w} {t}\n" for w, t in s) + "\n" for s in held), "utf-8")
    pipeline = Pipeline(stages=["places.gazetteer.v1", "actors.dictionary.v1"])
    rows = examples(sentences, pipeline, args.cache)
    print(f"{len(rows)} training sentences", file=sys.stderr)
    grid = GRID if args.grid == "full" else GRID[:1]
    results = {}
    with tempfile.TemporaryDirectory() as work:
        for c1, c2 in grid:
            for fill, figures in crossvalidate(rows, args.folds, c1, c2, Path(work)).items():
                results[(c1, c2, fill)] = figures
                print(f"c1={c1} c2={c2} fill={fill}: {json.dumps(figures)}", file=sys.stderr)
    chosen = max(results, key=lambda k: results[k]["mean_F1"])
    train(rows, *chosen[:2], args.out.with_suffix(".crfsuite"))
    meta = provenance(args.shared, args, chosen, results[chosen])
    args.out.with_suffix(".json").write_text(json.dumps(meta, indent=1) + "\n", "utf-8")
    print(f"held-out ({args.folds}-fold CV) with c1={chosen[0]} c2={chosen[1]} fill={chosen[2]}: source P/R/F1 "
          f"{results[chosen]['S']['P']}/{results[chosen]['S']['R']}/{results[chosen]['S']['F1']}, target P/R/F1 "
          f"{results[chosen]['T']['P']}/{results[chosen]['T']['R']}/{results[chosen]['T']['F1']}; mean F1 "
          f"{results[chosen]['mean_F1']}")


if __name__ == "__main__":
    main()
