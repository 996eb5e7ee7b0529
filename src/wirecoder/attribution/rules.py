"""Attributions read off the dependency parse: a cue, its source (the subject) and its content (the clause).

One pass over the tokens finds the cues: an "according to"-type phrase, or a verb, noun or adjective with
something to report (its frame: a clause, the clause it interrupts, a quotation next to it, an object, a
prepositional object) that the learned cue model (learned.py) scores as a cue in that frame and context. PolNeAR
counts wishes, beliefs and stances as attributions too ("wants to…", "endorsed Clinton"), hence the frames beyond
speech. A word with no frame at all ("as Trump said", "is a staunch opponent of") is scored too when it is one of
the "bare" lemmas the model learnt such cues for. For each cue the source is its subject (inherited from the verb it
hangs on for "…, adding that …"), and the content is its clausal complement, or the clause it interrupts
("…, Sengupta said."), widened to cover any direct quotation it touches so that a quote of several sentences or
paragraphs stays whole, and over the quotation its cue splits ('"…," he said. "…"'), as PolNeAR marks it.
Quotations no cue claims are given to the speaker of the attribution just before them.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Token

from .learned import CueModel, features

_SUBJECTS = {"nsubj", "csubj"}
_PASSIVE_SUBJECTS = {"nsubjpass", "csubjpass"}
# a cue without a subject of its own speaks for the verb it hangs on: "…, adding that", "and added that"
_INHERIT = {"advcl", "conj", "xcomp", "pcomp", "acl"}
_CLAUSES = {"ccomp", "xcomp"}
_OBJECTS = {"dobj", "attr", "oprd"}
# dependants that complete an object content: "accused Pakistan of backing", "called them 'deplorables'"
_OBJECT_TAIL = {"prep", "oprd", "xcomp", "ccomp", "advcl", "dative"}
_INTERRUPT = {"parataxis", "ccomp", "advcl", "conj"}
_CUE_LEFT = {"aux", "auxpass", "neg"}
# the most characters between a cue and the quotation that continues the one before it ('"…," said X, … "…"')
_JOIN_GAP = 250
# the parts of speech a cue can be: "said", "is", "the claim", "is sure that"
CANDIDATE_POS = frozenset({"VERB", "AUX", "NOUN", "ADJ"})


def is_candidate(tok: Token) -> bool:
    """Whether a token may be a cue: an auxiliary or negation is part of its verb's cue ("has not said")."""
    return tok.pos_ in CANDIDATE_POS and tok.dep_ not in _CUE_LEFT


@dataclass
class Found:
    """One attribution before records are made: token indices of cue and source, character span of content."""

    cue: tuple[int, int] | None  # token range, end exclusive
    cue_lemma: str | None
    source: tuple[int, int] | None  # token range
    content: tuple[int, int]  # character range
    recipient: tuple[int, int] | None = None  # token range of the listener ("told The New Arab")
    obj: str | None = None  # lemma of the direct object, for "claimed responsibility"
    rate: float = 0.9  # how often such a cue is one (fixed phrases like "according to" nearly always are)


def _tok_range(tok: Token) -> tuple[int, int]:
    return tok.left_edge.i, tok.right_edge.i + 1


def _chars(doc: Doc, start: int, end: int) -> tuple[int, int]:
    return doc[start].idx, doc[end - 1].idx + len(doc[end - 1])


def _cue_span(cue: Token) -> tuple[int, int]:
    """The cue verb with the auxiliaries and negation right before it ("has said", "did not deny"), as PolNeAR
    marks cues; a pluperfect "had" stays out ("locals who had seen"), as the founding article's gold has it."""
    start = cue.i
    for child in reversed(list(cue.lefts)):
        if child.dep_ in _CUE_LEFT and child.i == start - 1 and child.lower_ != "had":
            start = child.i
    return start, cue.i + 1


