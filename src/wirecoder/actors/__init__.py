"""Actors: who acts and who is acted upon, normalised to one record per actor with all its mentions.

Three kinds of mention, all found by phrase matchers compiled once from the dictionaries in `data/actors/`:
- named actors ("Taliban", "al-Shabab", "ISIS"), extended over the noun they modify ("Taliban fighters",
  "the Taliban advance") so that an event argument headed by that noun finds its actor;
- role nouns ("government forces", "Afghan police", "gunmen", "protesters"), coded with the country their phrase
  names, or, for forces of a state, the article's country ("government forces" in an Afghan story are the
  Military Forces of Afghanistan); "forces loyal to X" and "X's militia" make the militia of person X;
- countries acting as states ("Pakistan denies…", "sanctions against Pakistan").
Anaphoric phrases ("the insurgents", "the group") join the named armed group last mentioned before them.
"""

from __future__ import annotations

import functools
from collections import Counter
from dataclasses import dataclass
from typing import Any

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from ..nlp import load_nlp
from ..records import Actor
from ..records import Span as TextSpan
from .lexicon import INTER_TYPES, Country, Lexicon, Role, load_lexicon

# dependencies under which a country name acts as a state rather than naming a place
_AGENT_DEPS = {"nsubj", "nsubjpass", "appos"}
_AGENT_PREPS = {"against", "by", "with", "from", "between"}
_ANAPHOR_DETS = {"the", "this", "these", "that", "those"}
_MODIFIER_DEPS = {"amod", "compound", "poss", "nmod", "npadvmod", "nummod", "det", "quantmod"}


@dataclass
class _Mention:
    start: int  # token indices, end exclusive
    end: int
    key: str  # canonical name
    inter: int
    code: str | None
    country: str | None
    confidence: float


def article_country(adoc, country_counts: Counter | None = None) -> str | None:
    """The country the article is about: the most frequent country of its places, else of its country words."""
    counts = Counter(p.country for p in adoc.places if p.country)
    if not counts and country_counts:
        counts = country_counts
    return counts.most_common(1)[0][0] if counts else None


def token_actor_map(adoc) -> dict[int, str]:
    """Token index -> actor id, over every mention span of every actor."""
    doc: Doc = adoc.doc
    index: dict[int, str] = {}
    for actor in adoc.actors:
        for m in actor.mentions:
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is not None:
                for i in range(span.start, span.end):
                    index.setdefault(i, actor.id)
    return index


class _Matchers:
    """The phrase matchers of one lexicon: case-insensitive names, case-sensitive acronyms."""

    def __init__(self, lex: Lexicon, nlp):
        self.lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.named: dict[str, Any] = {}
        self.roles: dict[str, tuple[Role, str]] = {}
        self.countries: dict[str, tuple[Country, bool]] = {}

        self.keys: dict[int, str] = {}  # match id -> key, independent of the vocab a doc comes with

        def add(key: str, phrases: list[str], acronyms_exact: bool = True) -> None:
            self.keys[nlp.vocab.strings.add(key)] = key
            plain = [p for p in phrases if not (acronyms_exact and _is_acronym(p))]
            exact = [p for p in phrases if acronyms_exact and _is_acronym(p)]
            if plain:
                self.lower.add(key, list(nlp.tokenizer.pipe(plain)))
            if exact:
                self.exact.add(key, list(nlp.tokenizer.pipe(exact)))

        for i, actor in enumerate(lex.actors):
            key = f"G{i}"
            self.named[key] = actor
            add(key, list(actor.aliases))
        for i, role in enumerate(lex.roles):
            for term in role.terms:
                key = f"R{i}:{term}"
                self.roles[key] = (role, term)
                add(key, [term], acronyms_exact=False)
        for country in lex.countries.values():
            self.countries[f"C{country.iso2}"] = (country, True)
            self.countries[f"J{country.iso2}"] = (country, False)
            add(f"C{country.iso2}", list(country.names))
            if country.adjectives:
                add(f"J{country.iso2}", list(country.adjectives))

    def __call__(self, doc: Doc) -> list[Span]:
        found = []
        for match_id, start, end in [*self.lower(doc), *self.exact(doc)]:
            key = self.keys[match_id]
            span = Span(doc, start, end, label=key)
            # proper names must be written as names: "amnesty" and "group" are not actors
            if key[0] in "GCJ" and not any(ch.isupper() for ch in span.text):
                continue
            found.append(span)
        return filter_spans(found)


def _is_acronym(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) <= 5 and all(ch.isupper() for ch in letters)


