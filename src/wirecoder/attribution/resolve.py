"""From found attributions to records: speaker and role, outlet, kind, nesting, stance, claims, event links.

The speaker is a name from the article: a pronoun or a description ("the veteran commander") resolves to the
person it stands for, a surname to the full name given earlier, and a source with a descriptor ("Harun
Najafzada, director of news at Volant Media") splits into the name and its role. Actors found by the actors
stage supply names where spaCy's entities miss them; the stage works without them.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span as SpacySpan

from ..records import Attribution, Claim, Span
from .rules import Found

_PERSON_PRONOUNS = frozenset({"he", "she", "him", "her", "his"})
_GROUP_PRONOUNS = frozenset({"they", "them", "it"})
_NAMED = ("PERSON", "ORG", "NORP", "GPE")
_LOOKBACK = 1500  # characters searched backwards for the antecedent of a pronoun or description


def _span(text: str, start: int, end: int) -> Span:
    return Span(start, end, text[start:end])


def _tokens(doc: Doc, rng: tuple[int, int] | None) -> SpacySpan | None:
    return doc[rng[0] : rng[1]] if rng is not None and rng[0] < rng[1] else None


class SpeakerResolver:
    """Names a source: its entity, or the person or group a pronoun or description points back to."""

    def __init__(self, doc: Doc, actors: list):
        self.doc = doc
        self.ents = list(doc.ents)  # Doc.ents builds new spans on every access
        self.people = [e for e in self.ents if e.label_ == "PERSON" and len(e) <= 5]
        self.groups = [e for e in self.ents if e.label_ in ("ORG", "NORP", "GPE")]
        self.actor_spans = []
        for actor in actors or []:
            for mention in getattr(actor, "mentions", None) or []:
                self.actor_spans.append((mention.start, mention.end, getattr(actor, "name", None)))
        self.full_names: dict[str, str] = {}
        for ent in self.people:
            if len(ent) > 1:
                self.full_names.setdefault(ent[-1].text, ent.text)

    def resolve(self, source: SpacySpan) -> tuple[str, str | None]:
        """(speaker, role) of a source span."""
        if len(source) == 1 and source[0].tag_ in ("WP", "WDT") and source[0].head.dep_ == "relcl":
            noun = source[0].head.head  # "locals who had seen": the noun the relative clause describes
            return self.resolve(self.doc[noun.left_edge.i : noun.i + 1])
        if len(source) == 1 and source[0].lower_ in _PERSON_PRONOUNS:
            return self._antecedent(source.start_char, people=True) or source.text, None
        if len(source) == 1 and source[0].lower_ in _GROUP_PRONOUNS:
            return self._antecedent(source.start_char, people=False) or source.text, None
        if len(source) == 1 and source[0].pos_ == "PROPN" and source.text in self.full_names:
            return self.full_names[source.text], None  # a surname alone: the full name given earlier
        ents = [e for e in self.ents if source.start <= e.start and e.end <= source.end and e.label_ in _NAMED]
        person = next((e for e in ents if e.label_ == "PERSON"), None)
        if person is not None:
            name = self.full_names.get(person[-1].text, person.text) if len(person) == 1 else person.text
            return name, _role(source, person)
        root = source.root
        if root.pos_ == "NOUN" and source[0].lower_ in ("the", "this", "that"):
            named = self._described(source)
            if named is not None:
                return named, source.text
        actor = self._actor(source) if root.pos_ == "PROPN" else None  # a name, not "local witnesses"
        if actor is not None:
            return actor, _role(source, None) if len(source) > 1 else None
        if ents and ents[0].label_ in ("ORG", "GPE") and len(ents[0]) >= len(source) - 1:
            return ents[0].text, None
        return source.text, None

    def _antecedent(self, before: int, people: bool) -> str | None:
        """The latest subject-position name before `before`, else the latest name at all."""
        pool = self.people if people else self.groups + self.people
        candidates = [e for e in pool if e.end_char <= before and before - e.end_char < _LOOKBACK]
        if not candidates:
            return None
        subjects = [e for e in candidates if e.root.dep_ in ("nsubj", "nsubjpass") or e.root.head.dep_ == "nsubj"]
        best = max(subjects or candidates, key=lambda e: e.start_char)
        return self.full_names.get(best[-1].text, best.text) if len(best) == 1 else best.text

    def _described(self, source: SpacySpan) -> str | None:
        """"the veteran commander": the latest person introduced with that head noun as a title or apposition."""
        noun = source.root.lemma_.lower()
        for ent in reversed(self.people):
            if ent.end_char > source.start_char or source.start_char - ent.end_char > _LOOKBACK:
                continue
            context = self.doc[max(ent.start - 3, 0) : ent.start]
            described = {t.lemma_.lower() for t in context}
            for tok in ent.root.children:
                if tok.dep_ == "appos":
                    described |= {t.lemma_.lower() for t in tok.subtree}
            if ent.root.dep_ == "appos":
                described.add(ent.root.head.lemma_.lower())
            if noun in described:
                return self.full_names.get(ent[-1].text, ent.text)
        return None

    def _actor(self, source: SpacySpan) -> str | None:
        for start, end, name in self.actor_spans:
            if start < source.end_char and source.start_char < end and name:
                return name
        return None


def _role(source: SpacySpan, person: SpacySpan | None) -> str | None:
    """The descriptor of a source: its apposition, or the words before the name ("Amnesty spokesman X")."""
    root = person.root if person is not None else source.root
    for tok in list(root.children) + ([root.head] if root.dep_ == "appos" else []):
        if tok.dep_ == "appos" and source.start <= tok.i < source.end:
            span = source.doc[tok.left_edge.i : tok.right_edge.i + 1]
            return span.text.strip(" ,")
    if root.dep_ == "appos" and source.start <= root.head.i < source.end and person is not None:
        head = root.head
        return source.doc[head.left_edge.i : person.start].text.strip(" ,") or None
    if person is not None and person.start > source.start:
        text = source.doc[source.start : person.start].text.strip(" ,")
        return text or None
    return None


def _kind(text: str, content: tuple[int, int], quotes: list[tuple[int, int]]) -> str:
    start, end = content
    inside = [(max(s, start), min(e, end)) for s, e in quotes if s < end and start < e]
    if not inside:
        return "indirect"
    quoted = sum(e - s for s, e in inside)
    body = len(text[start:end].strip(" ,.:;\"'“”"))
    return "direct" if quoted >= body else "mixed"


def _stance(item: Found, lexicon: dict) -> str:
    stance = lexicon["stance"]
    if item.obj in stance["claims_responsibility"]:
        return "claims_responsibility"
    for name in ("denies", "accuses", "confirms"):
        if item.cue_lemma in stance[name]:
            return name
    return "asserts"


def build_records(adoc, found: list[Found], quotes: list[tuple[int, int]], lexicon: dict, refine=None):
    """Attribution records in text order, and the claims that tie accusations to denials. `refine(records)`,
    when given, moves span edges once nesting is known (the tagger); the kind is read off the final content."""
    doc, text = adoc.doc, adoc.text  # Doc.text is rebuilt on every access: read it once
    resolver = SpeakerResolver(doc, adoc.actors)
    found = sorted(found, key=lambda f: f.content[0])
    records: list[Attribution] = []
    for n, item in enumerate(found, 1):
        source = _tokens(doc, item.source)
        cue = _tokens(doc, item.cue)
        speaker, role = resolver.resolve(source) if source is not None else (None, None)
        records.append(
            Attribution(
                id=f"q{n}",
                source=_span(text, source.start_char, source.end_char) if source is not None else None,
                speaker=speaker,
                cue=_span(text, cue.start_char, cue.end_char) if cue is not None else None,
                content=_span(text, *item.content),
                kind=_kind(text, item.content, quotes),
                via=_via(doc, item),
                speaker_role=role,
                cue_lemma=item.cue_lemma,
                stance=_stance(item, lexicon),
                confidence=_confidence(item),
            )
        )
    _nest(records)
    records = _keep(records, frozenset(lexicon["verbs"]["speech"]) | frozenset(lexicon["verbs"]["perception"]), quotes)
    if refine is not None:
        refine(records)
        for record in records:
            record.kind = _kind(text, (record.content.start, record.content.end), quotes)
    return records, _claims(doc, records, lexicon)


def _keep(records: list[Attribution], speech: frozenset[str], quotes: list[tuple[int, int]]) -> list[Attribution]:
    """Drop nested attributions whose cue is no verb of saying or seeing: inside a report, "backing the group"
    or "pointing to …" is what the outer source says, not a source of its own. Drop too a report inside a
    quotation that no attribution holds: it is the unknown quoted voice's, and PolNeAR train marks almost none
    (26 of 19,668 cues). Ids are renumbered."""
    kept = [r for r in records if (r.nested_in is None or r.cue_lemma in speech)
            and not (r.nested_in is None and r.cue and any(s <= r.cue.start < e for s, e in quotes))]
    if len(kept) == len(records):
        return records
    ids = {r.id: f"q{n}" for n, r in enumerate(kept, 1)}
    dropped = {r.id: r.nested_in for r in records if r.id not in ids}
    for rec in kept:
        outer = rec.nested_in
        while outer in dropped:  # an attribution nested in a dropped one hangs on that one's outer
            outer = dropped[outer]
        rec.nested_in = ids.get(outer) if outer else None
        rec.id = ids[rec.id]
    return kept


def _via(doc: Doc, item: Found) -> str | None:
    """The outlet a statement was told to ("told The New Arab"); a person or "reporters" is not an outlet."""
    recipient = _tokens(doc, item.recipient)
    if recipient is None or not any(t.pos_ == "PROPN" for t in recipient):
        return None
    if any(e.label_ in ("PERSON", "GPE", "NORP") for e in recipient.ents):
        return None
    return recipient.text


def _confidence(item: Found) -> float:
    """The cue's rate, lowered when no source was found for it."""
    return round(min(item.rate, 0.95) * (1.0 if item.source is not None else 0.7), 3)


