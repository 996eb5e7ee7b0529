"""Events: what happened, who did it to whom, where, when, how many died, and how sure the text is.

Per sentence, trigger words are found and grouped into events (`detect`); each event is typed by the typer on its
clause, restricted to the types its trigger can mean, and coded in ACLED/CAMEO/PLOVER by the codebook. Actors
come from the dependency roles of the trigger (subject, agent, object, "on/against" phrases, possessors) mapped to
the actor stage's mentions; location from `location.locate_event`; date from the date mention the trigger
governs, else the publication date at week precision; fatalities and modality from their lexicons.
Then, ACLED's conventions fill what a sentence leaves implicit: an attack on state forces is a battle; an armed
group's assault on a place held by the state is fought against that state's forces; a violent event without a
named perpetrator in a story about one armed group is (with less confidence) that group's. An event named
again later ("the attack", "the blast") joins the first record as more evidence.
"""

from __future__ import annotations

import dataclasses
import functools
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Token

from ..actors import token_actor_map
from ..actors.lexicon import load_lexicon
from ..dates import parse_published
from ..records import Actor, Event, Place
from .codebook import describe
from .detect import Trigger, find_events, load_detection
from .fatalities import death_words, fatalities
from .location import MAX_COST, locate_event, path_cost
from .modality import modality
from .typing import classify, classify_doc

_VIOLENT = {"Battles", "Explosions/Remote violence", "Violence against civilians"}
_SITED = _VIOLENT | {"Protests", "Riots"}
_SITED_TYPES = {"HQ_ESTABLISHED", "PROPERTY_DISTRUCT", "ARREST", "DISR_WEAP", "NON_VIOL_TERRIT_TRANSFER"}
_CLAUSE_SPLIT = {"conj", "parataxis", "ccomp", "advcl"}
_DEFINITE = {"the", "this", "that", "these", "those"}
_LIKE = {"like", "as"}
# event nouns that refer back to an event already told ("the attack", "the blast")
_LEAD_CHARS = 2000
_ANAPHORIC_NOUNS = {"attack", "assault", "blast", "explosion", "bombing", "raid", "strike", "incident", "ambush",
                    "shooting", "killing", "violence", "operation", "airstrike", "massacre", "kidnapping"}


@dataclass
class _Draft:
    trigger: Trigger
    head: Token  # the verb whose roles give the actors
    code: str
    score: float
    mode: str | None
    evidence: list[tuple[int, int]]
    actor1: str | None = None
    actor2: str | None = None
    assoc: list[str] = field(default_factory=list)
    inferred: set[str] = field(default_factory=set)
    place: Place | None = None
    date: Any = None
    fatalities: int | None = None
    fatalities_range: tuple[int, int] | None = None
    modality: str = "asserted"
    sentence: int = 0


def clause_head(token: Token) -> Token:
    """The verb whose clause holds the token (the token itself when it is a verb)."""
    node = token
    for _ in range(6):
        if node.pos_ in ("VERB", "AUX") or node.head.i == node.i:
            return node
        node = node.head
    return node


def clause_span(head: Token, keep: Token) -> tuple[int, int]:
    """Character range of a clause: the head's subtree without the clauses joined to it (unless they hold `keep`)."""
    tokens = {t.i for t in head.subtree}
    for child in head.children:
        if child.dep_ in _CLAUSE_SPLIT and child.i != keep.i and not child.is_ancestor(keep):
            tokens -= {t.i for t in child.subtree}
    sent = head.sent
    tokens &= set(range(sent.start, sent.end))
    doc = head.doc
    first, last = doc[min(tokens)], doc[max(tokens)]
    while last.is_punct and last.i > first.i:
        last = doc[last.i - 1]
    return first.idx, last.idx + len(last)


@functools.lru_cache(maxsize=1024)
def _classify(text: str, trigger: str) -> list[tuple[str, float]]:
    """The typer's ranking, once per clause: several triggers of one clause share it."""
    return classify(text, trigger)


