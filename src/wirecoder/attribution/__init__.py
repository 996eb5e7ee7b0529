"""The attribution stage: who says so, for every statement the outlet does not make in its own voice.

Runs last. It finds attributions with dependency rules over the parse (`rules.py`), a learned model that says
which candidate verbs are cues (`learned.py`), and quotation marks (`quotes.py`), then gives each one a speaker,
role, outlet, nesting and stance (`resolve.py`); a trained CRF tagger (`tagger.py`) then sets where the
top-level cues and sources begin and end. It ties claims to their denials, picks out hashtags and their
campaigns, and links every event whose trigger lies in a content span to that attribution.
"""

from __future__ import annotations

import tomllib
from functools import partial
from typing import Any

from ..config import data_path
from .learned import CueModel
from .quotes import find_quotes
from .resolve import build_records, link_events
from .rules import RuleExtractor
from .social import find_hashtags
from .tagger import MODEL_NAME, SpanTagger


def load_lexicon() -> dict[str, Any]:
    """The cue lexicon (data/lexicons/cues.toml)."""
    return tomllib.loads(data_path("lexicons", "cues.toml").read_text("utf-8"))


def build_extractor() -> tuple[RuleExtractor, frozenset[str]]:
    """The rule extractor with the shipped lexicon and cue model, and the lexicon's cue lemmas (the tagger's
    features read both)."""
    lexicon = load_lexicon()
    model = CueModel.load(data_path("attribution", "cue_model.tsv"))
    return RuleExtractor(lexicon, model, lexicon["model"]["threshold"]), extractor_lemmas(lexicon)


def extractor_lemmas(lexicon: dict[str, Any]) -> frozenset[str]:
    verbs = lexicon["verbs"]
    return frozenset(verbs["speech"]) | frozenset(verbs["object"]) | frozenset(verbs["perception"])


def load_tagger(lemmas: frozenset[str]) -> SpanTagger:
    """The shipped span tagger (data/models/attribution_tagger.crfsuite); a ModelError when it is missing."""
    return SpanTagger(data_path("models", MODEL_NAME), lemmas)


def make_stage(config: dict[str, Any]):
    lexicon = load_lexicon()
    extractor, lemmas = build_extractor()
    tagger = load_tagger(lemmas)

    def stage(adoc) -> None:
        text = adoc.text
        quotes = find_quotes(text)
        found = extractor(adoc.doc, quotes, text)
        refine = partial(tagger.refine, adoc.doc, found=found, quotes=quotes)
        attributions, claims = build_records(adoc, found, quotes, lexicon, refine)
        adoc.attributions.extend(attributions)
        adoc.claims.extend(claims)
        adoc.hashtags.extend(find_hashtags(adoc.doc, text))
        link_events(adoc.events, adoc.attributions)

    return stage