def _nest(records: list[Attribution]) -> None:
    """An attribution said inside another's content is nested in it (locals → Najafzada): its cue, source and
    content all lie within that content."""
    for inner in records:
        if inner.cue is None:
            continue
        parts = [inner.cue, inner.content] + ([inner.source] if inner.source else [])
        outers = [
            outer for outer in records
            if outer is not inner and outer.content.end - outer.content.start > inner.content.end - inner.content.start
            and all(outer.content.start <= p.start and p.end <= outer.content.end for p in parts)
            and not (outer.cue and outer.content.start <= outer.cue.start < outer.content.end)
        ]
        if outers:
            inner.nested_in = min(outers, key=lambda o: o.content.end - o.content.start).id


def _claims(doc: Doc, records: list[Attribution], lexicon: dict) -> list[Claim]:
    """Accusations (by stance) and the statements a later denial answers, each tied to that denial."""
    claims: list[Claim] = []
    claim_verbs = frozenset(lexicon["claims"]["verbs"])
    for rec in records:
        if rec.stance == "accuses":
            claims.append(Claim(f"c{len(claims) + 1}", rec.speaker, _target(doc, rec), rec.id, None,
                                rec.content.text))
    for denial in (r for r in records if r.stance == "denies" and r.speaker):
        stem = denial.speaker[:6].lower()
        answered = [c for c in claims if c.target and c.target.lower().startswith(stem) and c.denial is None]
        for rec in records:
            if rec is denial or rec.stance in ("denies", "accuses") or rec.content.start > denial.content.start:
                continue
            if rec.cue_lemma not in claim_verbs:
                continue
            if stem in rec.content.text.lower() and rec.speaker and not rec.speaker.lower().startswith(stem):
                claim = Claim(f"c{len(claims) + 1}", rec.speaker, denial.speaker, rec.id, None, rec.content.text)
                claims.append(claim)
                answered.append(claim)
        for claim in answered:
            claim.denial = denial.id
        if not answered:
            claims.append(Claim(f"c{len(claims) + 1}", None, denial.speaker, None, denial.id, denial.content.text))
    claims.sort(key=lambda c: int(c.claim[1:]) if c.claim else 10**6)
    for n, claim in enumerate(claims, 1):
        claim.id = f"c{n}"
    return claims


