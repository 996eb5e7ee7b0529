"""Fatalities: how many people an event killed, as a number or a [low, high] range.

The count is read from the victims of a death word ("killed 12 people", "40 civilians were killed", "two
soldiers died", "left 36 people dead") or from a toll noun ("the death toll rose to 20"). A vague quantity gives a
range ("dozens" -> [24, 99]) and no single number; a single victim named or described in the singular ("a police
commander was killed", "Gupta was murdered") counts 1. Number words and ranges are data
(`data/lexicons/fatalities.toml`).
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass

from spacy.tokens import Token

from ..config import data_path
from ..errors import ConfigError

_DIGITS = re.compile(r"^\d{1,3}(?:,\d{3})*$|^\d+$")


@dataclass(frozen=True)
class FatalityLexicon:
    death_verbs: frozenset[str]
    death_adjectives: frozenset[str]
    death_nouns: frozenset[str]
    numbers: dict[str, int]
    ranges: dict[str, tuple[int, int]]


@functools.cache
def load_fatalities() -> FatalityLexicon:
    path = data_path("lexicons", "fatalities.toml")
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read {path}: {exc}") from exc
    ranges = {k: (int(v[0]), int(v[1])) for k, v in data.get("ranges", {}).items()}
    if any(low > high for low, high in ranges.values()):
        raise ConfigError(f"{path.name}: a range has low > high")
    return FatalityLexicon(
        frozenset(data.get("death_verbs", [])),
        frozenset(data.get("death_adjectives", [])),
        frozenset(data.get("death_nouns", [])),
        {k: int(v) for k, v in data.get("numbers", {}).items()},
        ranges,
    )


def _number(token: Token, lex: FatalityLexicon) -> int | None:
    text = token.lower_
    if _DIGITS.match(text):
        return int(text.replace(",", ""))
    if text in lex.numbers:
        return lex.numbers[text]
    if "-" in text:  # "twenty-two"
        parts = [lex.numbers.get(p) for p in text.split("-")]
        if all(p is not None for p in parts):
            return sum(parts)
    return None


def _count(victim: Token, lex: FatalityLexicon) -> tuple[int | None, tuple[int, int] | None]:
    """(number, range) of people a victim phrase names."""
    lower = victim.lower_
    if lower in lex.ranges and victim.pos_ in ("NOUN", "PRON", "ADJ", "NUM"):
        return None, lex.ranges[lower]  # "dozens (of people)"
    nums = [c for c in victim.children if c.dep_ == "nummod" or (c.dep_ == "amod" and c.lower_ in lex.ranges)]
    for num in nums:
        value = _number(num, lex)
        if value is not None:
            if any(c.lower_ in ("hundred", "hundreds") for c in num.children):
                value *= 100
            return value, None
        if num.lower_ in lex.ranges:
            return None, lex.ranges[num.lower_]
    value = _number(victim, lex)  # "three were killed", "killing 8"
    if value is not None and victim.pos_ == "NUM":
        return value, None
    if victim.pos_ == "PROPN" and victim.ent_type_ == "PERSON":
        return 1 + sum(1 for c in victim.children if c.dep_ == "conj" and c.ent_type_ == "PERSON"), None
    if victim.pos_ == "PRON" and victim.lower_ in ("he", "she", "him", "her"):
        return 1, None
    if victim.pos_ == "NOUN" and victim.tag_ in ("NN",) and any(
            c.dep_ in ("det", "poss") and c.lower_ in ("a", "an", "the", "his", "her", "their", "one")
            for c in victim.children):
        return 1, None
    return None, None


def _victims(token: Token, lex: FatalityLexicon) -> list[Token]:
    """The phrases naming who died, for one death word."""
    lemma = token.lemma_.lower()
    out = []
    if token.pos_ in ("VERB", "AUX") and lemma in lex.death_verbs:
        passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in token.children)
        for child in token.children:
            if child.dep_ == "nsubjpass" or (child.dep_ == "dobj" and not passive) or (
                    child.dep_ == "nsubj" and lemma in ("die", "perish", "drown")):
                out.append(child)
        if not out and token.dep_ in ("acl", "relcl") and passive is False and token.tag_ == "VBN":
            out.append(token.head)  # "18 civilians killed in Aleppo"
        if not out and token.dep_ in ("xcomp", "conj", "advcl"):
            # "were shot and killed" / "were found killed": the victims of the verb it continues
            for child in token.head.children:
                if child.dep_ in ("nsubjpass",) or (child.dep_ == "dobj" and token.dep_ == "conj"):
                    out.append(child)
    elif token.lower_ in lex.death_adjectives or lemma in lex.death_adjectives:
        # "left 36 people dead", "shot dead five employees", "were found dead"
        if token.dep_ in ("oprd", "acomp", "xcomp", "advmod", "amod", "ccomp"):
            head = token.head
            objects = [c for c in head.children if c.dep_ in ("dobj", "nsubjpass") and c.i != token.i]
            # the subject is who died only when nobody else is named: "the blast left three dead" counts three
            out.extend(objects or [c for c in head.children if c.dep_ == "nsubj" and c.i != token.i])
            if token.dep_ == "amod":
                out.append(head)
    elif token.pos_ in ("NOUN", "PROPN") and lemma in lex.death_nouns:
        # "the death toll rose to 20", "20 deaths"
        count, _ = _count(token, lex)
        if count is not None:
            out.append(token)
        else:
            verb = token.head
            for child in verb.children:
                if child.dep_ == "prep" and child.lower_ in ("to", "at"):
                    out.extend(c for c in child.children if c.dep_ == "pobj")
                if child.dep_ in ("attr", "dobj") and child.i != token.i:
                    out.append(child)
    return out


def fatalities(tokens: list[Token]) -> tuple[int | None, tuple[int, int] | None]:
    """(number, range) of deaths among the death words of an event, summing distinct victim phrases."""
    lex = load_fatalities()
    total, low, high, seen = 0, 0, 0, set()
    found = False
    ranged = False
    for token in tokens:
        for victim in _victims(token, lex):
            if victim.i in seen:
                continue
            seen.add(victim.i)
            number, span = _count(victim, lex)
            if number is not None:
                total += number
                low += number
                high += number
                found = True
            elif span is not None:
                low += span[0]
                high += span[1]
                ranged = found = True
    if not found:
        return None, None
    if ranged:
        return None, (low, high)
    return total, None


def death_words(tokens: list[Token]) -> list[Token]:
    """The tokens, and their close dependants, that speak of deaths ("killed", "dead", "death toll")."""
    lex = load_fatalities()
    out = []
    for token in tokens:
        candidates = [token, *token.children]
        for tok in candidates:
            lemma = tok.lemma_.lower()
            if (tok.pos_ in ("VERB", "AUX") and lemma in lex.death_verbs) or tok.lower_ in lex.death_adjectives \
                    or (tok.pos_ in ("NOUN", "PROPN") and lemma in lex.death_nouns):
                if tok not in out:
                    out.append(tok)
    return out
