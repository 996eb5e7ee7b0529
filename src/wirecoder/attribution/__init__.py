"""The attribution stage: who says so, for every statement the outlet does not make in its own voice.

Runs last. It finds attributions with dependency rules over the parse (`rules.py`), a learned model that says
which candidate verbs are cues (`learned.py`), and quotation marks (`quotes.py`), then gives each one a speaker,
role, outlet, nesting and stance (`resolve.py`), ties claims to their denials, picks out hashtags and their
campaigns, and links every event whose trigger lies in a content span to that attribution.
"""

from __future__ import annotations

import tomllib
from typing import Any

from ..config import data_path
from .learned import CueModel
from .quotes import find_quotes
from .resolve import build_records, link_events
from .rules import RuleExtractor
from .social import find_hashtags


def load_lexicon() -> dict[str, Any]:
    """The cue lexicon (data/lexicons/cues.toml)."""
    return tomllib.loads(data_path("lexicons", "cues.toml").read_text("utf-8"))


def make_stage(config: dict[str, Any]):
    lexicon = load_lexicon()
    model = CueModel.load(data_path("attribution", "cue_model.tsv"))
    extractor = RuleExtractor(lexicon, model, lexicon["model"]["threshold"])

    def stage(adoc) -> None:
        text = adoc.text
        quotes = find_quotes(text)
        found = extractor(adoc.doc, quotes, text)
        attributions, claims = build_records(adoc, found, quotes, lexicon)
        adoc.attributions.extend(attributions)
        adoc.claims.extend(claims)
        adoc.hashtags.extend(find_hashtags(adoc.doc, text))
        link_events(adoc.events, adoc.attributions)

    return stage
