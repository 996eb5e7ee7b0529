"""A trained tagger that sets the edges of source, cue and content spans.

The rules (rules.py) find most attributions but place their edges by the parse, and half their content spans
started or ended in the wrong place. A linear-chain CRF (python-crfsuite) tags every token of an article with
BIO tags of the three roles, reading the parse around it (word, lemma, tags, dependency, the path up to the
nearest cue, quotation marks, line breaks) and what the rules found there. The rules keep deciding which
attributions exist and who speaks; the tagger moves each span's edges to the tagged span it overlaps.

The model is trained on the PolNeAR training split by `scripts/train_attribution_tagger.py` and shipped as
`data/models/attribution_tagger.crfsuite` with its provenance in `attribution_tagger.json`.
"""

from __future__ import annotations

from pathlib import Path

from spacy.tokens import Doc, Token

from ..errors import ModelError
from ..records import Span
from .rules import Found

ROLES = ("source", "cue", "content")
MODEL_NAME = "attribution_tagger.crfsuite"
REBUILD = "python scripts/train_attribution_tagger.py --shared ../shared"
_UP_STEPS = 40  # how far up the parse a token looks for the cue it hangs on


def _rule_marks(doc: Doc, found: list[Found]) -> list[set[str]]:
    """Per token, what the rules said about it: inside or at the edge of a cue, source or content."""
    marks: list[set[str]] = [set() for _ in doc]

    def mark(start: int, end: int, name: str) -> None:
        for i in range(start, end):
            marks[i].add(name)
        marks[start].add(name + "<")
        marks[end - 1].add(name + ">")

    for item in found:
        if item.cue is not None:
            mark(*item.cue, "cue")
        if item.source is not None and item.source[0] < item.source[1]:
            mark(*item.source, "src")
        span = doc.char_span(*item.content, alignment_mode="expand")
        if span is not None and len(span):
            mark(span.start, span.end, "cont")
    return marks


def _quote_flags(doc: Doc, quotes: list[tuple[int, int]]) -> list[bool]:
    """Per token, whether it lies inside a quotation."""
    flags = [False] * len(doc)
    for start, end in quotes:
        span = doc.char_span(start, end, alignment_mode="expand")
        for tok in span or []:
            flags[tok.i] = True
    return flags


def _up_to_cue(tok: Token, cues: set[int], lemmas: frozenset[str]) -> str:
    """The dependency by which a token's branch hangs on the nearest cue above it ("nsubj" for a source,
    "ccomp" for a content), tagged with whether the rules took that word as a cue or only the lexicon lists it."""
    node = tok
    for _ in range(_UP_STEPS):
        head = node.head
        if head is node:
            return "none"
        if head.i in cues:
            return "r|" + node.dep_
        if head.lemma_.lower() in lemmas:
            return "l|" + node.dep_
        node = head
    return "far"


_CLAUSES = frozenset({"ROOT", "ccomp", "xcomp", "advcl", "relcl", "conj", "parataxis", "acl", "pcomp"})


def _clause(tok: Token) -> str:
    """The dependency of the clause a token belongs to: where a content starts and ends follows clauses."""
    node = tok
    for _ in range(_UP_STEPS):
        if node.dep_ in _CLAUSES or node.head is node:
            return node.dep_
        node = node.head
    return "far"


def _word(tok: Token) -> str:
    return "<nl>" if "\n" in tok.text else tok.lower_


def token_features(doc: Doc, found: list[Found], quotes: list[tuple[int, int]],
                   lemmas: frozenset[str]) -> list[list[str]]:
    """The CRF's feature strings for every token of a parsed article."""
    marks = _rule_marks(doc, found)
    quoted = _quote_flags(doc, quotes)
    cues = {i for i, m in enumerate(marks) if "cue" in m}
    rows = []
    for tok in doc:
        lemma = tok.lemma_.lower()
        up = _up_to_cue(tok, cues, lemmas)
        feats = [
            "w=" + _word(tok), "l=" + lemma, "p=" + tok.pos_, "t=" + tok.tag_, "d=" + tok.dep_,
            "hl=" + tok.head.lemma_.lower(), "hd=" + tok.dep_ + "|" + tok.head.pos_,
            "dir=" + ("L" if tok.i < tok.head.i else "R" if tok.i > tok.head.i else "0"),
            "up=" + up, "upd=" + up + "|" + tok.pos_, "q=" + str(quoted[tok.i]),
            "lex=" + str(lemma in lemmas), "ent=" + tok.ent_type_,
            "nl=" + str("\n" in tok.whitespace_ or "\n" in tok.text),
            "ss=" + str(tok.is_sent_start), "se=" + str(tok.is_sent_end), "cl=" + _clause(tok),
            "edge=" + ("L" if tok.i == tok.head.left_edge.i else "") + ("R" if tok.i == tok.head.right_edge.i else ""),
        ]
        feats += ["r=" + m for m in marks[tok.i]]
        if not marks[tok.i]:
            feats.append("r=none")
        for offset in (-2, -1, 1, 2):
            j = tok.i + offset
            if 0 <= j < len(doc):
                other = doc[j]
                feats += [f"w{offset}=" + _word(other), f"p{offset}=" + other.pos_, f"q{offset}=" + str(quoted[j])]
                feats += [f"r{offset}=" + m for m in marks[j]]
            else:
                feats.append(f"w{offset}=<edge>")
        rows.append(feats)
    return rows