def _target(doc: Doc, rec: Attribution) -> str | None:
    """Who an accusation is against: the accused object, or the noun a passive "accused by …" describes."""
    if rec.cue is None:
        return None
    cue = doc.char_span(rec.cue.start, rec.cue.end, alignment_mode="expand")
    if cue is None:
        return None
    verb = cue.root
    for child in verb.children:
        if child.dep_ in ("dobj", "nsubjpass"):
            return doc[child.left_edge.i : child.right_edge.i + 1].text
    if verb.dep_ in ("acl", "relcl", "appos"):
        head = verb.head
        return head.text if head.pos_ == "PROPN" else doc[head.left_edge.i : head.i + 1].text
    before = verb.i - 1
    while before >= 0 and doc[before].is_punct:
        before -= 1
    if before >= 0 and before < verb.i - 1 and doc[before].pos_ in ("PROPN", "NOUN"):
        return doc[before].text  # "Pakistan – accused by many Afghans of …"
    return None


def link_events(events: list, attributions: list[Attribution]) -> None:
    """Each event points to the innermost attribution whose content holds its trigger, else stays None."""
    for event in events or []:
        trigger = getattr(event, "trigger", None)
        if trigger is None:
            continue
        holders = [a for a in attributions if a.content.start <= trigger.start and trigger.end <= a.content.end]
        if holders:
            event.attribution = min(holders, key=lambda a: a.content.end - a.content.start).id
