"""Recognition: the stretches of text that name places, each with its gazetteer candidates.

spaCy's GPE/LOC/FAC entities are the base. The gazetteer then repairs what spaCy gets wrong: a place tagged
ORG/PERSON/NORP ("Herat" as NORP, "Lashkar Gah" as PERSON), a place nested in an organisation name ("Laurel
County Sheriff's Office"), a capitalised name spaCy left untagged, a demonym ("Afghan" -> Afghanistan), a state
abbreviation after a town ("Alexandria, Va."), and a reference back to a place ("the eponymous province").
Repairs are *weak* mentions: `resolve` keeps them only when the place is well known or fits the article.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span

from ..config import data_path
from .gazetteer import Candidate, Gazetteer

PLACE_LABELS = {"GPE", "LOC", "FAC"}
REPAIR_LABELS = {"ORG", "PERSON", "NORP", "WORK_OF_ART", "PRODUCT", "EVENT", "LAW", "LANGUAGE"}
_QUALIFIER = re.compile(r"\s*,\s*((?:[A-Z][A-Za-z]{0,4}\.\s?){1,3}|[A-Z]{2}\b|[A-Z][a-z]+(?: [A-Z][a-z]+)?)")
_MAX_NAME_TOKENS = 5


def load_words() -> dict:
    with open(data_path("places", "words.toml"), "rb") as fh:
        return tomllib.load(fh)


@dataclass(slots=True)
class Mention:
    """A place mention: offsets into the text, how it was found, and the places its name can refer to."""

    start: int
    end: int
    text: str
    source: str  # ner, repair, nested, unlabelled, demonym, qualifier, reference
    candidates: tuple[Candidate, ...] = ()
    hint: str | None = None  # the feature a unit word names ("province" -> admin1)
    weak: bool = False
    qualifier: Mention | None = None  # "Illinois" in "Springfield, Illinois"
    reference: str | None = None  # the feature a reference wants ("eponymous province" -> admin1)
    explicit_unit: bool = field(default=False)  # the text itself says County/Province


class Recognizer:
    """Finds place mentions in a parsed Doc. Built once: word lists are read here, lookups are cached."""

    def __init__(self, gazetteer: Gazetteer, words: dict | None = None):
        words = words or load_words()
        self.gaz = gazetteer
        self.unit_words: dict[str, str] = words["unit_words"]
        self.org_heads = set(words["org"]["heads"])
        self.eponymous = set(words["references"]["eponymous"])
        self.ref_nouns: dict[str, str] = words["references"]["nouns"]
        self.generic = set(words["generic"]["words"])
        self._eponymous_re = re.compile("|".join(map(re.escape, self.eponymous)), re.I)
        self.feature_heads = set(words["features"]["heads"])
        self.streets = set(words["features"]["streets"])
        self.directions = set(words["directions"]["words"])

    # -- lookups -----------------------------------------------------------------------------------------

    def lookup(self, tokens: Span) -> tuple[tuple[Candidate, ...], str | None, bool]:
        """Candidates for a token span, the feature a unit word in it names, and whether it had one."""
        text = tokens.text
        cands = self._usable(tokens, self.gaz.lookup(text))
        last = tokens[-1].lower_ if len(tokens) else ""
        first = tokens[0].lower_ if len(tokens) else ""
        if len(tokens) > 1 and last in self.unit_words:
            hint = self.unit_words[last]
            exact = tuple(c for c in cands if c.feature == hint or (hint == "admin1" and c.feature == "admin2"))
            if exact:
                return exact, hint, True
            return self._usable(tokens[:-1], self.gaz.lookup(tokens[:-1].text)), hint, True
        if len(tokens) > 2 and first in self.unit_words and tokens[1].lower_ == "of":
            return self._usable(tokens[2:], self.gaz.lookup(tokens[2:].text)), self.unit_words[first], True
        return cands, None, False

    @staticmethod
    def _usable(tokens: Span, cands: tuple[Candidate, ...]) -> tuple[Candidate, ...]:
        """A short abbreviation needs its written form: "Miss." or "NSW" name a state, "Miss" does not."""
        text = tokens.text
        if len(text) > 4 or "." in text or text.isupper():
            return cands
        return tuple(c for c in cands if c.match not in ("abbr", "postal"))

    # -- the pass over a document ------------------------------------------------------------------------

    def __call__(self, doc: Doc, text: str | None = None) -> list[Mention]:
        """The place mentions of a parsed document; `text` is `doc.text` when the caller has it at hand (spaCy
        rebuilds Doc.text from the tokens on every access)."""
        mentions: list[Mention] = []
        covered = [False] * len(doc)
        reach = 0  # end of the last mention: an entity inside a name already extended over it is skipped
        ents = doc.ents
        # "Khan's militia" after "Ismail Khan": the surname of a person the article names is that person
        surnames = {e[-1].text for e in ents if e.label_ == "PERSON" and len(e) > 1
                    and e[0].lower_ not in self.unit_words and e[0].lower_ not in self.feature_heads}
        for ent in ents:
            span = self._trim(ent)
            if span is None or span.start_char < reach:
                continue
            found = self._from_entity(ent.label_, span) if len(span) > 1 or span.text not in surnames else []
            if found:
                reach = max(m.end for m in found)
            if ent.label_ in PLACE_LABELS or ent.label_ in REPAIR_LABELS:
                for i in range(ent.start, ent.end):
                    covered[i] = True
            mentions.extend(found)
        mentions.extend(self._unlabelled(doc, covered))
        text = doc.text if text is None else text
        mentions.extend(self._qualifiers(doc, text, mentions))
        mentions.extend(self._references(doc, text))
        mentions.sort(key=lambda m: m.start)
        return mentions

    def _trim(self, span: Span) -> Span | None:
        """Drop a leading "the", a trailing "'s" and stray punctuation around a name."""
        start, end = span.start, span.end
        doc = span.doc
        # leading "the", punctuation and lower-case words ("eastern Germany", "downtown Kabul")
        while start < end and (doc[start].is_lower or doc[start].is_punct or doc[start].lower_ == "the"):
            start += 1
        while end > start and (doc[end - 1].lower_ in ("'s", "\u2019s", "'", "\u2019") or doc[end - 1].is_punct):
            end -= 1
        return doc[start:end] if end > start else None

    def _mention(self, span: Span, source: str, cands, hint=None, weak=False, explicit=False) -> Mention:
        return Mention(span.start_char, span.end_char, span.text, source, cands, hint, weak,
                       explicit_unit=explicit)

    def _from_entity(self, label: str, span: Span) -> list[Mention]:
        if label in ("GPE", "LOC"):
            span = self._extend(span)
            doc = span.doc
            after = doc[span.end].lower_ if span.end < len(doc) else ""
            if after in self.unit_words and span[-1].lower_ not in self.unit_words:
                span = doc[span.start : span.end + 1]  # "Kandahar province": the unit word says which Kandahar
            cands, hint, explicit = self.lookup(span)
            if not cands and len(span) > 1 and span[0].lower_ in self.directions:
                cands, hint, explicit = self.lookup(span[1:])  # "Northern Europe" -> Europe
            if cands:
                return [self._mention(span, "ner", cands, hint, explicit=explicit)]
            if span[-1].lower_ in self.feature_heads:
                return [self._mention(span, "ner", ())]  # "Plum Island": a feature the gazetteer lacks
            # "Darfur and Malakal" as one entity: the names inside it; else a place the gazetteer lacks
            # "Alachua County Sheriff's Office" tagged GPE: a place nested in a name
            return self._nested(span, "split") or self._nested(span, "nested") or [self._mention(span, "ner", ())]
        if label == "NORP":
            cands = self.gaz.lookup(span.text)
            demonyms = tuple(c for c in cands if c.match == "demonym"
                             or (c.match == "alt" and c.feature in ("country", "region")))
            if demonyms:
                return [self._mention(span, "demonym", demonyms)]
            if cands:  # "Herat" tagged NORP
                return [self._mention(span, "repair", cands, weak=True)]
            return []
        if label == "FAC" or label in REPAIR_LABELS:
            heads = {t.lower_ for t in span}
            if not heads & self.org_heads:
                cands, hint, explicit = self.lookup(span)
                if cands:
                    return [self._mention(span, "repair", cands, hint, weak=True, explicit=explicit)]
            if label in ("ORG", "FAC", "EVENT", "WORK_OF_ART") and span[-1].lower_ not in self.streets:
                return self._nested(span, "nested")
        return []

    def _extend(self, span: Span) -> Span:
        """A place entity cut short by spaCy ("Burkina" of Burkina Faso, "Guinea" of Guinea-Bissau): the longer
        name when the gazetteer has it."""
        doc = span.doc
        for k in (3, 2, 1):
            end = span.end + k
            if end > len(doc) or not (doc[end - 1].pos_ == "PROPN" and doc[end - 1].is_title):
                continue
            between = doc[span.end : end - 1]
            longer = doc[span.start : end]
            if any(not (t.pos_ == "PROPN" or t.lower_ in ("-", "of", "the")) for t in between) or "\n" in longer.text:
                continue
            if any(c.match == "name" for c in self.gaz.lookup(longer.text)):
                return longer
        return span

    @staticmethod
    def _standalone(sub: Span, whole: Span) -> bool:
        """In a place entity, a name inside stands alone when the entity's other words are joined to it by a
        comma or "and" ("Darfur and Malakal"), not when they continue it ("Meadow" of "Meadow Grove")."""
        doc = sub.doc
        before = doc[sub.start - 1] if sub.start > whole.start else None
        after = doc[sub.end] if sub.end < whole.end else None
        joins = (",", "and", "&", "/", "-")
        return (before is None or before.lower_ in joins) and (after is None or after.lower_ in joins)

    def _nested(self, span: Span, source: str) -> list[Mention]:
        """Place names inside a longer name: the longest gazetteer match at each capitalised token."""
        found = []
        i = span.start
        doc = span.doc
        while i < span.end:
            tok = doc[i]
            if not (tok.is_title or (tok.is_upper and len(tok) > 1)) or tok.lower_ in self.org_heads:
                i += 1
                continue
            for j in range(min(span.end, i + _MAX_NAME_TOKENS), i, -1):
                sub = doc[i:j]
                if sub[-1].is_punct or sub[-1].lower_ in ("of", "and", "the"):
                    continue
                if len(sub) == 1 and sub[0].lower_ in self.generic:
                    continue
                if source == "split" and not self._standalone(sub, span):
                    continue
                cands, hint, explicit = self.lookup(sub)
                if cands:
                    found.append(self._mention(sub, source, cands, hint, weak=True, explicit=explicit))
                    i = j
                    break
            else:
                i += 1
        return found

    def _unlabelled(self, doc: Doc, covered: list[bool]) -> list[Mention]:
        """Capitalised proper-noun runs spaCy tagged as nothing ("CHARLESTON" in a dateline)."""
        found = []
        i = 0
        while i < len(doc):
            tok = doc[i]
            if covered[i] or tok.pos_ != "PROPN" or not (tok.is_title or (tok.is_upper and len(tok) > 2)):
                i += 1
                continue
            j = i
            while j < len(doc) and not covered[j] and doc[j].pos_ == "PROPN" and j - i < _MAX_NAME_TOKENS:
                j += 1
            found.extend(self._nested(doc[i:j], "unlabelled"))
            i = j
        return found

    def _qualifiers(self, doc: Doc, text: str, mentions: list[Mention]) -> list[Mention]:
        """ "Alexandria, Va." / "Springfield, Illinois": the state or country after a town, tied to it."""
        by_start = {m.start: m for m in mentions}
        added = []
        for m in list(mentions):
            match = _QUALIFIER.match(text, m.end)
            if not match:
                continue
            start, end = match.span(1)
            qtext = text[start:end].rstrip()
            end = start + len(qtext)
            if qtext.endswith(".") and not re.search(r"\.[A-Za-z]*\.$|^[A-Z][a-z]{1,4}\.$", qtext):
                qtext, end = qtext[:-1], end - 1
            existing = by_start.get(start)
            if existing is not None:
                if any(c.feature in ("admin1", "country") for c in existing.candidates):
                    m.qualifier = existing
                continue
            span = doc.char_span(start, end, alignment_mode="expand")
            if span is None:
                continue
            cands = tuple(c for c in self._usable(span, self.gaz.lookup(qtext))
                          if c.feature in ("admin1", "country"))
            if cands:
                q = Mention(start, end, qtext, "qualifier", cands)
                m.qualifier = q
                by_start[start] = q
                added.append(q)
        return added

    def _references(self, doc: Doc, text: str) -> list[Mention]:
        """ "the eponymous province": a mention whose place is the admin unit named like the place before it."""
        found = []
        if not self._eponymous_re.search(text):
            return found
        for tok in doc[:-1]:
            nxt = tok.nbor()
            if tok.lower_ in self.eponymous and nxt.lower_ in self.ref_nouns:
                span = doc[tok.i : nxt.i + 1]
                found.append(Mention(span.start_char, span.end_char, span.text, "reference",
                                     reference=self.ref_nouns[nxt.lower_]))
        return found