def spans_from_tags(tags: list[str]) -> dict[str, list[tuple[int, int]]]:
    """Token ranges (end exclusive) per role from BIO tags; an I- tag with no span open starts one."""
    spans: dict[str, list[tuple[int, int]]] = {role: [] for role in ROLES}
    open_role, start = None, 0
    for i, tag in enumerate(tags + ["O"]):
        prefix, _, role = tag.partition("-")
        if open_role is not None and (prefix != "I" or role != open_role):
            spans[open_role].append((start, i))
            open_role = None
        if prefix in ("B", "I") and open_role is None:
            open_role, start = role, i
    return spans


class SpanTagger:
    """The trained CRF; `spans` tags one parsed article, `refine` moves the rules' edges to the tagged ones."""

    def __init__(self, path: Path, lemmas: frozenset[str]):
        self.lemmas = lemmas
        self.tagger = _open(path)

    def spans(self, doc: Doc, found: list[Found], quotes: list[tuple[int, int]]) -> dict[str, list[tuple[int, int]]]:
        if not len(doc):
            return {role: [] for role in ROLES}
        return spans_from_tags(self.tagger.tag(token_features(doc, found, quotes, self.lemmas)))

    def refine(self, doc: Doc, records: list, found: list[Found], quotes: list[tuple[int, int]]) -> None:
        """Move the edges of the top-level attributions' cues and sources to the tagged spans that fit them
        best; a span the tagger does not overlap keeps the rules' edges. A tagged cue goes to one attribution
        only. Contents keep the rules' edges: on PolNeAR dev, the tagger's content edges were right no more
        often than the rules'. Nested attributions keep the rules' spans (PolNeAR never marks them)."""
        tagged = self.spans(doc, found, quotes)
        top = [r for r in records if r.nested_in is None]
        cues = [_token_range(doc, r.cue) for r in top]
        for record, rng in zip(top, _assign(cues, tagged["cue"])):
            if rng is not None:
                record.cue = _span(doc, *rng)
                _content_after_cue(doc, record, rng)
        for record in top:
            rng = _token_range(doc, record.source)
            if rng is not None:
                record.source = _span(doc, *_best_source(rng, tagged["source"]))


def _content_after_cue(doc: Doc, record, cue: tuple[int, int]) -> None:
    """A cue grown over the start of its content ("made the case" + "the case that …") leaves it the rest:
    a word has one role."""
    content = _token_range(doc, record.content)
    if content is not None and cue[0] <= content[0] < cue[1] < content[1]:
        record.content = _span(doc, cue[1], content[1])


def _span(doc: Doc, start: int, end: int) -> Span:
    return Span(*_chars(doc, start, end), doc[start:end].text)


def _token_range(doc: Doc, span: Span | None) -> tuple[int, int] | None:
    if span is None:
        return None
    span = doc.char_span(span.start, span.end, alignment_mode="expand")
    return (span.start, span.end) if span is not None and len(span) else None


def _iou(a: tuple[int, int], b: tuple[int, int]) -> float:
    shared = min(a[1], b[1]) - max(a[0], b[0])
    return shared / (max(a[1], b[1]) - min(a[0], b[0])) if shared > 0 else 0.0


def _assign(ranges: list[tuple[int, int] | None], tagged: list[tuple[int, int]]) -> list[tuple[int, int] | None]:
    """For each range, the tagged span that replaces it (None where the range is None), best fits first: each
    tagged span replaces one range; a range left without one keeps its edges."""
    pairs = sorted(((_iou(r, t), i, j) for i, r in enumerate(ranges) if r is not None
                    for j, t in enumerate(tagged)), reverse=True)
    out = list(ranges)
    chosen: set[int] = set()
    taken: set[int] = set()
    for score, i, j in pairs:
        if score > 0 and i not in chosen and j not in taken:
            out[i] = tagged[j]
            chosen.add(i)
            taken.add(j)
    return out


def _best_source(rng: tuple[int, int], tagged: list[tuple[int, int]]) -> tuple[int, int]:
    """The tagged source that fits the rules' source best (one speaker may have several reports)."""
    best = max(tagged, key=lambda t: _iou(rng, t), default=None)
    return best if best is not None and _iou(rng, best) > 0 else rng


def _chars(doc: Doc, start: int, end: int) -> tuple[int, int]:
    return doc[start].idx, doc[end - 1].idx + len(doc[end - 1])


def _open(path: Path):
    """The crfsuite tagger of `path`, or a ModelError that names the file and how to rebuild it."""
    import pycrfsuite

    if not path.is_file():
        raise ModelError(f"attribution tagger model missing: {path} (rebuild it with `{REBUILD}`)")
    tagger = pycrfsuite.Tagger()
    try:
        tagger.open(str(path))
    except Exception as exc:  # crfsuite reports a bad file as a bare ValueError/OSError
        raise ModelError(f"attribution tagger model unreadable: {path} ({exc}); rebuild it with `{REBUILD}`") from exc
    if not tagger.labels():
        raise ModelError(f"attribution tagger model has no labels: {path}; rebuild it with `{REBUILD}`")
    return tagger