def _phrase_tokens(head: Token) -> list[Token]:
    """The modifiers of a noun that can name its owner or country: left dependants and "of"/"loyal to" phrases."""
    out = []
    for child in head.children:
        if child.i < head.i and child.dep_ in _MODIFIER_DEPS:
            out.extend(child.subtree)
        elif child.dep_ == "prep" and child.lower_ in ("of", "from"):
            out.extend(child.subtree)
        elif child.dep_ in ("amod", "acl") and child.lower_ in ("loyal", "allied", "linked", "affiliated"):
            out.extend(child.subtree)
    return out


def _loyal_to(head: Token) -> Token | None:
    """The person in "forces loyal to X" / "X's militia", when the phrase names one."""
    for child in head.children:
        if child.dep_ in ("amod", "acl") and child.lower_ in ("loyal", "allied"):
            for prep in child.children:
                if prep.dep_ == "prep":
                    for obj in prep.children:
                        if obj.dep_ == "pobj" and obj.ent_type_ == "PERSON":
                            return obj
        if child.dep_ == "poss" and child.pos_ == "PROPN" and child.ent_type_ not in ("GPE", "NORP", "ORG", "LOC"):
            return child
    return None


def _full_name(token: Token) -> str:
    """The longest PERSON name in the document that ends with this person's surname ("Khan" -> "Ismail Khan")."""
    doc = token.doc
    ent = next((e for e in doc.ents if e.start <= token.i < e.end), None)
    surname = (ent[-1] if ent is not None else token).text
    names = [e.text for e in doc.ents if e.label_ == "PERSON" and e[-1].text == surname]
    name = max(names, key=len) if names else token.text
    return name.removesuffix("'s").removesuffix("’s").strip()


def make_stage(config: dict[str, Any]):
    lex = load_lexicon(config.get("actors", {}).get("path") or None)
    nlp = load_nlp(config["nlp"]["model"])
    matchers = _Matchers(lex, nlp)

    def actors_stage(adoc) -> None:
        doc: Doc = adoc.doc
        spans = matchers(doc)
        country_counts: Counter = Counter()
        country_at: dict[int, Country] = {}  # token index -> the country a country word names
        for span in spans:
            if span.label_[0] in "CJ":
                country, _ = matchers.countries[span.label_]
                country_counts[country.iso2] += 1
                for i in range(span.start, span.end):
                    country_at[i] = country
        home = article_country(adoc, country_counts)
        home_country = lex.countries.get(home) if home else None
        named_at: dict[int, _Mention] = {}
        mentions: list[_Mention] = []

        def add(start: int, end: int, key: str, inter: int, code: str | None, country: str | None,
                confidence: float) -> _Mention:
            mention = _Mention(start, end, key, inter, code, country, confidence)
            mentions.append(mention)
            return mention

        def extend(span: Span) -> tuple[int, int]:
            """A name that modifies a role/person noun ("Taliban fighters") takes in that noun, and a title the
            name of its holder ("Prime Minister Ehud Barak", "military chief General Colin Powell")."""
            root = span.root
            head = root.head
            if root.dep_ in ("compound", "amod", "nmod", "poss") and head.i >= span.end \
                    and head.lower_ in lex.person_heads:
                return span.start, head.i + 1
            if span.label_[0] == "R":
                node = root
                while node.dep_ in ("compound", "appos", "nmod") and node.head.i > node.i:
                    node = node.head
                if node.i >= span.end and node.ent_type_ == "PERSON":
                    return span.start, node.i + 1
            return span.start, span.end

        # named actors first: role nouns that they modify join them
        for span in spans:
            if span.label_[0] == "G":
                actor = matchers.named[span.label_]
                start, end = extend(span)
                m = add(start, end, actor.name, actor.inter, actor.code, actor.country, 0.9)
                for i in range(start, end):
                    named_at[i] = m

        taken: set[int] = set()  # tokens a role mention took in ("police officials", "General Colin Powell")
        for span in spans:
            kind = span.label_[0]
            if kind == "R":
                if any(i in named_at or i in taken for i in range(span.start, span.end)) \
                        or span.root.pos_ not in ("NOUN", "PROPN"):
                    continue  # "militant ideology" names no militant
                before = len(mentions)
                _role_mention(span, *matchers.roles[span.label_], country_at, named_at, mentions, home_country,
                              add, extend)
                for mention in mentions[before:]:
                    taken.update(range(mention.start, mention.end))
            elif kind == "C":
                country, _ = matchers.countries[span.label_]
                root = span.root
                acting = root.dep_ in _AGENT_DEPS or (
                    root.dep_ == "pobj" and root.head.lower_ in _AGENT_PREPS) or (
                    root.dep_ == "conj" and root.head.dep_ in _AGENT_DEPS)
                if acting and span.start not in named_at:
                    add(span.start, span.end, f"Government of {country.name}", 1, f"{country.iso3}GOV",
                        country.iso2, 0.6)

        _to_records(adoc, mentions, home)

    return actors_stage