def _subject(verb: Token, depth: int = 0) -> tuple[Token | None, bool]:
    """(subject token, is it the speaker): the agent of a passive, the subject inherited along conj/advcl."""
    passive = None
    for child in verb.children:
        if child.dep_ in _SUBJECTS:
            return child, True  # a relative pronoun ("locals who had seen") is named by the speaker resolver
        if child.dep_ in _PASSIVE_SUBJECTS:
            passive = child
        if child.dep_ == "agent":
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    return pobj, True
    if passive is not None:
        return passive, False
    if verb.dep_ == "acl" and verb.tag_ == "VBG":  # "a campaign calling for sanctions"
        return verb.head, True
    if verb.dep_ == "relcl":
        return verb.head, True
    if verb.dep_ == "pcomp" and verb.head.dep_ == "prep" and depth < 3:  # "he began by saying …"
        return _subject(verb.head.head, depth + 1)
    if verb.dep_ in _INHERIT and depth < 3 and verb.head is not verb:
        return _subject(verb.head, depth + 1)
    return None, False


def _noun_frame(noun: Token) -> tuple[str, tuple[int, int], tuple[int, int], None] | None:
    """A report named by a noun: "the claim that …", "her decision to …", "criticism of the plan"."""
    doc = noun.doc
    for child in noun.rights:
        if child.dep_ in ("acl", "ccomp"):
            return "noun-clause", (noun.i, noun.i + 1), _chars(doc, *_tok_range(child)), None
        if child.dep_ == "prep" and child.lower_ in ("of", "for", "about", "on", "against", "over", "to"):
            pobj = next((c for c in child.children if c.dep_ in ("pobj", "pcomp")), None)
            if pobj is not None:
                cue = (noun.i, child.i + 1) if child.i == noun.i + 1 else (noun.i, noun.i + 1)
                return "noun-prep", cue, _chars(doc, *_tok_range(pobj)), None
    return None


def _noun_source(noun: Token) -> tuple[Token | None, bool]:
    """Whose report a noun names: its possessor ("Comey's statement"), or "by"/"from" someone."""
    for child in noun.children:
        if child.dep_ == "poss":
            return child, True
    for child in noun.rights:
        if child.dep_ == "prep" and child.lower_ in ("by", "from"):
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if pobj is not None:
                return pobj, True
    return None, False


def _line_opening(doc: Doc, cue_start: int) -> tuple[int, int] | None:
    """The name opening the cue's line ("Donald Trump is once again questioning …"), for when the parse took a
    heading above it ("The Latest on the race (all times EDT):") as the subject."""
    start = cue_start
    while start > 0 and "\n" not in doc[start - 1].text_with_ws:
        start -= 1
    end = start
    while end < cue_start and (doc[end].pos_ in ("PROPN", "NOUN", "DET", "ADJ", "PRON") or doc[end].tag_ == "POS"):
        end += 1
    return (start, end) if end > start else None


def _witness(verb: Token, speech: frozenset[str]) -> bool:
    """"cited locals who had seen …": what the people a source cites saw is their own, nested, report."""
    if verb.dep_ != "relcl" or verb.head.dep_ not in ("dobj", "pobj"):
        return False
    outer = verb.head.head if verb.head.dep_ == "dobj" else verb.head.head.head
    return outer.lemma_.lower() in speech


def _source_range(subject: Token, stop: set[int]) -> tuple[int, int]:
    """The subject with its descriptors ("Harun Najafzada, director of news at Volant Media"), cut before the
    cue or content if the parse drew them inside, and without a relative clause that says something else."""
    start, end = _tok_range(subject)
    for child in subject.rights:
        if child.dep_ in ("relcl", "acl") and child.left_edge.i > subject.i:
            end = min(end, child.left_edge.i)
    for i in range(subject.i, end):
        if i in stop:
            end = i
            break
    for i in range(subject.i, start - 1, -1):
        if i in stop:
            start = i + 1
            break
    doc = subject.doc
    for i in range(subject.i - 1, start - 1, -1):  # a source never runs over a line break
        if "\n" in doc[i].text_with_ws:
            start = i + 1
            break
    for i in range(subject.i, end):
        if "\n" in doc[i].text_with_ws:
            end = i + 1
            break
    while end - 1 > start and doc[end - 1].is_punct:
        end -= 1
    return start, end


