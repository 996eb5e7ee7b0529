"""An event's arguments from the learned models: its actors (`roles`) and its place (`place_model`).

The events stage loads `ArgumentModels` once (settings `[events.roles] model` and `[events.location] model`) and
asks `ArgumentModels.article(adoc, actor_of)` for each article's `Arguments`, which keep what the article's
events share: its candidate places per sentence and its actor index.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from spacy.tokens import Span, Token

from ..actors import actor_for_span
from ..records import Place
from . import location
from .detect import load_detection, match_trigger
from .location import PLACE_NOUNS
from .place_model import load_place_model, place_for
from .roles import RoleSpan, actor_kinds, load_roles, roles_for, word_features

_NOMINAL = ("NOUN", "PROPN", "PRON", "ADJ")  # ADJ: "Japanese and the Australian armies" may root on the adjective


class ArgumentModels:
    """The role and place models of one configuration."""

    def __init__(self, settings: dict[str, Any], actors_folder: str | None = None):
        self.roles = load_roles(str((settings.get("roles") or {}).get("model", "auto")))
        self.places = load_place_model(str((settings.get("location") or {}).get("model", "auto")))
        self.actors_folder = actors_folder
        self.lexicon = load_detection()

    def article(self, adoc, actor_of: dict[int, str]) -> Arguments:
        return Arguments(self, adoc, actor_of)


class Arguments:
    """The argument finders of one article."""

    def __init__(self, models: ArgumentModels, adoc, actor_of: dict[int, str]):
        self.models = models
        self.adoc = adoc
        self.actor_of = actor_of
        self.kind = actor_kinds(adoc, actor_of)
        self.candidates: dict = {}  # sentence start -> its candidate places, shared by its events
        self.tagged: dict[int, list[RoleSpan]] = {}  # clause verb -> the tagger's phrases, shared by its events
        self.words: dict[int, list] = {}  # sentence start -> its tokens' `roles.word_features`

    def actors(self, trigger_tokens: Sequence[Token], known: tuple[list[str], list[str]] = ([], [])
               ) -> tuple[list[str], list[str]]:
        """(agents, patients) of the event told by these trigger words: its source and target actors, the
        `known` ones the parse rules found first (see `roles.roles_for`)."""
        sentence = trigger_tokens[0].sent
        return roles_for(sentence, trigger_tokens, self.actor_of, self._tag, self._new_actor, known)

    def _tag(self, sentence: Span, anchor: Token) -> list[RoleSpan]:
        """The role tagger's phrases for the events of one clause verb, tagged once."""
        if anchor.i not in self.tagged:
            if sentence.start not in self.words:
                self.words[sentence.start] = word_features(sentence, self.kind)
            self.tagged[anchor.i] = self.models.roles.tag(sentence, anchor, self.kind, self.words[sentence.start])
        return self.tagged[anchor.i]

    def _new_actor(self, phrase: Span) -> str | None:
        """The actor a tagged phrase with no dictionary actor names (`actors.actor_for_span`), or None for one
        that names a happening or a place rather than someone ("the clashes", "the city", "Lashkar Gah")."""
        root = phrase.root
        if root.pos_ not in _NOMINAL or root.lower_ in PLACE_NOUNS or root.lemma_.lower() in PLACE_NOUNS \
                or match_trigger(root, self.models.lexicon) is not None:
            return None
        places, _ = location._candidates(self.adoc, root.sent, self.candidates)  # resolved or not
        if any(place.feature != "country" and (token.i == root.i or place.start <= root.idx < place.end)
               for place, token in places):
            return None
        return actor_for_span(self.adoc, phrase, self.models.actors_folder)

    def place(self, trigger_tokens: Sequence[Token], use_article: bool = False) -> Place | None:
        """Where the event told by these trigger words happened (see `place_model.place_for`)."""
        return place_for(self.adoc, trigger_tokens, self.models.places, self.candidates, use_article)