def _type(trigger: Trigger, text: str, crowd: bool) -> tuple[str, float, str | None]:
    """Type code, typer score and mode hint of a trigger group over its clause text (`crowd`: the clause's
    sentence has protesters or rioters; without them the protest and riot types are out)."""
    specific = [t for t in trigger.folded if not t.casualty]
    lead = specific[0] if trigger.casualty and specific else trigger
    others = [t for t in specific if t is not lead] if specific else trigger.folded
    allowed = list(dict.fromkeys(lead.types + tuple(c for t in others for c in t.types)))
    if not crowd:
        allowed = [c for c in allowed if c not in load_detection().crowd_types] or allowed
    ranked = _classify(text, lead.token.text) if len(allowed) != 1 else [(allowed[0], 0.8)]
    code, score = next(((c, s) for c, s in ranked if not allowed or c in allowed), (None, 0.0))
    if code is None:
        code, score = (allowed[0], 0.3) if allowed else (ranked[0] if ranked else ("OTHER", 0.1))
    # a folded word sets the manner only of a bare casualty ("killed in a targeted assassination")
    mode = lead.mode or (next((t.mode for t in trigger.folded if t.mode), None) if trigger.casualty else None)
    if mode is None and code == "AIR_STRIKE" and "drone" in text.lower():
        mode = "drone"
    return code, score, mode


def _phrase_actor(node: Token, actor_of: dict[int, str], depth: int = 3) -> str | None:
    """The actor a noun phrase names: its head's, else the nearest inside it (not inside its clauses)."""
    if node.i in actor_of:
        return actor_of[node.i]
    if depth == 0:
        return None
    for child in node.children:
        if child.dep_ in ("relcl", "acl", "conj", "advcl", "ccomp", "appos", "cc", "punct"):
            continue
        found = _phrase_actor(child, actor_of, depth - 1)
        if found is not None:
            return found
    return None


def _actor_of(token: Token, actor_of: dict[int, str]) -> list[str]:
    """Actors an argument phrase names, its conjuncts included ("the army and the police")."""
    out = []
    for node in [token, *token.conjuncts]:
        found = _phrase_actor(node, actor_of)
        if found is not None and found not in out:
            out.append(found)
    return out


def _roles(trigger: Trigger, head: Token, actor_of: dict[int, str]) -> tuple[list[str], list[str]]:
    """(agents, patients) of an event from the parse around its trigger words and head verb."""
    agents: list[str] = []
    patients: list[str] = []
    nouns = [t for t in trigger.tokens if t.pos_ in ("NOUN", "PROPN")]
    trigger_verbs = {t.i for t in trigger.tokens if t.pos_ in ("VERB", "AUX")}
    for noun in nouns:
        # "the Taliban advance was repelled": the owner of a noun that undergoes the verb is its patient
        owners = patients if noun.dep_ in ("nsubjpass", "dobj") and noun.head.i in trigger_verbs else agents
        if noun.i in actor_of:  # "US airstrikes": the trigger names its own actor
            owners.append(actor_of[noun.i])
        for child in noun.children:
            if child.dep_ in ("poss", "compound", "amod", "nmod") and child.i < noun.i:
                owners += _actor_of(child, actor_of)
            elif child.dep_ == "prep" and child.lower_ in ("by", "from"):
                agents += [a for c in child.children for a in _actor_of(c, actor_of)]
            elif child.dep_ == "prep" and child.lower_ in ("on", "against", "upon"):
                patients += [a for c in child.children for a in _actor_of(c, actor_of)]
            elif child.dep_ == "prep" and child.lower_ == "between":
                both = [a for c in child.children for a in _actor_of(c, actor_of)]
                agents += both[:1]
                patients += both[1:]
    verbs = [head] if head.pos_ in ("VERB", "AUX") else []
    verbs += [t for t in trigger.tokens if t.pos_ in ("VERB", "AUX") and t.i != head.i]
    for verb in verbs:
        passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)
        subject = None
        for child in verb.children:
            if child.dep_ == "nsubj":
                subject = child
            elif child.dep_ == "agent":
                agents += [a for c in child.children for a in _actor_of(c, actor_of)]
            elif child.dep_ == "nsubjpass" or (child.dep_ == "dobj" and not passive):
                if child.i not in {n.i for n in nouns}:
                    patients += _actor_of(child, actor_of)
            elif child.dep_ == "prep" and child.lower_ in ("against", "on", "with", "upon"):
                if not any(c.i in {n.i for n in nouns} for c in child.children):
                    patients += [a for c in child.children for a in _actor_of(c, actor_of)]
        node = verb
        for _ in range(3):  # "forces had been able to clear…": the subject of the verb it continues
            if subject is not None or node.dep_ not in ("xcomp", "acomp", "advcl", "conj", "pcomp", "ccomp"):
                break
            if node.dep_ == "ccomp":
                break
            node = node.head
            subject = next((c for c in node.children if c.dep_ == "nsubj"), None)
        if subject is not None and subject.i not in {n.i for n in nouns}:
            names = _actor_of(subject, actor_of)
            if verb.lemma_ in ("come", "face", "suffer"):  # "Herat came under attack": the subject is the target
                patients += names
            else:
                agents += names
        elif subject is not None and subject.i in actor_of:
            agents.append(actor_of[subject.i])
    agents = list(dict.fromkeys(agents))
    patients = [p for p in dict.fromkeys(patients) if p not in agents]
    return agents, patients


