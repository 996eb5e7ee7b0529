"""Event detection: the trigger words of a sentence, grouped so that one group is one event.

Triggers come from `data/lexicons/event_detection.toml` (lemmas, phrasal verbs "set up", compounds "air strike").
Groups follow the parse: a noun in a phrase of a trigger verb tells the same event ("was killed in a targeted
assassination"), a casualty verb under another trigger gives its toll ("shelling hit a bus, killing eight"), a
noun subject of a casualty verb is its cause ("the blast killed five"). Other triggers stay apart: "aided with
US airstrikes, forces cleared the Taliban" is two events.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass, field

from spacy.strings import get_string_id
from spacy.tokens import Span, Token

from ..config import data_path
from ..errors import ConfigError

# words in these named entities are names, not events ("Operation Desert Storm", "Lion of Herat")
_NAME_ENTS = {"ORG", "PERSON", "WORK_OF_ART", "LAW", "FAC", "GPE", "PRODUCT", "NORP", "LOC", "EVENT"}
# words in these are times, not events ("on March 20", "the March 7 fire")
_TIME_ENTS = {"DATE", "TIME"}
# a noun that these verbs govern is talked about, not reported ("saw their fight as…")
_NOT_REPORTING = {"see", "view", "consider", "regard", "call", "describe", "play", "mark", "commemorate",
                  "remember", "study", "discuss", "analyse", "analyze"}
_NOT_TRIGGERS = {"according"}
_FOLD_PREPS = {"in", "during", "with", "under", "by", "amid", "after", "following", "through", "from", "as", "since"}
_CLAUSE_LINKS = {"advcl", "conj", "xcomp", "acl", "relcl", "ccomp", "pcomp"}


@dataclass(frozen=True)
class TriggerEntry:
    types: tuple[str, ...]
    mode: str | None
    pos: str | None
    cameo: str | None = None  # a verbal event's CAMEO code ("043" consult): the word names what was done


@dataclass(frozen=True)
class DetectionLexicon:
    triggers: dict[str, tuple[TriggerEntry, ...]]
    casualty: frozenset[str]
    crowd: frozenset[str] = frozenset()
    crowd_types: frozenset[str] = frozenset()
    words: frozenset[str] = frozenset()  # every word of every trigger: a token outside it starts none
    # the string ids of `words` as spaCy stores a token's lower form and lemma (any casing a lemma may have):
    # comparing ids spares reading the strings of the many tokens that start no trigger
    word_ids: frozenset[int] = frozenset()


@functools.cache
def load_detection() -> DetectionLexicon:
    path = data_path("lexicons", "event_detection.toml")
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read {path}: {exc}") from exc
    triggers: dict[str, list[TriggerEntry]] = {}
    for i, entry in enumerate(data.get("trigger", [])):
        if not entry.get("lemmas") or "types" not in entry:
            raise ConfigError(f"{path.name} trigger #{i + 1}: lemmas and types are required")
        cameo = entry.get("cameo")
        if cameo is not None and not re.fullmatch(r"(0[1-9]|1\d|20)\d{0,2}", str(cameo)):
            raise ConfigError(f"{path.name} trigger #{i + 1}: cameo {cameo!r} is not a CAMEO code")
        value = TriggerEntry(tuple(entry["types"]), entry.get("mode"), entry.get("pos"), cameo)
        for lemma in entry["lemmas"]:
            triggers.setdefault(lemma.lower(), []).append(value)
    groups = data.get("groups", {})
    words = frozenset(word for key in triggers for word in key.split())
    return DetectionLexicon(
        {k: tuple(v) for k, v in triggers.items()},
        frozenset(groups.get("casualty", [])),
        frozenset(groups.get("crowd", [])),
        frozenset(groups.get("crowd_types", [])),
        words,
        frozenset(get_string_id(form) for word in words for form in (word, word.capitalize(), word.upper())),
    )


@dataclass
class Trigger:
    token: Token
    key: str
    types: tuple[str, ...]
    mode: str | None
    casualty: bool
    cameo: str | None = None
    tokens: list[Token] = field(default_factory=list)  # every token of the group (this one first)
    folded: list["Trigger"] = field(default_factory=list)

    @property
    def is_verb(self) -> bool:
        return self.token.pos_ in ("VERB", "AUX") or (self.token.pos_ == "ADJ" and self.key.startswith("dead"))


def _entry(lex: DetectionLexicon, key: str, pos: str) -> TriggerEntry | None:
    for entry in lex.triggers.get(key, ()):
        if entry.pos is None or entry.pos == pos:
            return entry
    return None


def match_trigger(token: Token, lex: DetectionLexicon) -> Trigger | None:
    """The trigger this token starts, if any (phrasal and compound forms before single words)."""
    if token.lower not in lex.word_ids and token.lemma not in lex.word_ids:
        return None
    pos = "VERB" if token.pos_ in ("VERB", "AUX") else "NOUN" if token.pos_ in ("NOUN", "PROPN") else token.pos_
    if pos not in ("VERB", "NOUN") and not (token.pos_ == "ADJ" and token.lower_ == "dead"):
        return None
    if (token.ent_type_ in _NAME_ENTS and token.pos_ == "PROPN") or token.ent_type_ in _TIME_ENTS \
            or token.lower_ in _NOT_TRIGGERS:
        return None
    lemma, lower = token.lemma_.lower(), token.lower_
    if lemma not in lex.words and lower not in lex.words:
        return None
    keys = []
    if pos == "VERB":
        for child in token.children:
            if child.dep_ in ("prt", "dobj", "acomp", "oprd", "advmod", "prep"):
                keys.append(f"{lemma} {child.lemma_.lower()}")
        if token.i + 1 < len(token.doc):
            keys.append(f"{lemma} {token.doc[token.i + 1].lower_}")
    if pos == "NOUN" and token.i > 0:
        prev = token.doc[token.i - 1]
        keys += [f"{prev.lower_} {lemma}", f"{prev.lower_} {lower}"]
    keys += [lemma, lower]
    for key in keys:
        entry = _entry(lex, key, "NOUN" if pos == "ADJ" else pos)
        if entry is not None:
            casualty = key.split()[0] in lex.casualty or key in lex.casualty
            return Trigger(token, key, entry.types, entry.mode, casualty, entry.cameo, [token])
    return None


def _reported(trigger: Trigger) -> bool:
    """Whether the trigger reports an event rather than naming a kind of thing or a talked-about notion."""
    tok = trigger.token
    if tok.pos_ in ("NOUN", "PROPN"):
        if tok.dep_ in ("compound", "amod") and tok.head.pos_ in ("NOUN", "PROPN"):
            return False  # "rocket attacks": the modifier of another noun; "attack helicopter"
        if tok.dep_ == "dobj" and tok.head.lemma_ in _NOT_REPORTING:
            return False
        if any(c.dep_ == "poss" and c.pos_ == "PRON" for c in tok.children) and tok.dep_ in ("dobj", "attr"):
            return False  # "saw their fight…", "it was their attack" (generic)
    elif tok.dep_ == "amod":
        return False  # "wounded fighters", "besieged city" as a description
    return True


def _host(trigger: Trigger, by_token: dict[int, Trigger]) -> Trigger | None:
    """The trigger this one is folded into, following the rules in the module docstring."""
    tok = trigger.token
    head = tok.head
    if tok.pos_ in ("NOUN", "PROPN"):
        # "killed in a targeted assassination", "destroyed by airstrikes": a phrase of the trigger verb
        if tok.dep_ == "pobj" and head.dep_ in ("prep", "agent") and head.lower_ in _FOLD_PREPS | {"by"}:
            host = by_token.get(head.head.i)
            if host is not None and host.is_verb and host.casualty:
                return host
        # "the blast killed five": the cause of a casualty; "the advance was repelled", "set up checkpoints"
        if tok.dep_ in ("nsubj", "nsubjpass", "dobj") and head.i in by_token and by_token[head.i].is_verb:
            return by_token[head.i]
        # "calling for sanctions": the object of a trigger verb's particle preposition
        if tok.dep_ == "pobj" and head.dep_ == "prep" and head.i == head.head.i + 1 and head.head.i in by_token \
                and by_token[head.head.i].is_verb:
            return by_token[head.head.i]
        return None
    if tok.dep_ in ("acl", "relcl") and head.i in by_token and not trigger.casualty and tok.tag_ == "VBG":
        return by_token[head.i]  # "a campaign calling for sanctions"
    if trigger.casualty:
        # "shelling hit a trolleybus, killing eight"; "killed five and wounded ten"
        node = tok
        for _ in range(2):
            if node.dep_ not in _CLAUSE_LINKS or node.head.i == node.i:
                break
            node = node.head
            host = by_token.get(node.i)
            if host is not None and host is not trigger and not (host.casualty and node.dep_ != "conj"):
                return host
        # "an explosion … killing eight": the casualty verb hangs from the event noun
        if tok.dep_ in ("acl", "relcl") and head.i in by_token:
            return by_token[head.i]
    return None


def find_events(sent: Span, lex: DetectionLexicon) -> list[Trigger]:
    """The events of one sentence as trigger groups, in text order; each group's first trigger leads it."""
    found = [t for t in (match_trigger(tok, lex) for tok in sent) if t is not None and _reported(t)]
    by_token = {t.token.i: t for t in found}
    direct = {t.token.i: h for t in found if (h := _host(t, by_token)) is not None and h is not t}

    def root(trigger: Trigger) -> Trigger:
        seen = {trigger.token.i}
        node = trigger
        while node.token.i in direct:
            node = direct[node.token.i]
            if node.token.i in seen:
                return trigger  # a cycle: the trigger leads its own event
            seen.add(node.token.i)
        return node

    leaders = []
    for trigger in found:
        top = root(trigger)
        if top is trigger:
            leaders.append(trigger)
        else:
            top.folded.append(trigger)
            top.tokens.append(trigger.token)
    return leaders
