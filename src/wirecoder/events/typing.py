"""Event typing: which of the 30 CASE 2021 / ACLED types a snippet reports.

The typer scores every type by the trigger words it finds (`data/lexicons/event_triggers.toml`, tiers of
regular expressions, compiled once per type and tier), weighting words in the lead sentence higher because a
news snippet reports its main event first. Types that only make sense around a protest (dispersal, excessive
force, violent demonstration) need a protest word somewhere in the snippet (`requires` in the lexicon). Generic
types give way to specific ones (`yields_to`): an attack on civilians done with a grenade is GRENADE, whatever
the count of generic violence words, when "grenade" is in the lead sentence. Negated cues ("no arrests") and
cues of recalled or background events ("the scene of a 2017 chemical attack", "despite a truce") count little.

Rules rather than a model: a logistic regression on word n-grams of template sentences written for the purpose
reached 0.53 weighted F1 on the CASE 2021 dev set and lowered the rules' score when mixed in, so it was dropped.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections import defaultdict
from functools import cache
from importlib import resources
from typing import NamedTuple

from ..errors import ConfigError
from .codebook import TYPE_CODES

from re import _parser as _sre_parse  # to index patterns by how their matches begin (Python >= 3.11)

# matches in the lead sentence count fully, later ones less: the lead names the main event
_LATER_WEIGHT = 0.5
# a type whose `requires` words are all absent keeps only this share of its score
_UNMET_WEIGHT = 0.15
# the trigger word itself, when the caller knows it, multiplies the score of the types it cues (and one of
# them ranks first: the caller asks for the type of the event at that word)
_TRIGGER_BOOST = 4.0
# "no arrests", "without a fight", "did not attack": a negated cue is no evidence for its type
_NEGATED = re.compile(r"\b(?:no|not|without|never|nor|denied|denies|deny)\s+(?:\w+\s+)?$")
# "the scene of a 2017 chemical attack", "despite a truce": a past event or a state of affairs, not the news
_BACKGROUND = re.compile(
    r"\b(?:(?:19|20)\d\d|anniversary of|scene of|memory of|since the|despite|in violation of)\s+(?:\S+\s+){0,2}$"
)
_BACKGROUND_WEIGHT = 0.1
_LEAD_END = re.compile(r"[.!?][\"')\]]?\s+(?=[A-Z\"'(])")
_WORD_START = re.compile(r"\b\w")
# patterns are indexed by the first letters their matches can start with, up to this many
_PREFIX = 3


def _compile(patterns: list[str]) -> re.Pattern | None:
    if not patterns:
        return None
    # patterns are lowercase and matched on lowercased text: much faster than re.IGNORECASE
    return re.compile(r"\b(?:" + "|".join(f"(?:{p})" for p in patterns) + r")\b")


class _Lexicon(NamedTuple):
    tiers: dict[str, list[tuple[str, float, re.Pattern]]]  # per type: (tier, weight, pattern), strongest first
    requires: dict[str, re.Pattern]  # the types that need one of these words in the snippet
    yields: dict[str, list[str]]  # per type: the specific types it gives way to, by priority
    strong: float  # the weight of one strong word: the unit of evidence
    # which (type, tier) patterns can match at a word starting with these letters; None: they may match anywhere
    index: dict[str | None, set[tuple[str, str]]]


def _starts(items, limit: int) -> set[str] | None:
    """The strings (at most `limit` long) that matches of parsed regex `items` can begin with; a string shorter
    than `limit` may continue with anything. None when the pattern can begin with too many things to list."""
    found = {""}
    for op, arg in items:
        name = str(op)
        if name in ("AT", "ASSERT", "ASSERT_NOT"):
            continue  # zero-width: \b, look-behinds
        if name == "LITERAL":
            options = {chr(arg)}
        elif name == "IN" and all(str(o) == "LITERAL" for o, _ in arg):
            options = {chr(a) for _, a in arg}
        elif name == "SUBPATTERN":
            options = _starts(arg[-1], limit)
        elif name == "BRANCH":
            branches = [_starts(b, limit) for b in arg[1]]
            options = None if None in branches else set().union(*branches)
        elif name in ("MAX_REPEAT", "MIN_REPEAT") and arg[0] <= 1 and arg[1] == 1:
            options = _starts(arg[2], limit)
            if options is not None and arg[0] == 0:
                options.add("")
        else:
            options = None
        if options is None:
            return found if all(found) else None
        open_, found = {f for f in found if len(f) >= limit}, {(f + o)[:limit] for f in found if len(f) < limit
                                                               for o in options}
        found |= open_
        if all(len(f) >= limit for f in found):
            break
    return found


def _index(tiers: dict[str, list[tuple[str, float, re.Pattern]]]) -> dict[str | None, set[tuple[str, str]]]:
    index = defaultdict(set)
    for code, compiled in tiers.items():
        for tier, _, rx in compiled:
            starts = _starts(_sre_parse.parse(rx.pattern), _PREFIX)  # (its \b are zero-width: skipped)
            for start in starts if starts and all(s[:1].isalnum() for s in starts) else [None]:
                index[start].add((code, tier))
    return dict(index)


@cache
def _lexicon() -> _Lexicon:
    """The trigger lexicon, compiled once; raises ConfigError when it names unknown types."""
    text = resources.files("wirecoder").joinpath("data/lexicons/event_triggers.toml").read_text("utf-8")
    data = tomllib.loads(text)
    weights = data.pop("weights")
    if set(data) != set(TYPE_CODES):
        raise ConfigError(f"event_triggers.toml: types differ from the codebook: {sorted(set(data) ^ set(TYPE_CODES))}")
    lexicon = _Lexicon({}, {}, {}, weights["strong"], {})
    for code, entry in data.items():
        lexicon.yields[code] = entry.get("yields_to", [])
        if set(lexicon.yields[code]) - set(TYPE_CODES):
            raise ConfigError(f"event_triggers.toml: {code}.yields_to names unknown types")
        lexicon.tiers[code] = [(tier, weights[tier], rx) for tier in ("strong", "medium", "weak")
                               if (rx := _compile(entry.get(tier, []))) is not None]
        if entry.get("requires"):
            lexicon.requires[code] = _compile(entry["requires"])
    lexicon.index.update(_index(lexicon.tiers))
    return lexicon


def _lead_end(text: str) -> int:
    match = _LEAD_END.search(text, 40)
    return match.end() if match else len(text)


def _candidate_starts(text: str, index: dict[str | None, set[tuple[str, str]]]) -> dict[tuple[str, str], list[int]]:
    """(type, tier) -> the word starts of `text` where its pattern may match, ascending."""
    starts = defaultdict(list)
    for word in _WORD_START.finditer(text):
        pos = word.start()
        for n in range(1, _PREFIX + 1):
            for key in index.get(text[pos:pos + n], ()):
                starts[key].append(pos)
    return starts


def _matches(rx: re.Pattern, text: str, starts: list[int]):
    """`rx.finditer(text)` where matches can only begin at `starts` (ascending)."""
    reach = 0
    for pos in starts:
        if pos >= reach and (match := rx.match(text, pos)):
            reach = match.end()
            yield match


def _scores(text: str, trigger: str | None) -> tuple[dict[str, float], set[str], set[str]]:
    """Evidence per type; the types with a strong word in the lead sentence (their `requires` met); the types
    whose strong or medium words the trigger is."""
    lexicon = _lexicon()
    lead = _lead_end(text)
    text, trigger = text.lower(), trigger.lower() if trigger else None
    scores, strong_lead, cued = {}, set(), set()
    starts = _candidate_starts(text, lexicon.index)
    anywhere = lexicon.index.get(None, ())
    for code, compiled in lexicon.tiers.items():
        total, seen = 0.0, set()
        for tier, weight, rx in compiled:
            if (code, tier) in anywhere:
                matches = rx.finditer(text)
            elif (code, tier) in starts:
                matches = _matches(rx, text, starts[code, tier])
            else:
                continue
            for match in matches:
                word = match.group(0)
                if word in seen or _NEGATED.search(text, max(0, match.start() - 20), match.start()):
                    continue
                seen.add(word)
                in_lead = match.start() < lead
                if _BACKGROUND.search(text, max(0, match.start() - 40), match.start()):
                    total += weight * _BACKGROUND_WEIGHT
                    continue
                total += weight * (1.0 if in_lead else _LATER_WEIGHT)
                if tier == "strong" and in_lead:
                    strong_lead.add(code)
        if not total:
            continue
        if code in lexicon.requires and not lexicon.requires[code].search(text):
            total *= _UNMET_WEIGHT
            strong_lead.discard(code)
        if trigger and any(rx.search(trigger) for tier, _, rx in compiled if tier != "weak"):
            total *= _TRIGGER_BOOST
            cued.add(code)
        scores[code] = total
    return scores, strong_lead, cued


def _specific(top: str, strong_lead: set[str]) -> str | None:
    """The more specific type that takes over from `top`, following `yields_to` (at most a few steps)."""
    yields = _lexicon().yields
    taken, current = None, top
    for _ in range(3):
        current = next((code for code in yields[current] if code in strong_lead), None)
        if current is None or current == taken:
            break
        taken = current
    return taken


def yields(code: str) -> tuple[str, ...]:
    """The more specific types a type gives way to (`yields_to` in the lexicon): "ATTACK" -> GRENADE, ..."""
    return tuple(_lexicon().yields.get(code, ()))


def evidence(text: str) -> tuple[dict[str, float], set[str], str | None]:
    """What the lexicon finds in a text: evidence per type, the types with a strong word in the lead sentence,
    and the type `classify` would rank first (None when no cue was found). The event model's features."""
    scores, strong_lead, _ = _scores(text or "", None)
    if not scores:
        return scores, strong_lead, None
    best = max(scores, key=scores.get)
    return scores, strong_lead, _specific(best, strong_lead) or best