class RuleExtractor:
    """Finds attributions in a parsed document with the cue lexicon and model; built once, called per document.

    A verb or noun with a frame is a cue when `model` gives it a probability of at least `threshold`; what the
    people a source cites saw ("cited locals who had seen …") is always one.
    """

    def __init__(self, lexicon: dict, model: CueModel, threshold: float = 0.5):
        verbs = lexicon["verbs"]
        self.speech = frozenset(verbs["speech"])
        self.object_verbs = frozenset(verbs["object"])
        self.perception = frozenset(verbs["perception"])
        self.phrases = [tuple(p.split()) for p in lexicon["phrases"]["source_after"]]
        self.phrase_starts = frozenset(p[0] for p in self.phrases)
        self.via_verbs = frozenset(lexicon["via"]["verbs"])
        self.threshold = threshold
        self.model = model
        self.action_objects = frozenset(lexicon["model"]["action_objects"])
        self.bare_lemmas = frozenset(f[3:-5] for f in model.weights if f.startswith("lf=") and f.endswith("|bare"))
        # the lemmas worth framing: those the model learnt a weight for, and those the lexicon lists (what
        # carries the model to verbs it never saw); a word outside both was never a cue in training
        self.cue_lemmas = frozenset(f[2:] for f in model.weights if f.startswith("l=")) | self.speech \
            | self.object_verbs | self.perception

    def __call__(self, doc: Doc, quotes: list[tuple[int, int]], text: str | None = None) -> list[Found]:
        text = doc.text if text is None else text  # Doc.text is rebuilt on every access: read it once
        found: list[Found] = []
        for tok in doc:
            item = None
            if tok.lower_ in self.phrase_starts:
                item = self._phrase(tok)
            if item is None and is_candidate(tok) and tok.lemma_.lower() in self.cue_lemmas:
                item = self._verb(tok, quotes, text)
            if item is not None:
                found.append(item)
        found = _join_split_quotes(doc, text, _widen_to_quotes(doc, found, quotes), quotes)
        return found + _floating_quotes(doc, text, found, quotes)

    def cue_features(self, verb: Token, frame: str, obj: str | None) -> list[str]:
        """The learned model's features of a candidate cue (see learned.py)."""
        lemma = verb.lemma_.lower()
        listed = "+".join(name for name, words in (("speech", self.speech), ("object", self.object_verbs))
                          if lemma in words) or "none"
        return features(verb, frame, obj, listed)

    def frame(self, verb: Token, quotes, text: str) -> tuple[str, tuple[int, int], tuple[int, int], str | None] | None:
        """(frame, cue token range, content character range, object lemma) of a verb that could report
        something: its clause, the clause it interrupts, a quotation after it, its object or a prepositional
        object ("referring to …"). None when the verb has nothing to report."""
        doc = verb.doc
        if verb.pos_ == "NOUN":
            return _noun_frame(verb) or self._bare(verb, (verb.i, verb.i + 1))
        cue = _cue_span(verb)
        for child in verb.children:
            if child.dep_ in _CLAUSES and not (child.dep_ == "xcomp" and child.i < verb.i):
                start, end = _tok_range(child)
                nxt = next((t for t in child.subtree if t.i > child.i and self._next_report(t)), None)
                if nxt is not None:  # "said he would order a review and warned against hackers"
                    end = _strip(doc, start, nxt.left_edge.i)[1]
                    while end > start + 1 and doc[end - 1].dep_ == "cc":
                        end = _strip(doc, start, end - 1)[1]
                return "clause", cue, _chars(doc, start, end), None
        content = self._interrupted(verb)
        if content is not None:
            return "interrupted", cue, _chars(doc, *content), None
        quote = _quote_after(verb, quotes) or _quote_before(verb, quotes, text)
        if quote is not None:
            return "quote", cue, quote, None
        content, obj = self._object(verb)
        if content is not None:
            return "object", cue, _chars(doc, *content), obj
        agent = next((c for c in verb.children if c.dep_ == "agent"), None)
        if agent is not None:  # "accused by many Afghans of backing …" (the parse may hang "of" on the agent)
            candidates = list(verb.rights) + [t for t in agent.subtree if t.dep_ == "prep"]
            prep = next((c for c in candidates if c.dep_ == "prep" and c.lower_ in ("of", "for", "over")), None)
            if prep is not None:
                return "object", cue, _chars(doc, *_tok_range(prep)), None
        for child in verb.rights:
            if child.dep_ == "prep" and child.i == verb.i + 1:
                pobj = next((c for c in child.children if c.dep_ in ("pobj", "pcomp")), None)
                if pobj is not None:
                    return "prep", (cue[0], child.i + 1), _chars(doc, *_tok_range(pobj)), None
        return self._bare(verb, cue)

    def _next_report(self, tok: Token) -> bool:
        """A verb of saying with no subject that the parse hung on the clause another verb reports ("Trump said
        he would order a review and warned against hackers", "…, adding that …"): the speaker's next report."""
        return (tok.dep_ in ("conj", "advcl") and tok.pos_ == "VERB" and tok.head.dep_ == "ccomp"
                and tok.lemma_.lower() in self.speech
                and not any(c.dep_ in _SUBJECTS or c.dep_ in _PASSIVE_SUBJECTS for c in tok.children))

    def _bare(self, tok: Token, cue: tuple[int, int]) -> tuple[str, tuple[int, int], tuple[int, int], None] | None:
        """A cue with no report hanging on it ("as Trump said", "her supporters", "is a staunch opponent of"):
        only lemmas the model learnt as such bare cues are candidates; the content is what is left of the
        clause around it, or the sentence before ("…. That is what Wahl said.")."""
        if tok.lemma_.lower() not in self.bare_lemmas:
            return None
        content = _bare_content(tok)
        return ("bare", cue, _chars(tok.doc, *content), None) if content is not None else None

    def _verb(self, verb: Token, quotes, text: str) -> Found | None:
        framed = self.frame(verb, quotes, text)
        if framed is None:
            return None
        frame, cue, content, obj = framed
        lemma = verb.lemma_.lower()
        if lemma in self.perception and _witness(verb, self.speech):
            rate = 0.6
        elif frame == "object" and obj in self.action_objects:
            return None
        else:
            rate = self.model.prob(self.cue_features(verb, frame, obj))
        if rate < self.threshold:
            return None
        if verb.pos_ == "NOUN":
            subject, is_speaker = _noun_source(verb)
        elif verb.pos_ == "ADJ" and verb.dep_ in ("acomp", "amod") and verb.head is not verb:
            subject, is_speaker = _subject(verb.head) if verb.dep_ == "acomp" else (verb.head, True)
        elif self._next_report(verb):
            subject, is_speaker = _subject(verb.head.head)
        else:
            subject, is_speaker = _subject(verb)
        doc = verb.doc
        stop = {t.i for t in doc.char_span(*content, alignment_mode="expand") or []} | set(range(*cue))
        if frame == "interrupted":  # "The war, he said, is over": the content's stretch holds the source
            stop -= set(range(verb.left_edge.i, verb.right_edge.i + 1))
        source = _source_range(subject, stop) if subject is not None and is_speaker else None
        if source is not None and source[1] <= cue[0] and "\n" in doc[source[1] - 1 : cue[0]].text:
            source = _line_opening(doc, cue[0])
        if source is not None and source[0] >= source[1]:
            source = None
        return Found(cue, lemma, source, content, self._recipient(verb), obj, rate)

    def _interrupted(self, cue: Token) -> tuple[int, int] | None:
        """"…, Sengupta said." / "The war, he said, is over": the content is the clause the cue breaks into.

        The parse hangs such a cue on the content's verb as parataxis, or as a clause set off by a comma at the
        end of the sentence; a cue that its head reports on ("says he saw") is not interrupting anything.
        """
        head = cue.head
        if head is cue or not any(c.dep_ in _SUBJECTS for c in cue.children):
            return None
        own_start, own_end = _tok_range(cue)
        doc = cue.doc
        if cue.dep_ != "parataxis":
            if cue.dep_ not in _INTERRUPT or head.i > cue.i or own_start == 0 or doc[own_start - 1].text != ",":
                return None
            if any(not t.is_punct for t in doc[own_end : cue.sent.end]):
                return None
        start, end = _tok_range(head)
        while end > own_end and doc[end - 1].is_punct:  # the full stop after "…, as the mayor noted."
            end -= 1
        if own_start <= start:
            start = own_end
        elif own_end >= end:
            end = own_start
        return (start, end) if start < end else None

    def _object(self, cue: Token) -> tuple[tuple[int, int] | None, str | None]:
        objects = [c for c in cue.children if c.dep_ in _OBJECTS and c.i > cue.i]
        if not objects:
            return None, None
        obj = objects[0]
        start, end = _tok_range(obj)
        for child in cue.rights:
            if child.i > obj.i and child.dep_ in _OBJECT_TAIL:
                end = max(end, child.right_edge.i + 1)
        return (start, end), obj.lemma_.lower()

    def _recipient(self, cue: Token) -> tuple[int, int] | None:
        if cue.lemma_.lower() not in self.via_verbs:
            return None
        for child in cue.children:
            if child.dep_ in ("dative", "dobj") and child.i > cue.i and child.lemma_.lower() != "that":
                if child.dep_ == "dobj" and cue.lemma_.lower() != "tell":
                    continue
                if child.dep_ == "dative" and child.lower_ == "to":
                    child = next((c for c in child.children if c.dep_ == "pobj"), None)
                    if child is None:
                        continue
                return _tok_range(child)
            if child.dep_ == "prep" and child.lower_ == "to" and child.i > cue.i:
                pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
                if pobj is not None:
                    return _tok_range(pobj)
        return None

    def _phrase(self, tok: Token) -> Found | None:
        """"according to X": the source follows the phrase; the content is the rest of the clause."""
        doc = tok.doc
        for words in self.phrases:
            n = len(words)
            if doc[tok.i : tok.i + n].text.lower().split() != list(words):
                continue
            last = doc[tok.i + n - 1]
            pobj = next((c for c in last.children if c.dep_ == "pobj"), None)
            if pobj is None and tok.i + n < len(doc):
                pobj = doc[tok.i + n]
            if pobj is None or pobj.is_punct:
                return None
            source = (tok.i + n, max(pobj.right_edge.i + 1, tok.i + n + 1))
            sent = tok.sent
            before = (sent.start, tok.i)
            after = (source[1], sent.end)
            content = before if _words(doc, *before) >= _words(doc, *after) else after
            if _words(doc, *content) < 2:
                return None
            return Found((tok.i, tok.i + n), " ".join(words), source, _chars(doc, *_strip(doc, *content)))
        return None


