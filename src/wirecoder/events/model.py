"""The learned event model: linear heads over a text's words, its trigger-lexicon scores and its encoder vector.

`scripts/train_events.py` fits it on labelled conflict text and writes two files to `data/models/`:
`events.npz` (the weights) and `events.json` (labels, feature settings, and where the model came from:
data files with their hashes, script, parameters, held-out figures). Every head comes in two variants over the
same features, one without the encoder vector ("sentence": cheap, read for every candidate sentence) and one with
it ("doc": read once per article, for its lead). Heads:

- `event`: does the text report an ACLED-kind event (political violence, protest, arrest, strategic move)?
- `type`: which of the 30 CASE 2021 types is its main event?
- `family`: attack families of incident reports (armed assault, bombing/explosion, kidnapping), independent yes/no.
- `cameo`: the CAMEO class of its main event (statement, verbal/material cooperation, verbal/material conflict).

Texts become features the way the training script made them: lowercased words of two or more letters, single
and in pairs, weighted by sublinear tf-idf over the training vocabulary and scaled to unit length; what the trigger
lexicon finds for each of the 30 types (`lexicon_features`); the encoder's unit vector.
"""

from __future__ import annotations

import bisect
import functools
import math
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..config import data_path, read_model_settings
from ..errors import ModelError
from .codebook import TYPE_CODES
from .typing import evidence

WORD = re.compile(r"(?u)\b\w\w+\b")
REBUILD = ("rebuild it with: python scripts/train_events.py --shared PATH/TO/shared "
           "(see docs/events.md), or reinstall wirecoder")
# the lead: the first sentences of an article up to about this many words (what the encoder reads at most)
LEAD_WORDS = 45
_SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)\]]?\s+")


def lead_text(text: str, limit: int = LEAD_WORDS) -> str:
    """The article's first sentences, up to the one that reaches `limit` words: where news puts its main event."""
    text = text.strip()
    starts = [word.start() for word in WORD.finditer(text)]
    for match in _SENTENCE_END.finditer(text):
        count = bisect.bisect_left(starts, match.end())
        if count >= limit:
            # a first sentence far too long (a feed item without punctuation): cut after twice the limit
            return text[:starts[2 * limit]].strip() if count > 3 * limit else text[:match.end()].strip()
    return text[:starts[2 * limit]].strip() if len(starts) > 3 * limit else text


def words(text: str) -> list[str]:
    """The n-gram terms of a text: its lowercased words and adjacent pairs."""
    tokens = WORD.findall(text.lower())
    return tokens + [f"{a} {b}" for a, b in zip(tokens, tokens[1:])]


LEXICON_FEATURES = 3 * len(TYPE_CODES)


def lexicon_features(text: str) -> np.ndarray:
    """What the trigger lexicon (`typing`) finds, per type: its evidence (log-scaled), whether a strong word of it
    is in the lead sentence, and whether the rule typer would rank it first."""
    out = np.zeros(LEXICON_FEATURES, dtype=np.float32)
    scores, strong_lead, first = evidence(text)
    n = len(TYPE_CODES)
    for code, score in scores.items():
        out[TYPE_CODES.index(code)] = math.log1p(score) / 3
    for code in strong_lead:
        out[n + TYPE_CODES.index(code)] = 1.0
    if first is not None:
        out[2 * n + TYPE_CODES.index(first)] = 1.0
    return out


@dataclass(frozen=True)
class Head:
    name: str
    labels: tuple[str, ...]
    kind: str  # "softmax" (one label) or "sigmoid" (each label yes/no)
    temperature: dict[str, float]  # per variant; logits are divided by it (fitted on held-out predictions)


class EventModel:
    """The heads of `events.npz`, with the vocabulary and feature scales they were trained with."""

    def __init__(self, weights: dict[str, np.ndarray], meta: dict[str, Any], path: Path):
        self.path = path
        self.meta = meta
        self.vocab = {term: i for i, term in enumerate(weights["vocab"].tolist())}
        self.idf = weights["idf"].astype(np.float32)
        self.lex_scale = float(meta["features"]["lex_scale"])
        self.encoder_tokens = int(meta["features"]["encoder"]["max_tokens"])
        self.emb_scale = float(meta["features"]["emb_scale"])
        self.heads = {name: Head(name, tuple(h["labels"]), h["kind"], dict(h["temperature"]))
                      for name, h in meta["heads"].items()}
        self.weights = {key: value.astype(np.float32) for key, value in weights.items()
                        if key not in ("vocab", "idf")}
        for head in self.heads.values():
            for regime in ("sentence", "doc"):
                width = self.weights[f"{head.name}.{regime}.b"].shape[0]
                if width != len(head.labels):
                    raise ModelError(f"{path}: head {head.name} has {width} outputs for {len(head.labels)} "
                                     f"labels; {REBUILD}")

    def text_features(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(vocabulary indices, tf-idf values) of a text, unit length."""
        counts: dict[int, int] = {}
        for term in words(text):
            index = self.vocab.get(term)
            if index is not None:
                counts[index] = counts.get(index, 0) + 1
        if not counts:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        index = np.fromiter(counts, dtype=np.int64, count=len(counts))
        values = (1.0 + np.log(np.fromiter(counts.values(), dtype=np.float32, count=len(counts)))) * self.idf[index]
        return index, values / np.linalg.norm(values)

    def predict(self, text: str, embedding: np.ndarray | None = None,
                heads: tuple[str, ...] | None = None) -> dict[str, dict[str, float]]:
        """Per head, label -> probability. With an encoder `embedding` the doc variants answer, else the
        sentence variants."""
        index, values = self.text_features(text)
        lex = lexicon_features(text) * self.lex_scale
        regime = "doc" if embedding is not None else "sentence"
        out = {}
        for name in heads or tuple(self.heads):
            head = self.heads[name]
            prefix = f"{name}.{regime}"
            logits = self.weights[f"{prefix}.b"].copy()
            if len(index):
                logits += values @ self.weights[f"{prefix}.text"][index]
            logits += lex @ self.weights[f"{prefix}.lex"]
            if embedding is not None:
                logits += (embedding * self.emb_scale) @ self.weights[f"{prefix}.emb"]
            out[name] = dict(zip(head.labels, _probabilities(logits / head.temperature[regime], head.kind)))
        return out


def _probabilities(logits: np.ndarray, kind: str) -> list[float]:
    if kind == "sigmoid":
        return [1.0 / (1.0 + math.exp(-float(x))) for x in logits]
    shifted = np.exp(logits - logits.max())
    return (shifted / shifted.sum()).tolist()


def model_files(model: str = "auto") -> tuple[Path, Path]:
    """(weights, metadata) paths of `[events] model`: "auto" is the model shipped in the package."""
    weights = data_path("models", "events.npz") if model in ("", "auto") else Path(model)
    return weights, weights.with_suffix(".json")


@functools.lru_cache(maxsize=2)
def load_model(model: str = "auto") -> EventModel:
    """The event model, read once per process; a missing or damaged file raises ModelError saying how to
    rebuild it."""
    weights_path, meta_path = model_files(model)
    meta = read_model_settings("event model", [weights_path, meta_path], REBUILD)
    try:
        with np.load(weights_path, allow_pickle=False) as archive:
            weights = {key: archive[key] for key in archive.files}
        return EventModel(weights, meta, weights_path)
    except ModelError:
        raise
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as exc:
        raise ModelError(f"event model file unreadable: {weights_path} ({type(exc).__name__}: {exc}); "
                         f"{REBUILD}") from exc
