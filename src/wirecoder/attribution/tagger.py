"""A trained tagger that sets the edges of cue and source spans.

The rules (rules.py) find most attributions but place their edges by the parse: a cue is one verb where
PolNeAR marks the phrase ("made the case", "said in a statement"). A linear-chain CRF (python-crfsuite) tags
tokens with BIO tags of source, cue and content, reading the parse around each (word, lemma, tags, dependency,
the path up to the nearest cue, its clause, quotation marks, line breaks) and what the rules found there. The
rules keep deciding which attributions exist, who speaks and what the content is (the tagger's content edges
were right no more often than the rules' on PolNeAR dev); the tagger moves cue and source edges.

The model is trained on the PolNeAR training split by `scripts/train_attribution_tagger.py` and shipped as
`data/models/attribution_tagger.crfsuite` with its provenance in `attribution_tagger.json`.
"""

from __future__ import annotations

from bisect import bisect_right
from pathlib import Path

from spacy.tokens import Doc, Token

from ..errors import ModelError
from ..records import Span
from .rules import Found

ROLES = ("source", "cue", "content")
MODEL_NAME = "attribution_tagger.crfsuite"
REBUILD = "python scripts/train_attribution_tagger.py --shared ../shared"


def _rule_marks(doc: Doc, found: list[Found]) -> list[set[str]]:
    """Per token, what the rules said about it: inside or at the edge of a cue, source or content."""
    marks: list[set[str]] = [set() for _ in range(len(doc))]

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


_CLAUSES = frozenset({"ROOT", "ccomp", "xcomp", "advcl", "relcl", "conj", "parataxis", "acl", "pcomp"})


def _up_the_tree(heads: list[int], own: list[str | None]) -> list[str]:
    """Per token, the first value of `own` met going up the parse from it (itself first): a token with None
    takes its head's value. Walks each branch once."""
    values: list[str | None] = list(own)
    for i in range(len(heads)):
        path = []
        node = i
        while values[node] is None:
            path.append(node)
            node = heads[node]
        for j in path:
            values[j] = values[node]
    return values  # type: ignore[return-value]


def _cue_paths(heads: list[int], deps: list[str], lemma: list[str], cues: set[int],
               lemmas: frozenset[str]) -> list[str]:
    """Per token, the dependency by which its branch hangs on the nearest cue above it ("nsubj" for a source,
    "ccomp" for a content), tagged with whether the rules took that word as a cue or only the lexicon lists it;
    "far" when there is none. A cue at the root hangs on itself ("r|ROOT")."""
    own: list[str | None] = []
    for i, head in enumerate(heads):
        if head in cues:
            own.append("r|" + deps[i])
        elif lemma[head] in lemmas:
            own.append("l|" + deps[i])
        else:
            own.append("far" if head == i else None)  # a root under no cue, itself no cue
    return _up_the_tree(heads, own)


def _clauses(heads: list[int], deps: list[str]) -> list[str]:
    """Per token, the dependency of the clause it belongs to: where a content starts and ends follows clauses."""
    return _up_the_tree(heads, [d if d in _CLAUSES or h == i else None for i, (h, d) in enumerate(zip(heads, deps))])


def _word(tok: Token) -> str:
    return "<nl>" if "\n" in tok.text else tok.lower_


Context = tuple[list[list[str]], list[str]]


def article_context(doc: Doc, found: list[Found], quotes: list[tuple[int, int]]) -> Context:
    """Per token of an article, what the rules said about it and whether it is quoted: read once per article,
    whatever windows are tagged."""
    return [list(m) or ["none"] for m in _rule_marks(doc, found)], [str(q) for q in _quote_flags(doc, quotes)]


