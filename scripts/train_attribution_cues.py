"""Train the learned cue detector: data/attribution/cue_model.tsv, logistic weights over cue features.

Reads the PolNeAR *training* split (brat layout, first annotator per article; never dev), parses it, and takes
as candidates the verbs, nouns and adjectives the attribution rules find a frame for (what `RuleExtractor` would
score), outside quotation marks (PolNeAR never marks a report nested in a quotation), plus the frameless words
whose lemma annotators marked as a cue at least `BARE_MIN` times without a frame (the "bare" lemmas, written as
`lf=<lemma>|bare` features, which is how the stage knows them). A candidate is a positive when the
annotators marked it as a cue. An L2-regularised logistic regression is fitted by full-batch gradient descent
(Adam, fixed steps, zero start: the same data gives the same weights). Only features seen in at least
`MIN_COUNT` candidates are kept, and only weights that matter are written: no text of the corpus.

    python scripts/train_attribution_cues.py /path/to/polnear/train [parsed.spacy ...] \
        > src/wirecoder/data/attribution/cue_model.tsv

Optional DocBin files hold the split already parsed by `wirecoder.nlp.load_nlp()`, in article order.
`--holdout N` trains on all but the first N articles and prints the candidate-level precision/recall on those N
to stderr. The threshold in cues.toml was chosen by 4-fold cross-validation on the training split with the span
scores of `wirecoder eval attribution` (best cue and source overlap F1 at 0.5).
"""

from __future__ import annotations

import sys
from collections import Counter

import numpy as np

from wirecoder.attribution import load_lexicon
from wirecoder.attribution.learned import CueModel
from wirecoder.attribution.quotes import find_quotes
from wirecoder.attribution.rules import RuleExtractor, is_candidate
from wirecoder.evaluate.attribution import load_polnear
from wirecoder.nlp import load_nlp

MIN_COUNT = 2
BARE_MIN = 3
L2 = 3.0  # on the summed squared weights, against the summed log-loss; best of 0.3, 1, 3, 10 on a train holdout
STEPS = 400


def bare_lemmas(items, docs, lexicon) -> list[str]:
    """Lemmas marked as cues at least `BARE_MIN` times where the rules find no frame for them: the candidates
    of the "bare" frame ("as Trump said", "her supporters")."""
    extractor = RuleExtractor(lexicon, CueModel({}))
    counts = Counter()
    for (_, text, gold), doc in zip(items, docs):
        quotes = find_quotes(text)
        for pieces in gold["cue"]:
            span = doc.char_span(pieces[0][0], pieces[-1][1], alignment_mode="expand")
            tokens = [t for t in span or [] if is_candidate(t)]
            if tokens and not any(extractor.frame(t, quotes, text) for t in tokens):
                counts.update({t.lemma_.lower() for t in tokens})
    return sorted(lemma for lemma, n in counts.items() if n >= BARE_MIN)


def extractor_for(lemmas, lexicon) -> RuleExtractor:
    """An extractor that frames the given bare lemmas (it reads them off the model's `lf=…|bare` features)."""
    return RuleExtractor(lexicon, CueModel({f"lf={lemma}|bare": 1.0 for lemma in lemmas}))


def candidates(items, docs, extractor):
    """(feature lists, labels) of every candidate cue outside quotation marks. A candidate inside a content
    that is not itself a cue is left out: PolNeAR never marks a report nested in another, so its "said" there
    is no evidence that "said" is not a cue (and the stage drops nested attributions anyway)."""
    rows, labels = [], []
    for (_, text, gold), doc in zip(items, docs):
        quotes = find_quotes(text)
        cue_chars = {i for pieces in gold["cue"] for start, end in pieces for i in range(start, end)}
        content_chars = {i for pieces in gold["content"] for start, end in pieces for i in range(start, end)}
        for tok in doc:
            if not is_candidate(tok) or any(start <= tok.idx < end for start, end in quotes):
                continue
            if tok.idx in content_chars and tok.idx not in cue_chars:
                continue
            framed = extractor.frame(tok, quotes, text)
            if framed is None:
                continue
            rows.append(extractor.cue_features(tok, framed[0], framed[3]))
            labels.append(tok.idx in cue_chars)
    return rows, np.array(labels, dtype=float)


def fit(rows, y):
    counts = Counter(f for feats in rows for f in set(feats))
    index = {f: i for i, f in enumerate(sorted(f for f, n in counts.items() if n >= MIN_COUNT))}
    r, c = [], []
    for n, feats in enumerate(rows):
        for f in set(feats):
            if f in index:
                r.append(n)
                c.append(index[f])
    r, c = np.array(r), np.array(c)
    w = np.zeros(len(index))
    m, v = np.zeros_like(w), np.zeros_like(w)
    rate, b1, b2 = 0.05, 0.9, 0.999
    for step in range(1, STEPS + 1):
        z = np.bincount(r, weights=w[c], minlength=len(y))
        p = 1 / (1 + np.exp(-np.clip(z, -30, 30)))
        grad = np.bincount(c, weights=(p - y)[r], minlength=len(w)) + L2 * w
        m = b1 * m + (1 - b1) * grad
        v = b2 * v + (1 - b2) * grad * grad
        w -= rate * (m / (1 - b1**step)) / (np.sqrt(v / (1 - b2**step)) + 1e-8)
    return {f: float(w[i]) for f, i in index.items()}


def main(args: list[str]) -> None:
    holdout = 0
    if args[:1] == ["--holdout"]:
        holdout, args = int(args[1]), args[2:]
    folder, docbins = args[0], args[1:]
    items = load_polnear(folder)
    nlp = load_nlp()
    if docbins:
        from spacy.tokens import DocBin

        docs = [d for path in docbins for d in DocBin().from_disk(path).get_docs(nlp.vocab)]
    else:
        docs = list(nlp.pipe(text for _, text, _ in items))
    lexicon = load_lexicon()
    bare = bare_lemmas(items[holdout:], docs[holdout:], lexicon)
    rows, y = candidates(items[holdout:], docs[holdout:], extractor_for(bare, lexicon))
    weights = fit(rows, y)
    print(f"{len(y)} candidates, {int(y.sum())} cues, {len(weights)} features", file=sys.stderr)
    if holdout:
        rows, y = candidates(items[:holdout], docs[:holdout], extractor_for(bare, lexicon))
        model = CueModel(weights)
        p = np.array([model.prob(feats) for feats in rows])
        for t in (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6):
            tp = float(((p >= t) & (y == 1)).sum())
            prec, rec = tp / max((p >= t).sum(), 1), tp / max(y.sum(), 1)
            print(f"threshold {t}: P {prec:.3f} R {rec:.3f} F1 {2 * prec * rec / max(prec + rec, 1e-9):.3f}",
                  file=sys.stderr)
    print("# feature\tweight  (logistic cue model from PolNeAR train; see scripts/train_attribution_cues.py)")
    for feature, weight in sorted(weights.items()):
        if feature.startswith("lf=") and feature.endswith("|bare"):  # always kept: they name the bare lemmas
            print(f"{feature}\t{weight if abs(weight) >= 0.001 else 0.001:.3f}")
        elif abs(weight) >= 0.05:  # smaller weights change no decision on a train holdout
            print(f"{feature}\t{weight:.3f}")


if __name__ == "__main__":
    main(sys.argv[1:])
