"""Events: what happened, who did it to whom, where, when, how many died, and how sure the text is.

Per sentence, trigger words are found and grouped into candidate events (`detect`). Whether a candidate is an
event, and of which type, is learned (`model`): the event model reads each candidate sentence (its words and the
trigger lexicon's scores) and, once per article, the lead with the sentence encoder's vector of it (`encoder`).
A candidate becomes an ACLED-kind event when the sentence's event probability reaches `[events] threshold`, typed
by the model's ranking of the types its trigger can mean; diplomatic, crime, disaster and responsibility events
need their type's own probability, and verbal events (meetings, praise, appeals, threats...) their CAMEO class's.
Each event is coded in ACLED/CAMEO/PLOVER by the codebook. Actors come from the dependency roles of the trigger
(subject, agent, object, "on/against" phrases, possessors) mapped to the actor stage's mentions, and a learned
role tagger fills the roles these leave empty; location from a learned model over the sentence's candidate
places (`arguments`, see docs/arguments.md); date from the date mention the trigger governs, else the publication
date at week precision; fatalities and modality from their lexicons.
Then, ACLED's conventions fill what a sentence leaves implicit: an attack on state forces is a battle; an armed
group's assault on a place held by the state is fought against that state's forces; a violent event without a
named perpetrator in a story about one armed group is (with less confidence) that group's. Mentions of one
happening become one event, as ACLED counts them: an event named again later ("the attack", "the blast") and
mentions of the same type (or a generic and a more specific one) at the same place with the same actors and no
different date join the first record, which keeps all their evidence and the most specific type, place, date and
toll. The primary event is the one the lead's one-label reading names.
"""

from __future__ import annotations

import dataclasses
import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Token

from ..actors import token_actor_map
from ..actors.lexicon import load_lexicon
from ..dates import parse_published
from ..errors import ConfigError
from ..records import Actor, Event, Place
from .codebook import ACLED_CODES, TYPE_CODES, attack_family, cameo_class, class_root, describe, mode_for
from .detect import Trigger, find_events, load_detection, match_trigger
from .encoder import load_encoder
from .arguments import ArgumentModels, Arguments
from .fatalities import death_words, fatalities
from . import location as location_rules
from .location import MAX_COST, path_cost
from .modality import modality
from .model import lead_text, load_model
from .typing import yields

_ACLED = frozenset(ACLED_CODES)
# the types of a violent event told without its means: a closer mention may name them ("the bomb went off")
_GENERIC = frozenset({"ATTACK", "ARMED_CLASH"})
_VIOLENT = {"Battles", "Explosions/Remote violence", "Violence against civilians"}
_SITED = _VIOLENT | {"Protests", "Riots"}
_SITED_TYPES = {"HQ_ESTABLISHED", "PROPERTY_DISTRUCT", "ARREST", "DISR_WEAP", "NON_VIOL_TERRIT_TRANSFER"}
_CLAUSE_SPLIT = {"conj", "parataxis", "ccomp", "advcl"}
_DEFINITE = {"the", "this", "that", "these", "those"}
_LIKE = {"like", "as"}
# event nouns that refer back to an event already told ("the attack", "the blast")
_ANAPHORIC_NOUNS = {"attack", "assault", "blast", "explosion", "bombing", "raid", "strike", "incident", "ambush",
                    "shooting", "killing", "violence", "operation", "airstrike", "massacre", "kidnapping"}


@dataclass
class _Draft:
    trigger: Trigger
    head: Token  # the verb whose roles give the actors
    code: str
    score: float  # how sure the model is of the event and its type
    mode: str | None
    evidence: list[tuple[int, int]]
    cameo: str | None = None  # a verbal event's CAMEO code, where the trigger gives one
    actor1: str | None = None
    actor2: str | None = None
    assoc: list[str] = field(default_factory=list)
    inferred: set[str] = field(default_factory=set)  # roles filled by ACLED's conventions: guesses
    learned: set[str] = field(default_factory=set)  # roles the tagger filled where the parse rules found none
    place: Place | None = None
    date: Any = None
    fatalities: int | None = None
    fatalities_range: tuple[int, int] | None = None
    modality: str = "asserted"
    sentence: int = 0


