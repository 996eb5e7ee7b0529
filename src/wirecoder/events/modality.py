"""Modality: whether an event is reported as having happened, or claimed, denied, threatened, planned, negated or
hypothetical. Cues are data (`data/lexicons/modality.toml`): lemmas of the verbs that govern the event word,
its auxiliaries, the subordinating word of its clause, adverbs on it.
"""

from __future__ import annotations

import functools
import tomllib

from spacy.tokens import Token

from ..config import data_path
from ..errors import ConfigError

MODALITIES = ("asserted", "claimed", "denied", "threatened", "planned", "negated", "hypothetical")
# links from an event word up to the verbs that frame it ("threatened to attack", "denied that it attacked")
_FRAME_DEPS = {"xcomp", "ccomp", "pcomp", "dobj", "pobj", "prep", "advcl", "acl", "nsubj", "nsubjpass"}


@functools.cache
def load_modality() -> dict:
    path = data_path("lexicons", "modality.toml")
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read {path}: {exc}") from exc
    order = data.get("order", [])
    if set(order) - set(MODALITIES) or set(order) != set(data) - {"order"}:
        raise ConfigError(f"{path.name}: `order` must list each modality table, all among {MODALITIES}")
    return {name: {k: frozenset(v) for k, v in data[name].items()} for name in order} | {"order": order}


def _own_cues(token: Token, cues: dict) -> str | None:
    """A modality cued on the verb itself: negation, modal auxiliary, "if" clause, hedging adverb."""
    children = list(token.children)
    for name in cues["order"]:
        cue = cues[name]
        if name == "negated":
            if any(c.dep_ == "neg" for c in children) or any(
                    c.dep_ == "det" and c.lower_ in cue.get("determiners", ()) for c in children):
                return name
            continue
        if any(c.dep_ in ("aux", "auxpass") and c.lower_ in cue.get("aux", ()) for c in children):
            return name
        if any(c.dep_ == "mark" and c.lower_ in cue.get("markers", ()) for c in children):
            return name
        if any(c.dep_ == "advmod" and c.lower_ in cue.get("adverbs", ()) for c in children):
            return name
    return None


def modality(token: Token, trigger_lemma: str | None = None) -> str:
    """The modality of the event whose word (or governing verb) is `token`."""
    cues = load_modality()
    lemma = (trigger_lemma or token.lemma_).lower()
    for name in ("denied", "claimed", "threatened"):
        if lemma in cues[name].get("verbs", ()):
            return name  # the event is the denial/claim/threat itself ("Pakistan denies the charges")
    node = token
    for depth in range(4):
        own = _own_cues(node, cues)
        if own is not None:
            return own
        if node.dep_ not in _FRAME_DEPS or node.head.i == node.i:
            break
        node = node.head
        if node.pos_ not in ("VERB", "AUX"):
            continue
        frame = node.lemma_.lower()
        for name in cues["order"]:
            if frame in cues[name].get("verbs", ()):
                return name
    return "asserted"
