"""Where an event happened: the article place its trigger governs, by the cost of the dependency path between them.

The path goes up from the trigger to the lowest common ancestor and down to the place. Each step costs what it says
about place-of-event: a locative preposition ("in", "near", "at", "outside") costs nothing, an object a little
("attacked Aleppo"), a step into another clause or up to a reporting verb a lot, and a place that is the subject
("Syria said", "Moscow and Damascus began"), a possessor ("Afghanistan's forces") or an adjective ("Syrian troops")
is an actor, not a venue; the subject of a passive is mostly a person the event befell; a name that qualifies
another event ("the 1967 Mideast war") or renames people ("36 people, mostly Andanis") places nothing. Then the
ranking prefers the smaller of two places named one after the other ("Sontyo village in Wukari"), the name of a
place noun over what qualifies it ("the Baghdad neighborhood of al-Adamiyah"), and a clause's own place over the
place of the clause it hangs on. The cheapest place under the ceiling of its slot wins (an "in X" phrase carries
across the sentence; a country outside a locative phrase, or after "on" or "between", is a target or a party,
hardly a venue), or a smaller place nearly as cheap (what readers take for the venue is the most specific place);
then a common noun ("the city", "the town") in the event's clause falls back to the article's main place of that
kind; and an event in a sentence without any place takes the article's main place when the caller allows it. Verbs
of saying, knowing and judging (`stance_verbs`) take only a place that is their own close argument.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections import Counter

from spacy.tokens import Token

from ..config import data_path
from ..errors import ConfigError
from ..places.gazetteer import read_curated_tsv
from ..records import Place

LOCATIVE = {"in", "at", "near", "on", "inside", "outside", "around", "across", "throughout", "over", "into",
            "to", "toward", "towards", "through", "along", "off", "within", "between", "among", "onto", "upon",
            "across", "beyond", "behind", "outside", "nearby", "close", "west", "east", "north", "south",
            "northwest", "northeast", "southwest", "southeast"}
_WEAK_PREPS = {"from": 1.0, "of": 0.3, "under": 0.8, "by": 1.5, "during": 0.8, "amid": 1.0, "after": 1.5,
               "for": 1.5, "against": 0.6, "with": 1.5, "about": 2.5, "since": 2.0, "than": 2.5, "as": 1.5}
# cost of leaving a token upward, by the token's dependency label
_UP = {"xcomp": 0.3, "advcl": 0.8, "conj": 0.6, "relcl": 0.6, "acl": 0.4, "ccomp": 2.0, "parataxis": 1.5,
       "dobj": 0.3, "pobj": 0.2, "prep": 0.2, "nsubj": 0.6, "nsubjpass": 0.4, "compound": 0.2, "amod": 0.4,
       "appos": 0.4, "attr": 0.4, "npadvmod": 0.6, "pcomp": 0.3, "agent": 0.5, "dep": 1.0, "advmod": 0.6,
       "oprd": 0.5, "acomp": 0.4, "nmod": 0.3, "poss": 1.0, "csubj": 1.0, "auxpass": 0.5, "aux": 0.5}
# cost of going down to a token, by its dependency label (prepositions are priced by `_prep_cost`)
_DOWN = {"pobj": 0.0, "dobj": 0.1, "nsubjpass": 0.6, "nsubj": 0.6, "compound": 0.3, "appos": 0.2,
         "conj": 0.1, "nmod": 0.3, "npadvmod": 0.6, "attr": 0.4, "pcomp": 0.3, "amod": 0.6, "poss": 0.8,
         "advcl": 1.5, "ccomp": 2.0, "xcomp": 1.0, "relcl": 1.2, "acl": 0.8, "agent": 0.5, "dep": 1.2,
         "advmod": 0.6, "oprd": 0.5, "dative": 0.8, "cc": 0.5, "punct": 1.0, "quantmod": 1.0, "det": 1.0}
# a place in these positions names an actor or an origin, not a venue; the subject of a passive is what the event
# befell, a person far more often than a place ("Gupta was murdered in Auraiya")
_ROLE_PENALTY = {"nsubj": 2.6, "amod": 3.0, "agent": 2.0, "nsubjpass": 1.5}
_ACTOR_HEADS = {"forces", "force", "troops", "army", "military", "police", "government", "authorities", "regime",
                "officials", "official", "ministry", "minister", "president", "soldiers", "embassy", "people",
                "militants", "rebels", "leader", "leaders", "spokesman", "ambassador", "envoy", "media", "side",
                "delegation", "counterpart", "president", "prime", "citizens", "nationals", "navy", "jets"}
_SPEECH = {"say", "tell", "report", "announce", "claim", "state", "add", "confirm", "deny", "accuse", "quote",
           "cite", "warn", "believe", "think", "according"}
# a stance taken or a word said ("condemned the attack in Idlib") happens wherever the speaker is
_STANCE_CEILING = 0.6
MAX_COST = 2.4
PLACE_NOUNS = {"city", "town", "village", "villages", "towns", "area", "areas", "district", "province", "region",
               "governorate", "county", "state", "suburb", "suburbs", "outskirts", "neighbourhood", "neighborhood",
               "quarter", "countryside", "camp", "base", "airport", "airbase", "station", "market", "mosque",
               "hospital", "school", "checkpoint", "road", "highway", "bridge", "border", "crossing", "hill",
               "hills", "mountain", "mountains", "valley", "river", "square", "street", "streets", "perimeter",
               "axis", "sector", "zone", "island", "port", "prison", "municipality", "locality", "commune",
               "subdistrict", "division", "block", "front", "plain", "plains", "desert", "field", "fields",
               "heights", "junction", "roundabout", "ward", "lga", "capital", "enclave", "stronghold", "pocket",
               "east", "west", "north", "south", "centre", "center", "part", "parts", "end", "side", "edge",
               "headquarters", "office", "compound", "residence", "home", "building", "facility", "plant",
               "church", "embassy", "hotel", "court", "farms", "orchards", "flank", "flanks", "vicinity", "slope",
               "community", "tower", "shrine", "islet", "waterway", "site", "settlement", "hilltop", "districts",
               "provinces", "neighbourhoods", "neighborhoods", "cities", "regions", "camps", "bases", "quarters",
               "hamlet", "hamlets", "township", "townships"}
_GROUND_VERBS = {"storm", "capture", "seize", "enter", "attack", "shell", "bomb", "hit", "target", "liberate",
                 "retake", "recapture", "besiege", "raid", "reach", "overrun", "invade", "surround", "encircle",
                 "cross", "take", "occupy", "control", "strike", "pound", "bombard", "assault", "besiege", "free",
                 "evacuate", "siege", "lose", "abandon", "secure", "clear"}
_ORG_WORDS = {"army", "forces", "force", "brigade", "brigades", "front", "group", "party", "division", "battalion",
              "regiment", "guard", "guards", "police", "militia", "council", "ministry", "agency", "committee",
              "movement", "organization", "organisation", "union", "coalition", "news", "times", "press",
              "network", "company", "corporation", "bank", "units", "corps", "command", "university", "league"}
_EVENT_NOUNS = {"attack", "bombing", "blast", "explosion", "clash", "fighting", "violence", "raid", "strike",
                "airstrike", "offensive", "protest", "riot", "shelling", "battle", "ambush", "assault", "unrest"}
_DEMONYM = re.compile(r"(?:an|ian|ese|ish|i|ic|ch)s?$")
# nouns whose "of" phrase names a place: "the siege of Luang Nam Tha", "the battle of Rityan"
_EVENT_OF = {"siege", "battle", "liberation", "fall", "capture", "bombing", "shelling", "outskirts", "settlement",
             "hilltop", "districts", "neighbourhoods", "neighborhoods"}
# verbs whose object is a place whatever spaCy calls it ("stormed Gidan Gambo", "entered Dahiyat Al-Assad")
_GROUND_ONLY = {"storm", "enter", "overrun", "recapture", "retake", "besiege", "shell", "bombard", "pound",
                "liberate", "raid", "invade", "occupy", "encircle", "surround", "reach", "cross", "patrol", "rock"}
_NUMBERED = re.compile(r"\d(?:st|nd|rd|th|s)$")
_NUMERIC_ENTS = {"DATE", "TIME", "NORP", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"}
_NOT_PLACE_ENTS = {"DATE", "TIME", "NORP", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY", "LAW",
                   "WORK_OF_ART", "LANGUAGE", "EVENT", "PRODUCT"}
# between equally near places the most specific one is where it happened ("in Maiwand district … in Kandahar")
_FEATURE_COST = {"country": 0.3, "continent": 0.4, "region": 0.2, "admin1": 0.15, "admin2": 0.05}
_STEP = 0.05
# parts of a city: "the Homs neighbourhood of Baba Amr" names Baba Amr, in Homs
_QUARTERS = {"neighbourhood", "neighborhood", "suburb", "quarter", "area", "section"}
# "the country" is left out: "offensives across the country" names no venue an annotator or a map could use
_NOMINALS = {"city": "city", "town": "city", "village": "city", "capital": "city", "district": "admin2",
             "province": "admin1", "region": "admin1", "state": "admin1"}
# a clause that names its own place is placed there before a place of the clause it hangs on
_OWN_CLAUSE = {"advcl", "conj", "xcomp", "ccomp", "relcl", "acl", "pcomp"}
_OWN_CLAUSE_PENALTY = 0.5
# how large a place of each kind is: a later "in Y" no smaller than an earlier place X contains it
_SIZE = {"country": 4, "continent": 5, "region": 3, "admin1": 3, "admin2": 2}
_SPECIFIC_MARGIN = 0.7
# annotators and readers take the most specific place the event is tied to: a smaller place nearly as cheap as
# the best one wins ("in Sani area, north of Kutum in North Darfur"), by at most this much over a place of size
_SMALLER_MARGIN = {2: 0.3, 3: 0.6, 4: 0.6, 5: 0.6}
# the cost up to which a place still names the venue depends on its slot: "in X" is where things happen even
# across clauses ("killed after gunmen who had gathered in X opened fire"); "to X" and "X officials" rarely are; a
# country or province outside a locative phrase is a party or a target unless it is the verb's own object
_IN_PREPS = {"in", "inside", "within", "throughout"}
_IN_CEILING = 12.0  # in practice none: an "in" place of the sentence is a venue unless a cheaper one wins
_NAMED_CEILING = 3.5  # a place a place noun names ("stormed the village of Mainok") carries nearly as far
_WEAK_CEILING = 1.6
_LARGE = {"country", "continent", "admin1"}
_LARGE_CEILING = 0.6
# locative words that, before a country or a province, name a target or a party: "air strikes on Yugoslavia",
# "a deal between Ukraine and Russia", "marched towards Syria"
_TARGET_PREPS = {"on", "between", "toward", "towards"}


def _path(a: Token, b: Token) -> tuple[list[Token], Token, list[Token]] | None:
    """(tokens left going up from a, lowest common ancestor, tokens entered going down to b)."""
    ancestors_b = {b.i: None}
    for t in b.ancestors:
        ancestors_b[t.i] = None
    up = []
    node = a
    while node.i not in ancestors_b:
        up.append(node)
        if node.head.i == node.i:
            return None
        node = node.head
    lca = node
    down = []
    node = b
    while node.i != lca.i:
        down.append(node)
        node = node.head
    return up, lca, list(reversed(down))


def _prep_cost(prep: Token) -> float:
    word = prep.lower_
    if word in LOCATIVE:
        return 0.0
    if word == "by" and any(c.dep_ == "pcomp" for c in prep.children):
        return 0.3  # "began the assault by storming X": the manner of the same event
    return _WEAK_PREPS.get(word, 1.2)


def path_cost(trigger: Token, place: Token) -> float:
    """How unlikely it is that `place` is where the event of `trigger` happened (0 = a locative argument)."""
    if trigger.i == place.i:
        return 0.5  # "the Kabul bombing" parsed as one token is rare; the place names the event's venue
    found = _path(trigger, place)
    if found is None:
        return 99.0
    up, lca, down = found
    cost = _STEP * (len(up) + len(down))
    speech = trigger.lemma_ in _SPEECH
    for t in up:
        if speech and t.i == trigger.i and t.dep_ in ("ccomp", "parataxis", "advcl", "conj"):
            cost += 2.0  # a report verb is not placed by the clause it reports
        cost += _UP.get(t.dep_, 1.0)
        if t.dep_ == "ccomp" and t.head.lemma_ in _SPEECH:
            cost += 1.0
    if up and lca.lemma_ in _SPEECH and lca.pos_ == "VERB":
        cost += 1.5  # "…, he said in Kabul": where it was said, not where it happened
    for t in down:
        if _held(t):
            cost += _DOWN["amod"]  # "targeting the rebel-held village of X": spaCy makes "held" a clause
            continue
        cost += _prep_cost(t) if t.dep_ == "prep" else _DOWN.get(t.dep_, 1.0)
        if speech and t.dep_ in ("ccomp", "parataxis"):
            cost += 1.5
    if down:
        top = down[0]
        if top.dep_ == "prep" and top.i < lca.i and top.i == min(c.i for c in lca.children) and top.i < (
                next((c.i for c in lca.children if c.dep_ in ("nsubj", "nsubjpass")), lca.i)):
            cost += 0.35  # a fronted "In Kandahar, …" sets the scene; a later place is more exact
        if top.dep_ in ("nsubj", "nsubjpass") and place.dep_ == "pobj" and place.head.lower_ in ("of", "from"):
            cost += 1.0  # "Erland Almaas of Norway", "fighters from Syria": where someone is from
    if down:
        role, steps = place, len(down)
        while role.dep_ == "conj" and steps > 1:  # "Moscow and Damascus began …": conjuncts share the role
            role, steps = role.head, steps - 1
        cost += _ROLE_PENALTY.get(role.dep_, 0.0) if role.dep_ != "nsubj" or steps == 1 else 0.0
        if place.dep_ == "pobj" and place.head.dep_ == "agent":
            cost += 2.0  # "backed by Riyadh": the doer, not the venue
        if place.dep_ == "poss" and place.head.lower_ not in PLACE_NOUNS:
            cost += 1.5  # "Afghanistan's special forces": an owner, not a venue
        if place.dep_ == "compound" and place.head.lower_ in _ACTOR_HEADS:
            cost += 2.0
        if place.dep_ == "pobj" and place.head.lower_ == "from" and place.head.head.lower_ in _ACTOR_HEADS:
            cost += 1.5
        first = down[0]
        if first.dep_ in ("nsubj", "nsubjpass") and any(t.lower_ in _ACTOR_HEADS for t in down[:2]):
            cost += 0.8
        if first.dep_ == "nsubj" and place.dep_ == "compound" and place.head.i == first.i \
                and first.lemma_.lower() not in _EVENT_NOUNS:
            cost += 0.8  # "Ankara officials", "Kabul residents" said: the subject's place names who acts
    elif up:
        # the place governs the trigger: "Gaza, where five were killed"; "Aleppo, hit by airstrikes"
        cost += 0.2 if up[-1].dep_ in ("relcl", "acl") else 0.8
    return cost


def _held(token: Token) -> bool:
    """A participle inside a noun phrase ("targeting the Jaysh Al-Islam held village", "the SAA controlled
    district") that spaCy parsed as a clause: the determiner opens the subject, the object has none."""
    if token.dep_ != "ccomp" or token.head.lemma_ in _SPEECH:
        return False
    subject = next((c for c in token.children if c.dep_ == "nsubj" and c.i < token.i), None)
    thing = next((c for c in token.children if c.dep_ == "dobj" and c.left_edge.i == token.i + 1), None)
    return subject is not None and thing is not None and subject.left_edge.lower_ == "the" \
        and not any(c.dep_ == "det" for c in thing.children)


def places_in_sentence(adoc, sent) -> list[tuple[Place, Token]]:
    """The article's places in one sentence, each with the root token of its mention (demonyms left out)."""
    doc = adoc.doc
    out = []
    for place in adoc.places:
        if sent.start_char <= place.start < sent.end_char:
            span = doc.char_span(place.start, place.end, alignment_mode="expand")
            if span is None or span.root.pos_ == "ADJ" or _not_a_place(span.root):
                continue  # "Afghan", "May 21": a demonym or a date the gazetteer matched
            if len(place.text) <= 2 and place.feature != "country":
                continue  # "Al" cut out of "Al-Haba'"
            out.append((place, span.root))
    return out


def _not_a_place(token: Token) -> bool:
    """A date, number or demonym ("May", "three", "Syrian"); "Aleppo" that spaCy calls NORP is still a place."""
    if token.ent_type_ == "NORP":
        return bool(_DEMONYM.search(token.text))
    return token.ent_type_ in _NUMERIC_ENTS


def _name_like(token: Token) -> bool:
    """A place name has a capital ("Jilib", "al-Ghazl"), and is no ordinal or plural model name ("308th", "F-4s")."""
    text = token.text
    return text != token.lower_ and not _NUMBERED.search(text)


def _toponym_prefixed(tok: Token) -> bool:
    """Whether a name starts with a generic place word ("Jabal al-Sayyid", "Wadi Barada", "Tal Hamad") that
    makes it a place whatever entity type spaCy gives it."""
    start, _ = _name_span(tok)
    return tok.doc[start].lower_ in lexicon()["toponym_prefixes"]


@functools.cache
def lexicon() -> dict[str, frozenset[str]]:
    """The word lists of `data/lexicons/event_location.toml`: toponym_prefixes, stance_verbs, motion_verbs,
    vicinity_nouns, venue_nouns, group_words, generic_name_words, other_event_nouns."""
    path = data_path("lexicons", "event_location.toml")
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read {path}: {exc}") from exc
    out = {}
    for key in ("toponym_prefixes", "stance_verbs", "motion_verbs", "vicinity_nouns", "venue_nouns", "group_words",
                "generic_name_words", "other_event_nouns"):
        words = data.get(key)
        if not isinstance(words, list) or not words or not all(
                isinstance(w, str) and w and w == w.lower().strip() for w in words):
            raise ConfigError(f"{path.name}: {key} must be a list of lower-case words")
        out[key] = frozenset(words)
    return out


@functools.cache
def _demonyms() -> frozenset[str]:
    """The demonyms the places stage knows (`data/places/demonyms.tsv`), lower case: "Syrian" in "the Syrian
    countryside" names a people, whereas "Kasese" in "Kasese district" is a name spaCy merely tagged NORP."""
    return frozenset(row[0].lower() for row in read_curated_tsv("demonyms.tsv"))


def _no_place_name(span, root: Token) -> bool:
    """Whether a name found in a place slot is none: a group ("Shia", "Shiites"), a bare acronym or fragment
    ("VC", "Al"), or only generic words ("Local Government Area", "Parliament", "Mechanized Division")."""
    words = lexicon()
    names = [t.lower_ for t in span if not t.is_punct]
    if len(names) == 1 and names[0] in words["group_words"]:
        return True
    if len(span.text) <= 2 or (root.is_upper and len(span.text) <= 5 and len(names) == 1):
        return True
    return all(w in PLACE_NOUNS or w in _ORG_WORDS or w in _ACTOR_HEADS or w in words["generic_name_words"]
               for w in names)


def _name_span(head: Token) -> tuple[int, int]:
    """Token range of the proper name headed by `head`: its compound/flat PROPN run ("Shah Wali Kot")."""
    start = head.i
    for child in sorted(head.lefts, key=lambda t: -t.i):
        if child.i == start - 1 and (child.dep_ in ("compound", "nmod", "amod") and child.pos_ in ("PROPN", "NOUN")
                                     or child.tag_ == "HYPH" or child.pos_ == "PROPN"):
            start = child.i
    return start, head.i + 1


def unresolved_places(adoc, sent, taken: list[tuple[Place, Token]], ents=None) -> list[tuple[Place, Token]]:
    """Proper names in place slots that the gazetteer did not resolve: "in Shah Wali Kot", "the town of Gakara",
    "the Ugbowo area", "stormed Mar'e".

    A name counts when spaCy calls it a place (GPE, LOC, FAC), or when it fills a place slot, whatever entity type
    spaCy gives it (villages are often PERSON or ORG to it): the object of a locative preposition or of a verb of
    motion's "to", the name of a place noun ("town of X", "X district", "villages like X"), a distance "of X", or
    the object of a verb that takes ground ("captured X"). A group ("Shiites") or a name of generic words only
    ("Local Government Area") is none. It becomes a Place without coordinates (`resolved_by` "event:unresolved").
    """
    doc = adoc.doc
    used = {root.i for _, root in taken}
    for place, _ in taken:
        span = doc.char_span(place.start, place.end, alignment_mode="expand")
        if span is not None:
            used.update(range(span.start, span.end))
    words = lexicon()
    found: dict[int, tuple[int, int, Token]] = {}
    for ent in doc.ents if ents is None else ents:
        if ent.start < sent.start or ent.end > sent.end:
            continue
        if ent.label_ in ("GPE", "LOC", "FAC") and _name_like(ent.root) \
                and not any(i in used for i in range(ent.start, ent.end)):
            found[ent.root.i] = (ent.start, ent.end, ent.root)
    for tok in sent:
        pos = tok.pos_
        if pos != "PROPN" and not (pos in ("ADJ", "NOUN") and tok.dep_ in ("amod", "compound")
                                   or pos == "NOUN" and tok.dep_ == "pobj"):
            continue
        if tok.i in used or tok.i in found or not _name_like(tok):
            continue
        head = tok.head
        named = False  # the name of a place noun: "the town of X", "villages like X", "X district"
        if tok.dep_ == "pobj":
            word, governor = head.lower_, head.head
            named = word == "of" and (governor.lower_ in PLACE_NOUNS or governor.lower_ in _EVENT_OF) or (
                word in ("like", "including") and governor.lower_ in PLACE_NOUNS)
            slot = named or (word in LOCATIVE and word not in ("to", "like", "over", "between", "among")) or (
                word == "of" and governor.lemma_ in words["vicinity_nouns"]) or (  # "within 11 km of X"
                word == "to" and governor.lemma_ in words["motion_verbs"])  # "marched to X"
        elif tok.dep_ in ("compound", "amod", "nmod"):
            named = head.lower_ in PLACE_NOUNS or (head.dep_ == "compound" and head.head.lower_ in PLACE_NOUNS)
            slot = named
        elif tok.dep_ == "appos":
            slot = head.lower_ in PLACE_NOUNS
        elif tok.dep_ == "dobj":
            slot = head.lemma_ in _GROUND_ONLY or (head.lemma_ in _GROUND_VERBS and (
                tok.ent_type_ not in ("ORG", "PERSON") or _toponym_prefixed(tok) or _one_word_org(tok)))
        else:
            slot = False
        if not slot and (pos != "PROPN" or tok.dep_ in ("compound", "flat") or not _toponym_prefixed(tok)):
            continue
        if _not_a_place(tok) and not (named and not tok.like_num and tok.lower_ not in _demonyms()):
            continue  # but "the town of Man" (CARDINAL to spaCy) and "Kasese district" (NORP) are names
        if pos == "NOUN" and tok.dep_ == "pobj" and not named:
            continue  # a capitalised noun is a name only as a place noun's ("the village of Tal Na'am")
        if tok.ent_type_ == "ORG" and (tok.is_upper or any(
                t.lower_ in _ORG_WORDS for t in doc[tok.left_edge.i:max(tok.i, head.i) + 1])):
            continue  # "the Syrian Arab Army", "SAA", "the Islamic Front": an organisation in a place slot
        start, end = _name_span(tok)
        if tok.dep_ in ("compound", "amod", "nmod"):
            while end < len(doc) and doc[end].pos_ == "PROPN" and doc[end].i != head.i:
                end += 1
        if any(i in used for i in range(start, end)):
            continue
        found[tok.i] = (start, end, tok)
    places = []
    for start, end, root in found.values():
        if _no_place_name(doc[start:end], root):
            continue
        a, b = doc[start].idx, doc[end - 1].idx + len(doc[end - 1])
        places.append((Place(id="", start=a, end=b, text=adoc.text[a:b], confidence=0.3,
                             resolved_by="event:unresolved"), root))
    return places


def _one_word_org(tok: Token) -> bool:
    """A one-word name spaCy calls ORG, no acronym: as the object of "captured" it is ground ("captured Birao")."""
    doc = tok.doc
    return tok.ent_type_ == "ORG" and not tok.is_upper and tok.ent_iob_ == "B" and (
        tok.i + 1 >= len(doc) or doc[tok.i + 1].ent_iob_ != "I")


def _antecedent(trigger: Token) -> Token | None:
    """The noun a relative-pronoun subject of the trigger stands for ("the city, which … has been besieged")."""
    for child in trigger.children:
        if child.dep_ in ("nsubj", "nsubjpass") and child.lower_ in ("which", "that", "where"):
            i = child.i - 1
            while i >= trigger.sent.start and trigger.doc[i].is_punct:
                i -= 1
            if i >= trigger.sent.start and trigger.doc[i].pos_ in ("NOUN", "PROPN"):
                return _lift(trigger.doc[i])
    if trigger.dep_ == "relcl" and trigger.head.pos_ in ("NOUN", "PROPN"):
        return _lift(trigger.head)
    return None


def _lift(noun: Token) -> Token:
    """The place a relative clause after `noun` is about: "the Deir al-Asafir suburb of Damascus, where …" is
    about the suburb, named Deir al-Asafir, not about Damascus."""
    if noun.dep_ == "pobj" and noun.head.lower_ == "of" and noun.head.head.lower_ in PLACE_NOUNS:
        return _named(noun.head.head)
    return noun


def _named(noun: Token) -> Token:
    """The name that a place noun carries ("the Deir al-Asafir suburb" -> Asafir), else the noun itself."""
    names = [c for c in noun.children if c.dep_ in ("compound", "nmod") and c.pos_ == "PROPN"]
    return names[-1] if names else noun


def _anchor(root: Token) -> Token:
    """The noun phrase a place name heads: itself, or the place noun it names ("the town of Gakara" -> town)."""
    node = root
    noun = node.head.head
    if node.dep_ == "pobj" and node.head.lower_ == "of" and noun.lower_ in PLACE_NOUNS and not any(
            c.dep_ == "compound" and c.pos_ == "PROPN" for c in noun.children):
        node = noun  # "the town of Gakara" is Gakara; "Maiwand district of Kandahar" is not Kandahar
    while node.dep_ in ("compound", "flat") and node.head.pos_ in ("PROPN", "NOUN") and node.head.i > node.i:
        node = node.head
    return node


def _in_actor_modifier(token: Token, stop: Token) -> bool:
    """Whether the path from `stop` down to `token` passes through a clause (then it is not a container)."""
    node = token
    while node.i != stop.i:
        if node.dep_ in ("relcl", "acl", "advcl", "ccomp", "conj"):
            return True
        node = node.head
    return False


def _actor_tokens(adoc, sent) -> set[int]:
    """Tokens of the sentence inside named-actor mentions (places there are part of a name)."""
    doc = adoc.doc
    out: set[int] = set()
    for actor in adoc.actors:
        if actor.inter not in (2, 3, 4, 8) or actor.name.startswith(("Rebels", "Militia", "Unidentified")):
            continue
        for m in actor.mentions:
            if sent.start_char <= m.start < sent.end_char:
                span = doc.char_span(m.start, m.end, alignment_mode="expand")
                if span is not None:
                    out.update(range(span.start, span.end))
    return out


def main_place(adoc, kind: str | None = None) -> Place | None:
    """The article's most mentioned place of a kind (city, admin1…), the first mention breaking ties."""
    counts: Counter = Counter()
    first: dict[tuple, Place] = {}
    for place in adoc.places:
        if kind and place.feature != kind:
            continue
        if not kind and place.feature not in ("city", "admin2", "admin1", "landmark"):
            continue
        key = (place.geonameid, place.name)
        counts[key] += 1
        first.setdefault(key, place)
    if not counts:
        return None
    best = max(counts, key=lambda k: (counts[k], -first[k].start))
    return first[best]


def _nominal(trigger: Token) -> tuple[float, str] | None:
    """(path cost, kind) of the nearest definite place noun the trigger governs ("the ancient city" -> city)."""
    sent = trigger.sent
    best = None
    for tok in sent:
        kind = _NOMINALS.get(tok.lower_)
        if kind is None or tok.pos_ != "NOUN":
            continue
        definite = any((d.dep_ == "det" and d.lower_ in ("the", "this", "that"))
                       or (d.dep_ == "poss" and d.lower_ in ("its", "their")) for d in tok.children)
        if not definite:
            continue
        if any(c.dep_ == "prep" and c.lower_ == "of" or c.pos_ == "PROPN" for c in tok.children):
            continue  # "the city of Mosul", "the Marte district": the name is the place
        found = _path(trigger, tok)
        if found is None:
            continue
        up, _, down = found
        cost = sum(_UP.get(t.dep_, 1.0) for t in up) + sum(
            _prep_cost(t) if t.dep_ == "prep" else _DOWN.get(t.dep_, 1.0) for t in down)
        if cost <= MAX_COST and (best is None or cost < best[0]):
            best = (cost, kind)
    return best


def sentence_candidates(adoc, sent, ents=None) -> tuple[list[tuple[Place, Token]], set[int]]:
    """The places (resolved and not) of a sentence, and its tokens inside named-actor mentions."""
    candidates = places_in_sentence(adoc, sent)
    return candidates + unresolved_places(adoc, sent, candidates, ents), _actor_tokens(adoc, sent)


def _candidates(adoc, sent, cache: dict | None) -> tuple[list[tuple[Place, Token]], set[int]]:
    """`sentence_candidates`, kept in `cache` (one dict per article) when the caller gives one."""
    if cache is None:
        return sentence_candidates(adoc, sent)
    if sent.start not in cache:
        if "ents" not in cache:
            cache["ents"] = adoc.doc.ents  # building doc.ents is costly: once per article
        cache[sent.start] = sentence_candidates(adoc, sent, cache["ents"])
    return cache[sent.start]


def rank_places(trigger: Token, candidates) -> tuple[list[list], Token | None]:
    """[cost, distance, start, place, root] for each candidate place of the trigger's sentence, and the noun
    a relative-pronoun subject of the trigger stands for."""
    candidates, actor_tokens = candidates
    scored = []
    for place, root in candidates:
        if root.i in actor_tokens:
            continue  # "the Islamic State of Iraq": a name of an actor, not a place
        if place.feature == "country" and root.head.i == trigger.i and root.dep_ in ("compound", "amod", "nmod"):
            continue  # "US airstrikes": the country names who struck
        if root.dep_ in ("compound", "nmod") and root.head.lower_ == "time":
            continue  # "at 8 P.M. (Damascus Time)": a clock, not a venue
        if root.dep_ == "appos" and root.head.pos_ == "NOUN" and root.head.lower_ not in PLACE_NOUNS \
                and root.head.lower_ not in lexicon()["venue_nouns"]:
            continue  # "36 people, mostly Andanis", "the state carrier Iberia": the name of no place
        anchor = _anchor(root)
        if anchor.i != root.i and anchor.lemma_.lower() in lexicon()["other_event_nouns"] \
                and trigger.i not in (anchor.i, anchor.head.i):
            continue  # "captured the heights in the 1967 Mideast war": where another event was
        cost = path_cost(trigger, root) + _FEATURE_COST.get(place.feature, 0.0)
        if place.geonameid is None and not place.id:
            cost += 0.2
        scored.append([cost, abs(root.i - trigger.i), place.start, place, root])
    # a place inside another place's phrase is its container ("Maiwand district in Kandahar", "Al-Bab in east
    # Aleppo"): the event happened in the more specific one
    for outer in scored:
        anchor = _anchor(outer[4])
        if outer[0] > MAX_COST or not (anchor.pos_ == "PROPN" or anchor.lower_ in PLACE_NOUNS):
            continue  # only a venue contains another ("U.S. forces in Afghanistan": U.S. is no venue)
        for inner in scored:
            if inner is not outer and inner[4].i != anchor.i and inner[4].i != outer[4].i \
                    and _anchor(inner[4]).i != anchor.i \
                    and anchor.is_ancestor(inner[4]) and not _in_actor_modifier(inner[4], anchor):
                inner[0] = max(inner[0], outer[0] + 0.1)
    for outer in scored:
        for inner in scored:
            if _named_part(outer, inner):
                inner[0] = min(inner[0], outer[0] - 0.05)
    if trigger.dep_ in _OWN_CLAUSE and len(scored) > 1:
        own = [trigger.is_ancestor(entry[4]) for entry in scored]
        if any(o and entry[0] <= MAX_COST for o, entry in zip(own, scored)):
            for o, entry in zip(own, scored):  # "launched an offensive in Homs, targeting Al-Mahr": its own place
                if not o:
                    entry[0] += _OWN_CLAUSE_PENALTY
    _prefer_specific(scored)
    antecedent = _antecedent(trigger)
    if antecedent is not None:  # "Herat, which has been besieged": the relative pronoun's place
        for entry in scored:
            if entry[4].i == antecedent.i:
                entry[0] = min(entry[0], 0.2)
    return scored, antecedent


def _named_part(outer: list, inner: list) -> bool:
    """Whether `inner` is the name after "of" of the place noun that `outer` is or qualifies: "the West Bank town
    of Hebron" (the gazetteer took the descriptor), "the northern Baghdad neighborhood of al-Adamiyah", "the Azov
    Sea port city of Mariupol". Then the name is the place and `outer` contains it; a name no smaller than the
    place noun says is a container instead ("Maiwand district of Kandahar", "the Shaab neighborhood of Baghdad")."""
    noun, name = outer[4], inner[4]
    if not outer[3].id or name.dep_ != "pobj" or name.head.lower_ != "of":
        return False
    if noun.pos_ == "NOUN" and noun.lower_ in _NOMINALS:
        return name.head.head.i == noun.i and _SIZE.get(outer[3].feature, 1) > _SIZE.get(_NOMINALS[noun.lower_], 1)
    head = noun.head
    if noun.dep_ not in ("compound", "amod", "nmod") or head.pos_ != "NOUN" or name.head.head.i != head.i:
        return False
    if head.lower_ in _NOMINALS:
        return not inner[3].id or _SIZE.get(inner[3].feature, 1) <= _SIZE.get(_NOMINALS[head.lower_], 1)
    return head.lower_ in _QUARTERS and not inner[3].id


def _governing_prep(root: Token) -> Token | None:
    """The preposition whose phrase the place names: "in Y", "in the province of Y", "in northern Y"."""
    node = _anchor(root)
    if node.dep_ == "pobj" and node.head.lower_ == "of" and node.head.head.dep_ == "pobj":
        node = node.head.head
    return node.head if node.dep_ == "pobj" and node.head.dep_ == "prep" else None


def _prefer_specific(scored: list[list]) -> None:
    """News names the smaller place first and its container after it ("attacked Sontyo village in Wukari",
    "entered the village of Kafr Naya in northern Aleppo", "in the town of Rawa, in the province of Anbar"):
    a later place in an "in" phrase, no smaller than an earlier nearly as cheap one, yields to it."""
    for later in scored:
        prep = _governing_prep(later[4])
        if prep is None or prep.lower_ != "in":
            continue
        size = _SIZE.get(later[3].feature, 1)
        for earlier in scored:
            if earlier[3].start < later[3].start and _SIZE.get(earlier[3].feature, 1) <= size \
                    and earlier[0] <= later[0] + _SPECIFIC_MARGIN and earlier[0] <= MAX_COST \
                    and _anchor(earlier[4]).i < prep.i:
                later[0] = max(later[0], earlier[0] + 0.1)
                break


def _smaller(scored: list[list], best: list) -> list:
    """The cheapest place smaller than `best` and nearly as cheap, else `best`: "killed in Sani area, north of
    Kutum in North Darfur" happened in Sani, not in the province."""
    size = _SIZE.get(best[3].feature, 1)
    margin = _SMALLER_MARGIN.get(size, 0.0)
    smaller = [s for s in scored if _SIZE.get(s[3].feature, 1) < size and s[0] <= best[0] + margin]
    return min(smaller, key=lambda s: s[:3]) if smaller else best


def _ceiling(place: Place, root: Token) -> float:
    """The highest cost at which `place` is still taken for the venue, by its slot and its size: a country or a
    province outside a locative phrase names a party or a target ("the war on Iraq", "talks with Syria")."""
    prep = _governing_prep(root)
    word = prep.lower_ if prep is not None else root.dep_
    if word in _IN_PREPS:
        return _IN_CEILING
    if place.feature in _LARGE and (word not in LOCATIVE or word in _TARGET_PREPS) \
            and root.head.lower_ not in PLACE_NOUNS:
        return _LARGE_CEILING  # but "across Iraq", "Egypt's streets", "the provinces of South Vietnam" are venues
    words = lexicon()
    if word in ("compound", "nmod", "amod") and (root.head.lower_ in PLACE_NOUNS
                                                 or root.head.lower_ in words["venue_nouns"]):
        return MAX_COST  # "a Baghdad cafe", "the Abuja home": where the building is
    if word in ("to", "toward", "towards") and prep.head.lemma_ in words["motion_verbs"]:
        return MAX_COST  # "marched to Bellary"
    if word in ("to", "into", "toward", "towards", "compound", "nmod", "amod"):
        return _WEAK_CEILING
    if _anchor(root).i != root.i:
        return _NAMED_CEILING  # "stormed the village of Mainok, killing 39"
    return MAX_COST


def locate_event(adoc, trigger_start: int, trigger_end: int, use_article: bool = False,
                 cache: dict | None = None) -> Place | None:
    """The place where the event whose trigger spans [trigger_start, trigger_end) happened, or None.

    `use_article`: when the sentence names no place at all, return the article's main place (for event kinds
    that happen somewhere, decided by the caller). `cache`: a dict kept for one article, so that several
    events of a sentence share its candidate places.
    """
    span = adoc.doc.char_span(trigger_start, trigger_end, alignment_mode="expand")
    if span is None or not len(span):
        return None
    trigger = span.root
    candidates = _candidates(adoc, trigger.sent, cache)
    scored, antecedent = rank_places(trigger, candidates)
    if trigger.lemma_ in _SPEECH or trigger.lemma_ in lexicon()["stance_verbs"]:
        scored = [s for s in scored if s[0] <= _STANCE_CEILING]  # "condemned the attack in Idlib": said anywhere
    scored = [s for s in scored if s[0] <= _LARGE_CEILING or s[0] <= _ceiling(s[3], s[4])]
    best = min(scored, key=lambda s: s[:3]) if scored else None
    if best is not None:
        best = _smaller(scored, best)
    nominal = _nominal(trigger)
    if antecedent is not None and antecedent.lower_ in _NOMINALS and antecedent.pos_ == "NOUN":
        nominal = (0.2, _NOMINALS[antecedent.lower_])
    if nominal is not None and (best is None or nominal[0] < best[0]):
        main = main_place(adoc, nominal[1]) or main_place(adoc)
        if main is not None:
            return main
    if best is not None:
        return best[3]
    if use_article and not any(p.id for p, _ in candidates[0]):
        return main_place(adoc)
    return None