def _role_mention(span, role: Role, term: str, country_at, named_at, mentions, home_country, add, extend):
    """Add the actor a role noun names: its owner group, a person's militia, an anaphor's group, or the role."""
    doc = span.doc
    head = span.root
    start, end = extend(span)
    if end > span.end:
        head = doc[end - 1]
    phrase = [t for t in _phrase_tokens(head) if t.i < span.start or t.i >= span.end] + list(span)
    owner = next((named_at[t.i] for t in phrase if t.i in named_at), None)
    if owner is not None:  # "Taliban forces", "fighters of the Islamic State"
        add(min(start, owner.start), end, owner.key, owner.inter, owner.code, owner.country, owner.confidence)
        return
    explicit = next((country_at[t.i] for t in phrase if t.i in country_at), None)
    if explicit is not None:  # "Israeli Prime Minister Ehud Barak": the country word opens the mention
        start = min([start, *(t.i for t in phrase if t.i in country_at and t.i < start)])
    person = _loyal_to(head) if role.label in ("militia", "military", "rebels") or term == "men" else None
    if person is not None:
        name = _full_name(person)
        country = explicit or home_country
        left = min([start, *[t.i for t in phrase]])
        right = max([end, *[t.i + 1 for t in phrase]])
        add(left, right, f"Militia of {name}", 3, f"{country.iso3}UAF" if country else "UAF",
            country.iso2 if country else None, 0.7)
        return
    definite = any(t.dep_ == "det" and t.lower_ in _ANAPHOR_DETS for t in head.children)
    if role.anaphor and definite and explicit is None:
        before = [m for m in mentions if m.end <= span.start and m.inter in (2, 3, 4) and m.code]
        named = [m for m in before if not m.key.startswith(("Rebels", "Militia", "Unidentified"))]
        if named:
            target = named[-1]
            add(start, end, target.key, target.inter, target.code, target.country, 0.6)
            return
    if role.anaphor_only:
        return
    if explicit is None and term in role.needs_country_terms:
        return
    country = explicit or home_country
    if country is None:
        name, code = role.unknown or role.name.replace(" ({country})", "").replace(" of {country}", ""), role.role
    else:
        name, code = role.name.format(country=country.name), f"{country.iso3}{role.role}"
    inter = role.inter
    if role.state and explicit is not None and home_country is not None and explicit.iso2 != home_country.iso2:
        inter = 8  # a state's forces acting abroad are "external forces" to ACLED
    add(start, end, name, inter, code, country.iso2 if country else None, 0.8 if explicit else 0.6)


def _to_records(adoc, mentions: list[_Mention], home: str | None) -> None:
    """One Actor per canonical name, its mentions in text order, numbered by first mention."""
    doc = adoc.doc
    by_key: dict[str, Actor] = {}
    for m in sorted(mentions, key=lambda m: (m.start, -m.end)):
        actor = by_key.get(m.key)
        if actor is None:
            inter = m.inter
            if inter == 1 and m.country and home and m.country != home:
                inter = 8
            actor = Actor(id="", name=m.key, type=INTER_TYPES.get(inter), inter=inter, code=m.code,
                          country=m.country, confidence=m.confidence)
            by_key[m.key] = actor
        start, end = doc[m.start].idx, doc[m.end - 1].idx + len(doc[m.end - 1])
        last = actor.mentions[-1] if actor.mentions else None
        if last is not None and last.end <= start and not adoc.text[last.end:start].strip(" -"):
            # one phrase told in two matches ("U.S. military chief" + "General Colin Powell") is one mention
            actor.mentions[-1] = TextSpan(last.start, end, adoc.text[last.start:end])
        elif not any(s.start <= start and end <= s.end for s in actor.mentions):
            actor.mentions.append(TextSpan(start, end, adoc.text[start:end]))
        actor.confidence = max(actor.confidence, m.confidence)
    for actor in by_key.values():
        actor.id = f"a{len(adoc.actors) + 1}"
        adoc.actors.append(actor)


_LEADING = {"det", "punct", "cc", "case", "predet"}
_PRONOUNS = {"PRON"}
# the ACLED inter type of what a phrase names when no role word says it, by its entity type: a person or a people
# acting for no known force counts as civilians (7), an organisation or anything else named as other forces (8)
_ENTITY_INTER = {"PERSON": 7, "NORP": 7, "ORG": 8, "GPE": 8, "FAC": 8, "LOC": 8}
_UNKNOWN_INTER = 7


