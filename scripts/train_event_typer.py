"""Rebuild the event-type model `src/wirecoder/data/models/event_typer.npz` from the template sentences.

    python scripts/train_event_typer.py [--per-type 400] [--seed 13]

Generates `--per-type` sentences per type from `event_typer_templates.toml` (random slot values, an optional
filler sentence), then fits a multinomial logistic regression on word unigrams and bigrams with numpy.
Deterministic for a given seed. The model only ever sees these generated sentences.
"""

from __future__ import annotations

import argparse
import random
import re
import tomllib
from collections import Counter
from pathlib import Path

import numpy as np

from wirecoder.events.codebook import TYPE_CODES
from wirecoder.events.typing import features

MODELS = Path(__file__).resolve().parent.parent / "src" / "wirecoder" / "data" / "models"


def generate(templates: dict, per_type: int, rng: random.Random) -> list[tuple[str, str]]:
    """(sentence, type) pairs: each template filled with random slot values, sometimes followed by filler."""
    slots, filler = templates["slots"], templates["filler"]["after"]
    rows = []
    for code in TYPE_CODES:
        for i in range(per_type):
            template = templates["templates"][code][i % len(templates["templates"][code])]
            text = re.sub(r"\{(\w+)\}", lambda m: rng.choice(slots[m.group(1)]), template)
            text = text[0].upper() + text[1:]
            if rng.random() < 0.4:
                text += " " + rng.choice(filler)
            rows.append((text, code))
    return rows


def train(rows: list[tuple[str, str]], min_count: int, epochs: int, l2: float, rate: float):
    """Vocabulary, weights (V x types) and biases of a softmax regression fitted by full-batch gradient descent."""
    counts = Counter(f for text, _ in rows for f in set(features(text)))
    vocab = sorted(f for f, n in counts.items() if n >= min_count)
    index = {f: i for i, f in enumerate(vocab)}
    x = np.zeros((len(rows), len(vocab)), dtype=np.float32)
    for r, (text, _) in enumerate(rows):
        for f in features(text):
            if f in index:
                x[r, index[f]] = 1.0
    y = np.array([TYPE_CODES.index(code) for _, code in rows])
    onehot = np.eye(len(TYPE_CODES), dtype=np.float32)[y]
    w = np.zeros((len(vocab), len(TYPE_CODES)), dtype=np.float32)
    b = np.zeros(len(TYPE_CODES), dtype=np.float32)
    for _ in range(epochs):
        logits = x @ w + b
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        p /= p.sum(axis=1, keepdims=True)
        grad = (p - onehot) / len(rows)
        w -= rate * (x.T @ grad + l2 * w)
        b -= rate * grad.sum(axis=0)
    accuracy = float((np.argmax(x @ w + b, axis=1) == y).mean())
    return vocab, w, b, accuracy


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-type", type=int, default=400)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--epochs", type=int, default=300)
    args = parser.parse_args()
    templates = tomllib.loads((MODELS / "event_typer_templates.toml").read_text("utf-8"))
    rows = generate(templates, args.per_type, random.Random(args.seed))
    vocab, w, b, accuracy = train(rows, min_count=2, epochs=args.epochs, l2=1e-4, rate=2.0)
    np.savez_compressed(MODELS / "event_typer.npz", vocab=np.array(vocab), weights=w.astype(np.float16),
                        bias=b, labels=np.array(TYPE_CODES))
    print(f"{len(rows)} sentences, {len(vocab)} features, training accuracy {accuracy:.3f}")


if __name__ == "__main__":
    main()
