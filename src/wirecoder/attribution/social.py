"""Hashtags and the social-media campaigns that explain them ("#SanctionPakistan … a campaign calling for …")."""

from __future__ import annotations

import re

from spacy.tokens import Doc

from ..records import Hashtag, Span

_HASHTAG = re.compile(r"(?<![\w&#/])#[^\W\d]\w{1,138}")
# head nouns of a phrase that names a campaign; looked for in the hashtag's sentence and the two after it
_CAMPAIGN = frozenset({"campaign", "movement", "hashtag", "trend", "petition", "drive", "protest", "boycott"})


def find_hashtags(doc: Doc, text: str) -> list[Hashtag]:
    """Every hashtag of `text` (the text of `doc`), with the phrase naming its campaign when a nearby sentence
    has one."""
    hashtags = []
    for match in _HASHTAG.finditer(text):
        campaign = _campaign(doc, match.start(), match.end())
        hashtags.append(Hashtag(match.start(), match.end(), match.group(), campaign))
    return hashtags


def _campaign(doc: Doc, start: int, end: int) -> Span | None:
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return None
    sent = span.sent
    sentences = [sent]
    nxt = sent.end
    while len(sentences) < 3 and nxt < len(doc):
        sentences.append(doc[nxt].sent)
        nxt = sentences[-1].end
    for sentence in sentences:
        for tok in sentence:
            if tok.lemma_.lower() in _CAMPAIGN and tok.pos_ == "NOUN" and not (start <= tok.idx < end):
                left = tok.left_edge.i
                while left < tok.i and (doc[left].idx < end or doc[left].is_punct or doc[left].is_space):
                    left += 1  # the parse may hang the hashtag itself on the campaign noun
                phrase = doc[left : tok.right_edge.i + 1]
                return Span(phrase.start_char, phrase.end_char, phrase.text)
    return None