@functools.cache
def _lookups(folder: str | None) -> tuple[dict[str, Country], dict[str, Role]]:
    """Lower-case country names and adjectives -> country, and role terms -> role, of a lexicon."""
    lex = load_lexicon(folder)
    countries = {}
    for country in lex.countries.values():
        for word in (*country.names, *country.adjectives):
            countries.setdefault(word.lower(), country)
    roles = {}
    for role in lex.roles:
        if role.anaphor_only:
            continue
        for term in role.terms:
            roles.setdefault(term, role)
    return countries, roles


def _find(tokens: list[Token], table: dict, longest: int = 4):
    """The entry of `table` that the longest run of tokens spells (right-most first: the head of an English
    noun phrase comes last), or None."""
    for size in range(min(longest, len(tokens)), 0, -1):
        for start in range(len(tokens) - size, -1, -1):
            words = tokens[start:start + size]
            key = " ".join(t.lower_ for t in words)
            if key in table:
                return table[key]
            joined = "".join(t.text_with_ws for t in words).strip().lower()
            if joined in table:
                return table[joined]
    return None


def _trimmed(phrase: Span) -> list[Token]:
    """The phrase's words without leading determiners, conjunctions and punctuation, or trailing punctuation."""
    tokens = list(phrase)
    while tokens and (tokens[0].dep_ in _LEADING or tokens[0].is_punct):
        tokens = tokens[1:]
    while tokens and tokens[-1].is_punct:
        tokens = tokens[:-1]
    return tokens


def _identity(adoc, tokens: list[Token], root: Token, folder: str | None) -> tuple[str, str | None, int, str,
                                                                                      Country | None] | None:
    """(name, code, inter, type, country) of the actor a phrase names (see `actor_for_span`), or None."""
    countries, roles = _lookups(folder)
    country = _find(tokens, countries)
    role = _find(tokens, roles, longest=3)
    if role is not None and country is None and role.state:
        home = article_country(adoc)  # "the president" in a story about Afghanistan
        country = load_lexicon(folder).countries.get(home) if home else None
    if role is not None:
        name = role.name.format(country=country.name) if country and role.name else (role.unknown or role.role)
        code = f"{country.iso3}{role.role}" if country else role.role
        return name, code, role.inter, INTER_TYPES[role.inter], country
    if country is not None and root.ent_type_ == "GPE":
        return f"Government of {country.name}", f"{country.iso3}GOV", 1, INTER_TYPES[1], country
    if country is None and not any(t.pos_ == "PROPN" or t.ent_type_ in _ENTITY_INTER for t in tokens):
        return None  # "the new irrigation scheme": no role word, country or name makes it someone
    inter = _ENTITY_INTER.get(root.ent_type_, _UNKNOWN_INTER)
    text = adoc.text[tokens[0].idx:tokens[-1].idx + len(tokens[-1])]
    return text, country.iso3 if country else None, inter, INTER_TYPES[inter], country


def actor_for_span(adoc, phrase: Span, folder: str | None = None) -> str | None:
    """The id of the actor a phrase names when no dictionary mention lies in it, adding the actor (or the
    mention to an actor of the same name) to the article; None for a phrase that names nobody (a pronoun).

    A role word makes the actor of that role and the country the phrase names ("the US leader" -> Government
    of United States, USAGOV; "Oxfam's aid agency" -> NGO); a country name alone is its government; anything
    else is an actor of its own name, with the ACLED type of what the parse says it is (a person or a people:
    civilians; an organisation: other forces) and coded with the country the phrase names, if any."""
    tokens = _trimmed(phrase)
    if not tokens or all(t.pos_ in _PRONOUNS for t in tokens):
        return None
    identity = _identity(adoc, tokens, phrase.root, folder)
    if identity is None:
        return None
    name, code, inter, kind, country = identity
    start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1])
    mention = TextSpan(start, end, adoc.text[start:end])
    actor = next((a for a in adoc.actors if a.name == name), None)
    if actor is None:
        actor = Actor(id=f"a{len(adoc.actors) + 1}", name=name, type=kind, inter=inter, code=code,
                      country=country.iso2 if country else None, confidence=0.5)
        adoc.actors.append(actor)
    if not any(m.start < mention.end and mention.start < m.end for m in actor.mentions):
        actor.mentions.append(mention)
        actor.mentions.sort(key=lambda m: m.start)
    return actor.id
