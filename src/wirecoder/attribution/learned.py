"""A learned cue detector: is this verb (or noun), in the frame the rules found for it, an attribution cue?

The rate table answers from the lemma and frame alone and plateaus there: PolNeAR marks beliefs, wishes and
stances ("wants", "endorsed", "apologized for") whose cue-ness depends on who the subject is and what hangs on the
verb. A logistic regression over a few dozen parse features per candidate (lemma, frame, dependency, head,
subject kind, object, neighbouring words, the lexicon list it is in) weighs that context. Its weights are trained on
the PolNeAR training split by `scripts/train_attribution_cues.py` and shipped as `data/attribution/cue_model.tsv`
(feature, weight): no corpus text, only the features that carry weight. Scoring a candidate is a few dozen dict
lookups, and only tokens with something to report are scored.
"""

from __future__ import annotations

import math
from pathlib import Path

from spacy.tokens import Token

_SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj", "csubjpass"}
_PEOPLE = {"PERSON", "ORG", "NORP", "GPE"}
_PRONOUNS = {"i", "we", "you", "he", "she", "they", "it", "who", "that", "which"}


def _word(tok: Token) -> str:
    return "<sp>" if tok.is_space else tok.lower_


def _subject_kind(tok: Token) -> str:
    """What kind of thing the candidate's subject is: people and organisations say things, events do not."""
    subject = next((c for c in tok.children if c.dep_ in _SUBJECT_DEPS), None)
    if subject is None:
        if tok.dep_ == "relcl":
            subject = tok.head
        else:
            return "none" if tok.dep_ not in ("conj", "advcl", "xcomp") else "inherit"
    if subject.lower_ in _PRONOUNS:
        return "pron-" + subject.lower_
    if subject.ent_type_:
        return "ent-" + subject.ent_type_
    return "noun-" + subject.pos_


def features(tok: Token, frame: str, obj: str | None, listed: str) -> list[str]:
    """The feature strings of one candidate cue in its frame; `listed` names the hand-written lexicon lists the
    lemma is in ("speech", "object", "speech+object" or "none"), which carries the model to lemmas it never saw."""
    lemma = tok.lemma_.lower()
    head = "<root>" if tok.head.i == tok.i else _word(tok.head) if tok.head.is_space else tok.head.lemma_.lower()
    subject = _subject_kind(tok)
    doc = tok.doc
    prev = _word(doc[tok.i - 1]) if tok.i > 0 else "<s>"
    nxt = _word(doc[tok.i + 1]) if tok.i + 1 < len(doc) else "</s>"
    feats = [
        "bias", "l=" + lemma, "f=" + frame, "lf=" + lemma + "|" + frame, "t=" + tok.tag_, "d=" + tok.dep_,
        "ld=" + lemma + "|" + tok.dep_, "fd=" + frame + "|" + tok.dep_, "hl=" + head,
        "hp=" + tok.dep_ + "|" + tok.head.pos_, "s=" + subject, "ls=" + lemma + "|" + subject.split("-")[0],
        "fs=" + frame + "|" + subject, "p1=" + prev, "n1=" + nxt, "ln1=" + lemma + "|" + nxt,
        "lp1=" + lemma + "|" + prev,
        "x=" + listed, "xf=" + listed + "|" + frame,
    ]
    if tok.ent_type_:
        feats.append("ent=" + tok.ent_type_)
    for child in tok.children:
        feats.append("c=" + child.dep_)
        if child.dep_ in ("prep", "prt", "neg", "aux", "dative", "mark"):
            feats.append("lc=" + lemma + "|" + child.dep_ + "|" + _word(child))
        if child.dep_ in ("ccomp", "xcomp"):
            feats.append("lcc=" + lemma + "|" + child.dep_ + "|" + child.tag_)
    if obj is not None:
        feats += ["o=" + obj, "lo=" + lemma + "|" + obj]
    if tok.i > 1:
        feats.append("p2=" + _word(doc[tok.i - 2]))
    if tok.i + 2 < len(doc):
        feats.append("n2=" + _word(doc[tok.i + 2]))
    return feats


class CueModel:
    """Logistic weights per feature string; `prob` is the chance that a candidate is a cue."""

    def __init__(self, weights: dict[str, float]):
        self.weights = weights

    @classmethod
    def load(cls, path: Path) -> CueModel:
        weights = {}
        for line in path.read_text("utf-8").splitlines():
            if line.startswith("#") or not line.strip():
                continue
            feature, weight = line.rsplit("\t", 1)
            weights[feature] = float(weight)
        return cls(weights)

    def prob(self, feats: list[str]) -> float:
        get = self.weights.get
        score = sum(get(f, 0.0) for f in set(feats))  # a feature counts once, as in training
        return 1.0 / (1.0 + math.exp(-max(min(score, 30.0), -30.0)))