def _bare_content(tok: Token) -> tuple[int, int] | None:
    """Token range of the content of a bare cue: the words after it in its own phrase, else the clause it sits
    in without its own phrase, else the sentence before."""
    doc = tok.doc
    start, end = tok.i + 1, tok.right_edge.i + 1
    if _two_words(doc, start, end):
        return _strip(doc, start, end)
    head = tok.head
    while head.dep_ not in ("ROOT", "ccomp", "advcl", "relcl", "conj") and head.head is not head:
        head = head.head
    if head is not tok:
        h_start, h_end = _tok_range(head)
        own_start, own_end = _tok_range(tok)
        part = (h_start, own_start) if own_start - h_start >= h_end - own_end else (own_end, h_end)
        if _two_words(doc, *part):
            return _strip(doc, *part)
    sent = tok.sent
    if sent.start > 0:
        previous = doc[sent.start - 1].sent
        if _two_words(doc, previous.start, previous.end):
            return _strip(doc, previous.start, previous.end)
    return None


def _two_words(doc: Doc, start: int, end: int) -> bool:
    """Whether a token range holds at least two words, looking no further than the second."""
    found = 0
    for i in range(start, end):
        if not doc[i].is_punct:
            found += 1
            if found == 2:
                return True
    return False


def _words(doc: Doc, start: int, end: int) -> int:
    return sum(1 for t in doc[start:end] if not t.is_punct)