def classify(text: str, trigger: str | None = None) -> list[tuple[str, float]]:
    """Event type codes for a sentence, clause or snippet, best first, with scores in [0, 1].

    `trigger` is the event word when the caller knows it ("shelling", "airstrike"): a type it cues ranks first.
    A score is the type's share of the evidence times how much evidence there is (one strong word gives the
    top type about 0.6, a lone weak word next to nothing), so scores sum to at most 1 and can be thresholded.
    An empty list means no event word was found at all.
    """
    scores, strong_lead, cued = _scores(text or "", trigger)
    if not scores:
        return []
    best = max(scores, key=scores.get)
    # a type the trigger cues wins; else a specific type with a strong lead word takes over from a generic one
    # (ties go to the lexicon's order, never to a set's: the same text must get the same type in every process)
    winner = max((c for c in scores if c in cued), key=scores.get) if cued else _specific(best, strong_lead) or best
    # the winner takes the top score; the type it displaces keeps what the winner had
    scores[best], scores[winner] = scores[winner], scores[best]
    total = sum(scores.values())
    amount = 1 - math.exp(-total / _lexicon().strong)
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0] != winner))
    return [(code, round(amount * score / total, 4)) for code, score in ranked]


def classify_doc(doc_or_text) -> list[tuple[str, float]]:
    """`classify` for a whole text or spaCy Doc/Span: the label of the text's main event."""
    return classify(getattr(doc_or_text, "text", doc_or_text))
