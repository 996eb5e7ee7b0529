"""Where an event happened, learned: a logistic model scores each candidate place of the event's sentence.

The candidates are the places the parse gives (`location.sentence_candidates`: the gazetteer's, and names in place
slots it did not resolve). Each is described by what makes a place the venue rather than a party, an origin or
another event's site: the dependency path from the event's clause verb (with its preposition), the cost the
path rules of `location` give it and whether they would pick it, its distance and side, its kind (country,
province, town…), its entity type, and whether the event is a report or a stance. The best-scored candidate is
the venue when its probability reaches the model's threshold; below it, `fallback_place` may still read a place
noun ("the town") or the article's main place, and otherwise the sentence names no place for the event ("no place
in this sentence" is an answer the model learned, from sentences whose annotator marked none).

`scripts/train_event_location.py` fits it on `event_location` records and writes `data/models/event_location.json`
(weights, threshold, provenance and held-out figures); `[events.location] model` picks another file.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from pathlib import Path

from spacy.tokens import Token

from ..config import data_path, read_model_settings
from ..errors import ModelError
from ..records import Place
from . import location as rules

REBUILD = ("rebuild it with: python scripts/train_event_location.py --shared PATH/TO/shared (see docs/arguments.md), "
           "or reinstall wirecoder")
_COST_BINS = (0.3, 0.6, 1.0, 1.6, 2.4, 3.5, 6.0)


def _bin(value: float, edges: Sequence[float]) -> int:
    return next((k for k, edge in enumerate(edges) if value < edge), len(edges))


def _path_labels(trigger: Token, root: Token) -> tuple[str, str]:
    """The dependencies going up from the trigger and down to the place (a preposition by its word)."""
    found = rules._path(trigger, root)
    if found is None:
        return "none", "none"
    up, _, down = found
    ups = "|".join(t.dep_ for t in up[:2]) or "-"
    downs = "|".join(t.lower_ if t.dep_ == "prep" else t.dep_ for t in down[:3]) or "-"
    return ups, downs


def candidate_features(trigger: Token, candidates) -> tuple[list[tuple[Place, list[str], float]], Place | None]:
    """(place, feature strings, path cost) for every candidate place of the trigger's sentence, and the place the
    path rules alone would pick (with no article fallback)."""
    places, actor_tokens = candidates
    scored, _ = rules.rank_places(trigger, candidates)
    cost_of = {id(entry[3]): entry[0] for entry in scored}
    stance = trigger.lemma_ in rules._SPEECH or trigger.lemma_ in rules.lexicon()["stance_verbs"]
    kept = [s for s in scored if (not stance or s[0] <= rules._STANCE_CEILING)
            and (s[0] <= rules._LARGE_CEILING or s[0] <= rules._ceiling(s[3], s[4]))]
    pick = min(kept, key=lambda s: s[:3]) if kept else None
    if pick is not None:
        pick = rules._smaller(kept, pick)
    ordered = sorted(cost_of.values())
    verb = trigger if trigger.pos_ in ("VERB", "AUX") else trigger.head
    out = []
    for place, root in places:
        cost = cost_of.get(id(place))
        prep = rules._governing_prep(root)
        ups, downs = _path_labels(trigger, root)
        feats = [
            "bias",
            f"kind={place.feature or '-'}",
            f"resolved={place.geonameid is not None}",
            f"dep={root.dep_}", f"prep={prep.lower_ if prep is not None else '-'}",
            f"ent={root.ent_type_ or '-'}",
            f"up={ups}", f"down={downs}", f"updown={ups}>{downs}",
            f"dist={_bin(abs(root.i - trigger.i), (2, 4, 7, 12, 20))}",
            f"side={'L' if root.i < trigger.i else 'R'}",
            f"own={trigger.is_ancestor(root)}", f"governs={root.is_ancestor(trigger)}",
            f"stance={stance}", f"tpos={trigger.pos_}", f"vlemma={verb.lemma_.lower()}",
            f"n={min(len(places), 4)}",
            f"headnoun={root.head.lower_ in rules.PLACE_NOUNS}",
            f"actorname={root.i in actor_tokens}",
        ]
        if cost is None:
            feats.append("excluded")
        else:
            rank = ordered.index(cost)
            feats += [f"cost={_bin(cost, _COST_BINS)}", f"rank={min(rank, 2)}",
                      f"overceiling={cost > rules._LARGE_CEILING and cost > rules._ceiling(place, root)}",
                      f"prep|cost={prep.lower_ if prep is not None else root.dep_}|{_bin(cost, _COST_BINS)}"]
        if pick is not None and pick[3] is place:
            feats += ["rulepick", f"rulepick|kind={place.feature}"]
        out.append((place, feats, cost if cost is not None else 99.0))
    return out, (pick[3] if pick is not None else None)


class PlaceModel:
    """Feature weights, bias and the probability a place needs to be the venue (`event_location.json`)."""

    def __init__(self, path: Path, meta: dict):
        try:
            self.weights: dict[str, float] = {str(k): float(v) for k, v in meta["weights"].items()}
            self.threshold = float(meta["threshold"])
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ModelError(f"event location model {path} lacks weights or threshold ({exc}); {REBUILD}") from exc
        self.path = path
        self.meta = meta

    def probability(self, feats: Sequence[str]) -> float:
        score = sum(self.weights.get(f, 0.0) for f in feats)
        return 1.0 / (1.0 + math.exp(-max(min(score, 30.0), -30.0)))

    def choose(self, trigger: Token, candidates) -> tuple[Place | None, float]:
        """The venue among the candidates and its probability, or (None, the best probability) when no
        candidate reaches the threshold."""
        best, best_p = None, 0.0
        scored, _ = candidate_features(trigger, candidates)
        for place, feats, cost in scored:
            p = self.probability(feats)
            if p > best_p:
                best, best_p = place, p
        return (best, best_p) if best_p >= self.threshold else (None, best_p)


def model_path(model: str = "auto") -> Path:
    return data_path("models", "event_location.json") if model in ("", "auto") else Path(model)


@functools.cache
def load_place_model(model: str = "auto") -> PlaceModel:
    """The event location model, read once per process; a missing or damaged file raises ModelError saying how
    to rebuild it."""
    path = model_path(model)
    return PlaceModel(path, read_model_settings("event location model", [path], REBUILD))


def place_for(adoc, trigger_tokens: Sequence[Token], model: PlaceModel, cache: dict | None = None,
              use_article: bool = False) -> Place | None:
    """The place where the event of these trigger words happened, or None: the model's pick among the sentence's
    candidates (shared through `cache`, one dict per article), else `fallback_place`."""
    trigger = trigger_tokens[0]
    candidates = rules._candidates(adoc, trigger.sent, cache)
    place, _ = model.choose(trigger, candidates)
    return place or fallback_place(adoc, trigger, candidates, use_article)


def fallback_place(adoc, trigger: Token, candidates, use_article: bool = False) -> Place | None:
    """The place of an event whose sentence names no venue among its candidates: a definite place noun the event
    governs ("killed on the outskirts of the town") is the article's main place of that kind; and with
    `use_article` (an event that happens somewhere) a sentence without any resolved place takes the article's
    main place. The training script tunes the model's threshold with this fallback in place."""
    nominal = rules._nominal(trigger)
    if nominal is not None:
        main = rules.main_place(adoc, nominal[1]) or rules.main_place(adoc)
        if main is not None:
            return main
    if use_article and not any(p.id for p, _ in candidates[0]):
        return rules.main_place(adoc)
    return None