def _date_for(adoc, tokens: list[Token]):
    """The date mention the event's words govern, if one in the sentence resolves."""
    doc = adoc.doc
    sent = tokens[0].sent
    best = None
    for mention in adoc.dates:
        if mention.value is None or not (sent.start_char <= mention.start < sent.end_char):
            continue
        span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
        if span is None:
            continue
        cost = min(path_cost(t, span.root) for t in tokens)
        if cost <= MAX_COST and (best is None or cost < best[0]):
            best = (cost, mention)
    return best[1] if best else None


def _like_places(adoc, head: Token, trigger: Token) -> list[Place]:
    """Places compared with the event's site ("which, like Kandahar and Lashkar Gah, has been besieged")."""
    preps = [c for node in (trigger, head) for c in node.children if c.dep_ == "prep" and c.lower_ in _LIKE]
    # "X, like Y and Z in the south, has been besieged": the aside just before the verb, however it is parsed
    # (the text is read first: most sentences have no "like" before the verb, and walking tokens is what costs)
    sent = trigger.sent
    if "like" in adoc.text[sent.start_char:trigger.idx].lower():
        for tok in sent:
            if tok.i < trigger.i and tok.dep_ == "prep" and tok.lower_ == "like" and tok not in preps:
                between = trigger.doc[tok.right_edge.i + 1:trigger.i]
                if all(t.is_punct or t.dep_ in ("aux", "auxpass", "advmod", "neg") for t in between):
                    preps.append(tok)
    out = []
    for prep in preps:
        for obj in prep.children:
            if obj.dep_ != "pobj":
                continue
            for tok in [obj, *obj.conjuncts]:
                out += [p for p in adoc.places if p.start <= tok.idx < p.end and p.geonameid]
    return list({id(p): p for p in out}.values())


class _Context:
    """What the article says beyond one sentence: its armed groups, its country, its state forces."""

    def __init__(self, adoc):
        self.adoc = adoc
        counts = Counter()
        for actor in adoc.actors:
            if actor.inter in (2, 3, 4):
                counts[actor.id] += len(actor.mentions)
        self.main_group = counts.most_common(1)[0][0] if counts else None
        countries = Counter(p.country for p in adoc.places if p.country)
        self.country = countries.most_common(1)[0][0] if countries else None

    def actor(self, actor_id: str | None) -> Actor | None:
        return next((a for a in self.adoc.actors if a.id == actor_id), None)

    def state_forces(self, country: str | None) -> str | None:
        """The state forces actor of a country, made (without mentions) when the text has none."""
        if country is None:
            return None
        for actor in self.adoc.actors:
            if actor.country == country and (actor.code or "").endswith("MIL"):
                return actor.id
        info = load_lexicon().countries.get(country)
        if info is None:
            return None
        actor = Actor(id=f"a{len(self.adoc.actors) + 1}", name=f"Military Forces of {info.name}",
                      type="state forces", inter=1, code=f"{info.iso3}MIL", country=country, confidence=0.3)
        self.adoc.actors.append(actor)
        return actor.id