@dataclass(frozen=True)
class _Thresholds:
    """`[events]` settings: the probabilities a candidate needs to become an event."""

    event: float  # ACLED-kind events: the sentence's event probability
    type: float  # ACLED-kind events: their type's share among the types the trigger allows
    other: float  # diplomatic, responsibility, crime and disaster events: their type's probability
    cameo: float  # verbal events: the probability of their CAMEO class

    @classmethod
    def from_config(cls, settings: dict[str, Any]) -> "_Thresholds":
        names = ("threshold", "type_threshold", "other_threshold", "cameo_threshold")
        try:
            values = [float(settings[name]) for name in names]
        except (KeyError, TypeError, ValueError) as exc:
            raise ConfigError(f"[events] needs numbers {', '.join(names)}: {exc}") from exc
        if not all(0.0 <= v <= 1.0 for v in values):
            raise ConfigError(f"[events] thresholds are probabilities between 0 and 1, not {values}")
        return cls(*values)


def clause_head(token: Token) -> Token:
    """The verb whose clause holds the token (the token itself when it is a verb)."""
    node = token
    for _ in range(6):
        if node.pos_ in ("VERB", "AUX") or node.head.i == node.i:
            return node
        node = node.head
    return node


def _shares_subject(verb: Token) -> bool:
    return verb.pos_ in ("VERB", "AUX") and not any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in verb.children)


def _tells_more(child: Token) -> bool:
    """Whether a clause joined to an event's verb tells more of the same happening: a verb that shares its
    subject ("shot and killed") or a participle ("attacked the town, killing 60")."""
    return _shares_subject(child) and (child.dep_ == "conj" or (child.dep_ == "advcl" and child.tag_ == "VBG"))


def event_head(head: Token) -> Token:
    """The first of the verbs that tell one happening: "gunmen broke into a ranch and shot dead five" -> "broke"."""
    while head.dep_ == "conj" and _shares_subject(head) and head.head.pos_ in ("VERB", "AUX"):
        head = head.head
    return head


def clause_span(head: Token, keep: Token) -> tuple[int, int]:
    """Character range of a clause: the head's subtree without the clauses joined to it (unless they hold `keep`
    or tell more of the same happening)."""
    tokens = {t.i for t in head.subtree}
    for child in head.children:
        if child.dep_ in _CLAUSE_SPLIT and child.i != keep.i and not child.is_ancestor(keep) \
                and not _tells_more(child):
            tokens -= {t.i for t in child.subtree}
    sent = head.sent
    tokens &= set(range(sent.start, sent.end))
    doc = head.doc
    first, last = doc[min(tokens)], doc[max(tokens)]
    while last.is_punct and last.i > first.i:
        last = doc[last.i - 1]
    return first.idx, last.idx + len(last)


def _allowed(trigger: Trigger, crowd: bool) -> tuple[str, ...]:
    """The types a trigger group can mean: its lead word's, then its folded words' (the casualty word of
    "killed in a targeted assassination" defers to the more specific one); without a crowd in the sentence, no
    protest or riot type."""
    specific = [t for t in trigger.folded if not t.casualty]
    lead = specific[0] if trigger.casualty and specific else trigger
    others = [t for t in specific if t is not lead] if specific else trigger.folded
    allowed = list(dict.fromkeys(lead.types + tuple(c for t in others for c in t.types))) or list(TYPE_CODES)
    if not crowd:
        allowed = [c for c in allowed if c not in load_detection().crowd_types] or allowed
    return tuple(allowed)


def _mode(trigger: Trigger, code: str, text: str) -> str | None:
    """The codebook mode hint of an event: its trigger's, else a folded word's for a bare casualty
    ("killed in a targeted assassination"), else the one the codebook's cues read off its words, then its clause
    ("threatened" is a threat; "killed in a targeted assassination" is targeted)."""
    specific = [t for t in trigger.folded if not t.casualty]
    lead = specific[0] if trigger.casualty and specific else trigger
    mode = lead.mode or (next((t.mode for t in trigger.folded if t.mode), None) if trigger.casualty else None)
    return mode or mode_for(code, " ".join(t.text for t in trigger.tokens)) or mode_for(code, text)