def _strip(doc: Doc, start: int, end: int) -> tuple[int, int]:
    while start < end and (doc[start].is_punct or doc[start].is_space) and not doc[start].is_quote:
        start += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space) and not doc[end - 1].is_quote:
        end -= 1
    return start, end


def _quote_after(cue: Token, quotes: list[tuple[int, int]]) -> tuple[int, int] | None:
    """A quotation right after the cue and a colon or comma: 'He said: "…"'."""
    doc = cue.doc
    i = cue.i + 1
    while i < len(doc) and i <= cue.i + 3 and doc[i].text in (":", ",", "-", "—"):
        i += 1
    if i >= len(doc):
        return None
    at = doc[i].idx
    for start, end in quotes:
        if start == at:
            return start, end
    return None


def _quote_before(verb: Token, quotes: list[tuple[int, int]], text: str) -> tuple[int, int] | None:
    """A quotation that ends right before the cue clause: '"…," he said.' when the parse split them apart,
    or '"…," said Alicia Bannon.'"""
    subjects = [c for c in verb.lefts if c.dep_ in _SUBJECTS]
    anchor = subjects[-1].left_edge.idx if subjects else verb.idx
    for start, end in quotes:
        if 0 <= anchor - end <= 4 and not text[end:anchor].strip(" ,\u00a0\t"):
            return start, end
        if start > anchor:
            break
    return None