def _conventions(draft: _Draft, ctx: _Context) -> None:
    """ACLED's coding conventions for what a sentence leaves implicit (see the module docstring)."""
    a1, a2 = ctx.actor(draft.actor1), ctx.actor(draft.actor2)
    if draft.code == "ARMED_CLASH" and draft.mode == "take" and a1 is not None:
        draft.code = "GOV_REGAINS_TERIT" if a1.inter == 1 else "NON_STATE_ACTOR_OVERTAKES_TER"
    if draft.code == "ATTACK" and a2 is not None and a2.inter in (1, 2, 3, 8) and a2.code and \
            a2.code.endswith(("MIL", "COP", "REB", "UAF")):
        draft.code = "ARMED_CLASH"  # violence against civilians needs civilian victims
    if draft.code == "GOV_REGAINS_TERIT" and a1 is not None and a1.inter in (2, 3, 4):
        draft.code = "NON_STATE_ACTOR_OVERTAKES_TER"
    if draft.code == "NON_STATE_ACTOR_OVERTAKES_TER" and a1 is not None and a1.inter == 1 and (
            a2 is None or a2.inter != 1):
        draft.code = "GOV_REGAINS_TERIT"
    family = (describe(draft.code)["acled"] or {}).get("event_type")
    if family in _VIOLENT and draft.actor1 is None and ctx.main_group and ctx.main_group != draft.actor2:
        draft.actor1 = ctx.main_group
        draft.inferred.add("actor1")
        a1 = ctx.actor(draft.actor1)
    if draft.code in ("ARMED_CLASH", "NON_STATE_ACTOR_OVERTAKES_TER") and draft.actor2 is None and a1 is not None \
            and a1.inter in (2, 3, 4):
        country = (draft.place.country if draft.place is not None else None) or ctx.country
        if country and country == (a1.country or country):
            draft.actor2 = ctx.state_forces(country)
            draft.inferred.add("actor2")


def make_stage(config: dict[str, Any]):
    lex = load_detection()

    def events_stage(adoc) -> None:
        doc = adoc.doc
        actor_of = token_actor_map(adoc)
        ctx = _Context(adoc)
        published = parse_published(adoc.article.published)
        drafts: list[_Draft] = []
        places: dict = {}  # sentence -> candidate places, shared by its events
        for n, sent in enumerate(doc.sents):
            triggers = find_events(sent, lex)
            crowd = bool(triggers) and any(t.lemma_.lower() in lex.crowd for t in sent)  # a protest nearby
            for trigger in triggers:
                drafts += _drafts(adoc, trigger, n, crowd, actor_of, places)
        _nest(drafts)
        for draft in drafts:
            _conventions(draft, ctx)
        drafts = _merge_mentions(drafts)
        for draft in drafts:
            adoc.events.append(_record(adoc, draft, len(adoc.events) + 1, published))
        adoc.primary_event = _primary(adoc)

    return events_stage


def _drafts(adoc, trigger: Trigger, sentence: int, crowd: bool, actor_of: dict[int, str],
            places: dict) -> list[_Draft]:
    """The event of one trigger group, and one more per place it is compared with ("like Kandahar"); `crowd`:
    whether its sentence has a crowd word."""
    tok = trigger.token
    head = clause_head(tok)
    span = clause_span(head, tok)
    code, score, mode = _type(trigger, adoc.text[span[0]:span[1]], crowd)
    agents, patients = _roles(trigger, head, actor_of)
    if mode == "withdraw":  # "government forces fell back": the subject gives the ground up
        agents, patients = patients, agents
    draft = _Draft(trigger, head, code, score, mode, [span], sentence=sentence)
    if agents:
        draft.actor1 = agents[0]
    if patients:
        draft.actor2 = patients[0]
    draft.assoc = [a for a in agents[1:] + patients[1:] if a not in (draft.actor1, draft.actor2)]
    family = (describe(code)["acled"] or {}).get("event_type")
    sited = family in _SITED or code in _SITED_TYPES
    for t in trigger.tokens:
        draft.place = locate_event(adoc, t.idx, t.idx + len(t), cache=places)
        if draft.place is not None:
            break
    if draft.place is None and sited:
        draft.place = locate_event(adoc, tok.idx, tok.idx + len(tok), use_article=True, cache=places)
    draft.date = _date_for(adoc, trigger.tokens)
    number, rng = fatalities(death_words(trigger.tokens))
    draft.fatalities, draft.fatalities_range = number, rng
    draft.modality = modality(tok, trigger.key.split()[0] if tok.pos_ in ("VERB", "AUX") else None)
    if code == "ATTRIB" and draft.modality in ("denied", "claimed"):
        draft.mode = {"denied": "deny", "claimed": "claim"}[draft.modality]  # CAMEO/PLOVER of a denial differ
    out = [draft]
    for place in _like_places(adoc, head, tok):
        if draft.place is None or place.geonameid != draft.place.geonameid:
            out.append(dataclasses.replace(draft, evidence=[span, (place.start, place.end)], place=place,
                                           assoc=list(draft.assoc), inferred=set(draft.inferred),
                                           fatalities=None, fatalities_range=None))
    return out