def _support(code: str, families: dict[str, float]) -> float:
    """How far the article backs an attack type: fully from even odds of its family up, less below."""
    family = attack_family(code)
    return min(1.0, 2 * families[family]) if family else 1.0


def _decide(allowed: tuple[str, ...], types: dict[str, float], p_event: float, cameo: dict[str, float],
            verbal: str | None, limits: _Thresholds,
            families: dict[str, float]) -> tuple[str, float, str | None] | None:
    """(type, confidence, CAMEO code) of a candidate, or None when it is no event.

    The sentence's event probability splits the candidate between the ACLED types its trigger allows and the
    others (disasters, crime, diplomacy, responsibility), and the type model ranks the types within each part.
    An attack type ranks only as high as the article reads as that kind of attack (`families`: an armed
    assault, a bombing, a kidnapping, each yes/no; below even odds its rank shrinks with it): a "firing" in a
    shooting is no shelling. The likeliest type that holds wins: an ACLED one holds when the event probability
    reaches the threshold, another one when the type model gives it enough probability. A trigger that names a
    CAMEO act (`verbal`: "met" 040, "released" 084) and is no event of those types is a diplomatic event when the
    model reads that act's CAMEO class in the sentence."""
    support = {c: _support(c, families) for c in allowed}
    acled = [c for c in allowed if c in _ACLED]
    other = [c for c in allowed if c not in _ACLED]
    acled_mass = sum(types.get(c, 0.0) for c in acled) or 1.0
    other_mass = sum(types.get(c, 0.0) for c in other) or 1.0
    share = {c: p_event * support[c] * types.get(c, 0.0) / acled_mass for c in acled}
    share.update({c: (1 - p_event) * types.get(c, 0.0) / other_mass for c in other})
    for code in sorted(share, key=lambda c: -share[c]):
        if code in _ACLED and p_event >= limits.event and share[code] >= limits.type * p_event:
            return code, share[code], None
        if code not in _ACLED and types.get(code, 0.0) >= limits.other:
            return code, types[code], verbal if code == "DIPLO" else None
    if verbal is not None:
        p_class = cameo.get(cameo_class(verbal), 0.0)
        if p_class >= limits.cameo and p_class == max(cameo.values()):
            return "DIPLO", p_class, verbal
    return None


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
    settings = config["events"]
    lex = load_detection()
    model = load_model(settings["model"])
    encoder = load_encoder(settings["encoder"], model.encoder_tokens)
    limits = _Thresholds.from_config(settings)
    arguments = ArgumentModels(settings, config.get("actors", {}).get("path") or None)

    def events_stage(adoc) -> None:
        doc = adoc.doc
        lead = lead_text(adoc.text)
        if not lead:
            return
        lead_end = len(adoc.text) - len(adoc.text.lstrip()) + len(lead)
        # the lead, read once with the encoder: the article's main event and the context of its first sentences
        overview = model.predict(lead, encoder.embed([lead])[0])
        actor_of = token_actor_map(adoc)
        ctx = _Context(adoc)
        published = parse_published(adoc.article.published)
        drafts: list[_Draft] = []
        places = arguments.article(adoc, actor_of)  # the actor and place finders, shared by its events
        for n, sent in enumerate(doc.sents):
            triggers = find_events(sent, lex)
            if not triggers:
                continue
            view = model.predict(sent.text, heads=("event", "type", "cameo"))
            view["family"] = overview["family"]
            # an event needs the article to be news of such events as much as the sentence to tell one
            view["event"] = {"event": math.sqrt(view["event"]["event"] * overview["event"]["event"])}
            if sent.start_char < lead_end:
                view = _blend(view, overview, ("type", "cameo"))
            crowd = any(t.lemma_.lower() in lex.crowd for t in sent)  # a protest nearby
            for trigger in triggers:
                drafts += _drafts(adoc, trigger, n, crowd, actor_of, places, view, model, limits)
        if not any(d.trigger.token.idx < lead_end for d in drafts):
            drafts += _lead_event(adoc, overview, lead_end, actor_of, places, lex, limits)
        if not drafts:
            return
        _nest(drafts)
        for draft in drafts:
            _conventions(draft, ctx)
        drafts = _merge_happenings(_merge_mentions(drafts))
        for draft in drafts:
            adoc.events.append(_record(adoc, draft, len(adoc.events) + 1, published))
        adoc.primary_event = _primary(adoc, drafts, overview, lead_end, limits)

    return events_stage