def _widen_to_quotes(doc: Doc, found: list[Found], quotes: list[tuple[int, int]]) -> list[Found]:
    """A content that touches a quotation holds all of it: quotes run over sentences the parse splits."""
    for item in found:
        start, end = item.content
        for q_start, q_end in quotes:
            if q_start < end and start < q_end:
                cue_start = doc[item.cue[0]].idx if item.cue else None
                # never widen across the cue itself ("…," he said. "…")
                if cue_start is not None and q_start < cue_start < q_end:
                    continue
                start, end = min(start, q_start), max(end, q_end)
        item.content = (start, end)
    return found


def _join_split_quotes(doc: Doc, text: str, found: list[Found], quotes: list[tuple[int, int]]) -> list[Found]:
    """'"A," he said. "B."': a quotation the cue splits is one content, from A to the end of B, as PolNeAR
    marks it (a discontinuous content, scored as its whole stretch). B is the next quotation after the cue, in
    the same paragraph with no other quotation between, and belongs to no other attribution."""
    for item in found:
        if item.cue is None or not any(end == item.content[1] for _, end in quotes):
            continue
        cue_end = doc[item.cue[1] - 1].idx + len(doc[item.cue[1] - 1])
        if cue_end < item.content[1]:
            continue
        following = next((q for q in quotes if q[0] >= cue_end), None)
        if following is None or "\n" in text[item.content[1]:following[0]] or following[0] - cue_end > _JOIN_GAP:
            continue
        if any(other is not item and other.content[0] < following[1] and following[0] < other.content[1]
               for other in found):
            continue
        item.content = (item.content[0], following[1])
    return found


def _floating_quotes(doc: Doc, text: str, found: list[Found], quotes: list[tuple[int, int]]) -> list[Found]:
    """Whole-sentence quotations no cue claims: the speaker of the nearest attribution before them says them."""
    extra: list[Found] = []
    for q_start, q_end in quotes:
        # a cue inside the quote is the quoted speaker's own report and does not claim the quote
        outside = [item.content for item in found if item.cue is None or not q_start <= doc[item.cue[0]].idx < q_end]
        if any(s < q_end and q_start < e for s, e in outside):
            continue
        inner = text[q_start:q_end]
        if len(inner.split()) < 4:
            continue
        previous = [item for item in found if item.content[1] <= q_start and item.source is not None]
        if not previous:
            continue
        speaker = max(previous, key=lambda item: item.content[1])
        if q_start - speaker.content[1] > 600:
            continue
        extra.append(Found(None, None, speaker.source, (q_start, q_end), rate=0.5))
    return extra