def _nest(drafts: list[_Draft]) -> None:
    """An event told inside a phrase of another event's clause takes the arguments it lacks from that event
    ("forces – aided with US airstrikes – cleared the Taliban from areas around the city")."""
    for inner in drafts:
        if inner.trigger.token.pos_ not in ("NOUN", "PROPN"):
            continue
        for outer in drafts:
            if outer is inner or outer.sentence != inner.sentence:
                continue
            top = outer.head
            while top.dep_ in ("xcomp", "acomp") and top.head.i != top.i:
                top = top.head
            if not top.is_ancestor(inner.trigger.token) or outer.head.i == inner.head.i:
                continue
            if inner.actor2 is None and outer.actor2 not in (None, inner.actor1):
                inner.actor2 = outer.actor2
            if inner.place is None:
                inner.place = outer.place
            inner.date = inner.date or outer.date
            break


def _definite(token: Token) -> bool:
    return token.pos_ in ("NOUN", "PROPN") and any(
        c.dep_ == "det" and c.lower_ in _DEFINITE for c in token.children)


def _merge_mentions(drafts: list[_Draft]) -> list[_Draft]:
    """Join an event named again in a later sentence ("the attack", "the blast") to its first telling."""
    kept: list[_Draft] = []
    for draft in drafts:
        target = None
        nouns = [t for t in draft.trigger.tokens if _definite(t)]
        if nouns and (draft.actor1 is None or "actor1" in draft.inferred):
            tok = nouns[0]
            allowed = set(draft.trigger.types) | {c for t in draft.trigger.folded for c in t.types}
            for earlier in reversed(kept):
                lemmas = {t.lemma_.lower() for t in earlier.trigger.tokens}
                if tok.lemma_.lower() not in lemmas | _ANAPHORIC_NOUNS:
                    continue
                if earlier.sentence < draft.sentence and (earlier.code == draft.code or earlier.code in allowed) and (
                        draft.place is None or earlier.place is None
                        or earlier.place.geonameid == draft.place.geonameid):
                    target = earlier
                    break
        if target is None:
            kept.append(draft)
            continue
        target.evidence += draft.evidence
        target.place = target.place or draft.place
        target.date = target.date or draft.date
        if draft.fatalities is not None and (target.fatalities or 0) < draft.fatalities:
            target.fatalities = draft.fatalities
        target.fatalities_range = target.fatalities_range or draft.fatalities_range
        target.actor2 = target.actor2 or draft.actor2
    return kept


def _record(adoc, draft: _Draft, number: int, published) -> Event:
    if draft.place is not None and not draft.place.id:
        draft.place.id = f"p{len(adoc.places) + 1}"
        adoc.places.append(draft.place)
    coded = describe(draft.code, draft.mode)
    tok = draft.trigger.token
    date_value = draft.date.value if draft.date is not None else (published.isoformat() if published else None)
    precision = draft.date.precision if draft.date is not None else ("week" if published else None)
    confidence = 0.45 + 0.3 * draft.score + (0.1 if draft.actor1 and "actor1" not in draft.inferred else 0.0) \
        + (0.1 if draft.place is not None else 0.0)
    return Event(
        id=f"e{number}",
        trigger=adoc.span(tok.idx, tok.idx + len(tok)),
        evidence=[adoc.span(s, e) for s, e in draft.evidence],
        type=draft.code,
        acled=coded["acled"],
        cameo=coded["cameo"],
        plover=coded["plover"],
        actor1=draft.actor1,
        actor2=draft.actor2,
        assoc_actors=draft.assoc,
        location=draft.place.id if draft.place is not None else None,
        date=draft.date.id if draft.date is not None else None,
        date_value=date_value,
        date_precision=precision,
        fatalities=draft.fatalities,
        fatalities_range=list(draft.fatalities_range) if draft.fatalities_range else None,
        modality=draft.modality,
        confidence=round(min(confidence, 0.95), 3),
    )


def _primary(adoc) -> str | None:
    """The event a one-label reading of the text names: the typer's label on its lead, first told.

    The lead (the first couple of thousand characters) carries a report's main event; typing it rather than
    a long article's every paragraph keeps the stage cheap.
    """
    if not adoc.events:
        return None
    ranked = classify_doc(adoc.text[:_LEAD_CHARS])
    if ranked:
        label = ranked[0][0]
        for event in adoc.events:
            if event.type == label:
                return event.id
    return max(adoc.events, key=lambda e: (e.confidence, -e.trigger.start)).id