def _blend(view: dict, overview: dict, heads: tuple[str, ...]) -> dict:
    """A lead sentence's reading of `heads` averaged with the whole lead's (which the encoder also read)."""
    return {head: {label: (p + overview[head][label]) / 2 for label, p in labels.items()} if head in heads else labels
            for head, labels in view.items()}


_VERBAL_CLASSES = ("statement", "verbal_cooperation", "material_cooperation", "verbal_conflict")
_POLITICAL_ENTS = {"ORG", "GPE", "NORP", "PERSON"}


# how sure the lead's reading must be of a type to name the article's main event by itself
_SURE = 0.5


def _lead_reading(overview: dict, limits: _Thresholds) -> tuple[str, float] | None:
    """(type, probability) of the article's main event as its lead reads, when that reading is sure enough: an
    ACLED-kind type of which the lead is sure, in a lead that tells an event (the geometric mean of the two
    probabilities at the threshold); an attack type only as far as the lead reads as its family of attack. Other
    types are left to the trigger words and the CAMEO reading."""
    types = {c: p * _support(c, overview["family"]) for c, p in overview["type"].items()}
    best = max(types, key=types.get)
    if best not in _ACLED or types[best] < _SURE:
        return None
    if math.sqrt(overview["event"]["event"] * types[best]) < limits.event:
        return None
    return best, types[best]


def _lead_event(adoc, overview: dict, lead_end: int, actor_of: dict[int, str], places: Arguments, lex,
                limits: _Thresholds) -> list[_Draft]:
    """The lead's event when no trigger word in it makes one ("chlorine gas sickened five people", "X received the
    ambassador", "the minister expressed concern"), at the main verb of its first sentence that has one: of the
    type the lead reads when it is sure of one, else a verbal event when the lead reads as a statement (told by a
    verb of speech or stance), cooperation or verbal conflict and a named actor is the verb's subject (its CAMEO
    code the verb's own when the lexicon knows it in that class, else the class's root)."""
    sent = next((s for s in adoc.doc.sents if s.start_char < lead_end and s.root.pos_ in ("VERB", "AUX")), None)
    if sent is None:  # a lead without a verb: a headline, a dateline
        return []
    verb = sent.root
    known = match_trigger(verb, lex)
    classes = overview["cameo"]
    reading = _lead_reading(overview, limits)
    if reading is not None:
        code, score = reading
        cameo = None
    else:
        best = max(classes, key=classes.get)
        if best not in _VERBAL_CLASSES or classes[best] < limits.cameo:
            return []
        if best == "statement" and not _states(verb):
            return []  # "the weather was mild" makes no statement
        subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
        if not any(t.i in actor_of or t.ent_type_ in _POLITICAL_ENTS for s in subjects for t in s.subtree):
            return []
        code, score = "DIPLO", classes[best]
        cameo = known.cameo if known is not None and cameo_class(known.cameo) == best else class_root(best)
    trigger = Trigger(verb, verb.lemma_.lower(), (code,), None, False, cameo, [verb])
    agents, patients = places.actors([verb], _roles(trigger, verb, actor_of))
    span = clause_span(verb, verb)
    draft = _Draft(trigger, verb, code, score, mode_for(code, sent.text), [span], cameo=cameo)
    draft.actor1 = agents[0] if agents else None
    draft.actor2 = patients[0] if patients else None
    draft.place = places.place([verb])
    draft.date = _date_for(adoc, [verb])
    draft.modality = modality(verb, verb.lemma_.lower())
    return [draft]