def token_features(doc: Doc, context: Context, lemmas: frozenset[str],
                   window: tuple[int, int] | None = None) -> list[list[str]]:
    """The CRF's feature strings for every token of a parsed article, or of the tokens of `window` (a token
    range of whole sentences; its first and last tokens still see their neighbours outside it). Token
    attributes are read once into lists: spaCy's are slow to fetch, and the stage runs on every article."""
    start, end = window or (0, len(doc))
    outer = max(start - 2, 0)
    near = list(doc[outer : min(end + 2, len(doc))])  # the window and the neighbours its edges look at
    marks = context[0][outer : outer + len(near)]
    quoted = context[1][outer : outer + len(near)]
    words = [_word(t) for t in near]
    pos = [t.pos_ for t in near]
    starts = [t.is_sent_start for t in near]
    toks = near[start - outer : end - outer]
    lemma = [t.lemma_.lower() for t in toks]
    deps = [t.dep_ for t in toks]
    heads = [t.head.i - start for t in toks]
    left = [t.left_edge.i - start for t in toks]
    right = [t.right_edge.i - start for t in toks]
    cues = {i for i, m in enumerate(marks[start - outer : end - outer]) if "cue" in m}
    paths = _cue_paths(heads, deps, lemma, cues, lemmas)
    clauses = _clauses(heads, deps)
    neighbours = {offset: [[f"w{offset}=" + w, f"p{offset}=" + p, f"q{offset}=" + q] + [f"r{offset}=" + m for m in ms
                                                                                         if m != "none"]
                           for w, p, q, ms in zip(words, pos, quoted, marks)]
                  for offset in (-2, -1, 1, 2)}
    rows = []
    for i, tok in enumerate(toks):
        head = heads[i]
        up = paths[i]
        k = i + start - outer  # the token's place in the lists over `near`
        feats = [
            "w=" + words[k], "l=" + lemma[i], "p=" + pos[k], "t=" + tok.tag_, "d=" + deps[i],
            "hl=" + lemma[head], "hd=" + deps[i] + "|" + pos[head + start - outer],
            "dir=" + ("L" if i < head else "R" if i > head else "0"),
            "up=" + up, "upd=" + up + "|" + pos[k], "q=" + quoted[k],
            "lex=" + str(lemma[i] in lemmas), "ent=" + tok.ent_type_,
            "nl=" + str("\n" in tok.whitespace_ or words[k] == "<nl>"),
            "ss=" + str(starts[k]), "se=" + str(k + 1 == len(near) and end == len(doc) or starts[k + 1]),
            "cl=" + clauses[i], "edge=" + ("L" if i == left[head] else "") + ("R" if i == right[head] else ""),
        ]
        feats += ["r=" + m for m in marks[k]]
        for offset, rows_at in neighbours.items():
            j = tok.i + offset
            if 0 <= j < len(doc):
                feats += rows_at[j - outer]
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

    def spans(self, doc: Doc, found: list[Found], quotes: list[tuple[int, int]],
              near: list[tuple[int, int]] | None = None) -> dict[str, list[tuple[int, int]]]:
        """Tagged token ranges per role, over the whole article or only the sentences holding the token ranges
        `near` (the tags the stage reads: tagging every token would double the stage's time)."""
        spans: dict[str, list[tuple[int, int]]] = {role: [] for role in ROLES}
        windows = [(0, len(doc))] if near is None else _sentences(doc, near)
        context = article_context(doc, found, quotes)
        for window in windows:
            if window[0] >= window[1]:
                continue
            tags = self.tagger.tag(token_features(doc, context, self.lemmas, window))
            for role, found_spans in spans_from_tags(tags).items():
                spans[role] += [(start + window[0], end + window[0]) for start, end in found_spans]
        return spans

    def refine(self, doc: Doc, records: list, found: list[Found], quotes: list[tuple[int, int]]) -> None:
        """Move the edges of the top-level attributions' cues and sources to the tagged spans that fit them
        best; a span the tagger does not overlap keeps the rules' edges. A tagged cue goes to one attribution
        only. Contents keep the rules' edges: on PolNeAR dev, the tagger's content edges were right no more
        often than the rules'. Nested attributions keep the rules' spans (PolNeAR never marks them)."""
        top = [r for r in records if r.nested_in is None]
        cues = [_token_range(doc, r.cue) for r in top]
        sources = [_token_range(doc, r.source) for r in top]
        tagged = self.spans(doc, found, quotes, [rng for rng in cues + sources if rng is not None])
        for record, rng in zip(top, _assign(cues, tagged["cue"])):
            if rng is not None:
                record.cue = _span(doc, *rng)
                _content_after_cue(doc, record, rng)
        for record, rng in zip(top, sources):
            if rng is not None:
                record.source = _span(doc, *_best_source(rng, tagged["source"]))


def _content_after_cue(doc: Doc, record, cue: tuple[int, int]) -> None:
    """A cue grown over the start of its content ("made the case" + "the case that …") leaves it the rest:
    a word has one role."""
    content = _token_range(doc, record.content)
    if content is not None and cue[0] <= content[0] < cue[1] < content[1]:
        record.content = _span(doc, cue[1], content[1])


def _sentences(doc: Doc, ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The token ranges of the sentences that hold the given token ranges, merged where they touch."""
    if not ranges:
        return []
    starts = [i for i, tok in enumerate(doc) if tok.is_sent_start] + [len(doc)]
    bounds = set()
    for start, end in ranges:
        for i in (start, end - 1):
            at = bisect_right(starts, i) - 1
            bounds.add((starts[at], starts[at + 1]))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(bounds):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _span(doc: Doc, start: int, end: int) -> Span:
    """The record span of a token range, without the space tokens at its edges (a no-break space after a name)."""
    while end - start > 1 and doc[end - 1].is_space:
        end -= 1
    while end - start > 1 and doc[start].is_space:
        start += 1
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