def _states(verb: Token) -> bool:
    """Whether a verb says, claims or takes a stance ("said", "expressed", "rejected")."""
    lemma = verb.lemma_.lower()
    return lemma in location_rules._SPEECH or lemma in location_rules.lexicon()["stance_verbs"]


def _drafts(adoc, trigger: Trigger, sentence: int, crowd: bool, actor_of: dict[int, str], places: Arguments,
            view: dict, model, limits: _Thresholds) -> list[_Draft]:
    """The event of one trigger group, if the model takes it, and one more per place it is compared with
    ("like Kandahar"); `crowd`: whether its sentence has a crowd word; `view`: the model's reading of the
    sentence."""
    tok = trigger.token
    head = clause_head(tok)
    span = clause_span(event_head(head), tok)
    clause = adoc.text[span[0]:span[1]]
    types = view["type"]
    allowed = _allowed(trigger, crowd)
    decided = _decide(allowed, types, view["event"]["event"], view["cameo"], trigger.cameo, limits,
                      view["family"])
    if decided is None:
        return []
    code, score, cameo = decided
    mode = _mode(trigger, code, clause)
    words = [tok, *(t for t in trigger.tokens if t.i != tok.i)]
    known = _roles(trigger, head, actor_of)
    agents, patients = places.actors(words, known)
    learned = {role for role, found, ruled in (("actor1", agents, known[0]), ("actor2", patients, known[1]))
               if found and not ruled}
    if mode == "withdraw":  # "government forces fell back": the subject gives the ground up
        agents, patients = patients, agents
        learned = {{"actor1": "actor2", "actor2": "actor1"}[role] for role in learned}
    draft = _Draft(trigger, head, code, score, mode, [span], cameo=cameo, sentence=sentence, learned=learned)
    if agents:
        draft.actor1 = agents[0]
    if patients:
        draft.actor2 = patients[0]
    draft.assoc = [a for a in agents[1:] + patients[1:] if a not in (draft.actor1, draft.actor2)]
    family = (describe(code)["acled"] or {}).get("event_type")
    sited = family in _SITED or code in _SITED_TYPES
    draft.place = places.place(words, use_article=sited)
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
                                           learned=set(draft.learned),
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


def _contains(outer: Place, inner: Place) -> bool:
    """Whether place `outer` holds `inner` (a country its provinces and towns, a province its towns)."""
    if outer.country is None or outer.country != inner.country:
        return False
    if outer.feature == "country":
        return True
    return outer.feature == "admin1" and outer.admin1 is not None and outer.admin1 == inner.admin1


def _close(a: _Draft, b: _Draft) -> bool:
    """Told in the same or the next sentence."""
    return abs(a.sentence - b.sentence) <= 1


def _same_place(a: _Draft, b: _Draft) -> bool:
    if a.place is None or b.place is None:  # one unplaced: only a mention told close by
        return _close(a, b)
    if a.place.geonameid is not None and a.place.geonameid == b.place.geonameid:
        return True
    return _contains(a.place, b.place) or _contains(b.place, a.place)


def _same_actor(a: _Draft, b: _Draft, role: str) -> bool:
    """No different actor in the role: an inferred one (ACLED's conventions) is a guess, not a difference."""
    x, y = getattr(a, role), getattr(b, role)
    return x is None or y is None or x == y or role in a.inferred or role in b.inferred


def _same_happening(a: _Draft, b: _Draft) -> bool:
    """ACLED's unit of count: one type, one place, the same actors, the same day, the same modality. A generic
    battle or attack told next to a more specific type ("attacked ... the bomb went off") is that one; an undated
    mention is the dated one only next to it."""
    if a.code != b.code:
        generic = a if a.code in _GENERIC else b if b.code in _GENERIC else None
        other = b if generic is a else a
        if generic is None or other.code not in yields(generic.code) or not _close(a, b):
            return False
    if a.code not in _ACLED and a.cameo != b.cameo:
        return False
    day_a, day_b = (d.value if d is not None else None for d in (a.date, b.date))
    if day_a != day_b and not ((day_a is None or day_b is None) and _close(a, b)):
        return False
    return (a.modality == b.modality and _same_actor(a, b, "actor1") and _same_actor(a, b, "actor2")
            and _same_place(a, b))


def _merge_happenings(drafts: list[_Draft]) -> list[_Draft]:
    """One event per happening: a mention joins the first earlier one of the same happening."""
    kept: list[_Draft] = []
    for draft in drafts:
        target = next((k for k in kept if _same_happening(k, draft)), None)
        if target is None:
            kept.append(draft)
            continue
        tok = draft.trigger.token
        target.evidence += [e for e in draft.evidence if e not in target.evidence]
        if not any(s <= tok.idx < e for s, e in target.evidence):
            target.evidence.append((tok.idx, tok.idx + len(tok)))
        if draft.code in yields(target.code):  # the more specific type: "attacked" then "the bomb went off"
            target.code, target.mode = draft.code, draft.mode
        if target.place is None or (draft.place is not None and _contains(target.place, draft.place)):
            target.place = draft.place
        target.date = target.date or draft.date
        if draft.fatalities is not None and (target.fatalities or 0) < draft.fatalities:
            target.fatalities, target.fatalities_range = draft.fatalities, draft.fatalities_range
        for role in ("actor1", "actor2"):
            if getattr(target, role) is None or (role in target.inferred and role not in draft.inferred
                                                 and role not in draft.learned and getattr(draft, role) is not None):
                setattr(target, role, getattr(draft, role))
                target.inferred.discard(role)
        target.score = max(target.score, draft.score)
    return kept


def _record(adoc, draft: _Draft, number: int, published) -> Event:
    if draft.place is not None and not draft.place.id:
        draft.place.id = f"p{len(adoc.places) + 1}"
        adoc.places.append(draft.place)
    coded = describe(draft.code, draft.mode, cameo=draft.cameo)
    tok = draft.trigger.token
    date_value = draft.date.value if draft.date is not None else (published.isoformat() if published else None)
    precision = draft.date.precision if draft.date is not None else ("week" if published else None)
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
        confidence=round(draft.score, 3),
    )


def _primary(adoc, drafts: list[_Draft], overview: dict, lead_end: int, limits: _Thresholds) -> str | None:
    """The event a one-label reading of the text names.

    The lead's reading (the encoder's) gives a probability to every type and CAMEO class; among the events told
    in the lead (all events when none is), the primary one is the likeliest under both, weighed by its own
    confidence. When the lead is sure of its main event's type, the primary event takes it: the whole lead says
    more than the clause a trigger word sits in ("helicopters dropped barrel bombs loaded with chlorine" is a
    chemical attack, whatever "dropped" can mean) — except that an attack the lead reads as of its family (at
    even odds) stays of that family.
    """
    if not drafts:
        return None
    events = adoc.events[-len(drafts):]
    told = [e for e in events if e.trigger.start < lead_end] or events
    types, classes = overview["type"], overview["cameo"]

    def likelihood(event: Event) -> float:
        return (math.log(types.get(event.type, 0.0) + 1e-4) + math.log(classes.get(cameo_class(event.cameo), 0.0)
                + 1e-4) + math.log(event.confidence + 1e-4))

    event = max(told, key=likelihood)
    reading = _lead_reading(overview, limits)
    held = attack_family(event.type)  # an attack the lead reads as of its family stays of that family
    if reading is not None and reading[0] != event.type and not (
            held and overview["family"][held] >= 0.5 and attack_family(reading[0]) != held):
        code = reading[0]
        coded = describe(code, mode_for(code, adoc.text[:lead_end]))
        event.type, event.acled, event.cameo, event.plover = code, coded["acled"], coded["cameo"], coded["plover"]
    return event.id
