"""Who did it to whom: the source and target phrases of an event, tagged by a learned sequence model.

A linear-chain CRF (python-crfsuite) tags the words of the event's sentence B-S/I-S (source: who acts), B-T/I-T
(target: on whom) or O. It was trained by `scripts/train_roles.py` on news sentences whose main event's source
and target are marked; the features are what the parse says about each word and about how it hangs on the
event: its word, shape, part of speech, dependency and entity type, the dictionary actor it belongs to, and the
dependency path to the event's clause verb (and to the sentence's root), with its neighbours' words and labels.

The source phrase becomes the event's actor1, the target its actor2, further phrases its associated actors. A
phrase that holds a dictionary actor is that actor; one that holds none becomes an actor of its own
(`actors.actor_for_span`: an official of a country is its government, "the aid agency" an NGO, and so on).
The model files are `data/models/roles.crfsuite` and `roles.json` (labels, settings and provenance).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from spacy.tokens import Span, Token

from ..config import data_path, read_model_settings
from ..errors import ModelError

REBUILD = ("rebuild it with: python scripts/train_roles.py --shared PATH/TO/shared (see docs/arguments.md), "
           "or reinstall wirecoder")
ROLES = ("S", "T")
_CLAUSE_VERBS = ("VERB", "AUX")
_SPEECH = {"say", "tell", "report", "announce", "state", "add", "confirm", "quote", "cite", "believe", "think"}


@dataclass(frozen=True)
class RoleSpan:
    """A phrase the model tags: token range [start, end) of the document, role "S" or "T", mean marginal."""

    start: int
    end: int
    role: str
    probability: float


def _shape(text: str) -> str:
    out = []
    for ch in text[:6]:
        kind = "X" if ch.isupper() else "x" if ch.islower() else "d" if ch.isdigit() else ch
        if not out or out[-1] != kind:
            out.append(kind)
    return "".join(out)


def _clause_verb(token: Token) -> Token:
    """The verb whose clause holds the token (the token itself when it is a verb)."""
    node = token
    for _ in range(6):
        if node.pos_ in _CLAUSE_VERBS or node.head.i == node.i:
            return node
        node = node.head
    return node


def _reported_clause(verb: Token) -> Token | None:
    """The top of the reported clause that holds the verb ("X told Y that Herat came under attack": "came"), or
    None when the verb is not inside one: the one who tells is no party to what is told."""
    node = verb
    while node.head.i != node.i:
        if node.dep_ == "ccomp" and node.head.lemma_ in _SPEECH:
            return node
        node = node.head
    return None


def actor_kinds(adoc, actor_of: dict[int, str]) -> Callable[[int], str | None]:
    """Token index -> the role of the dictionary actor it belongs to (the code's role part: GOV, MIL, REB, IGO…,
    else the ACLED inter type), for the `actor` features."""
    kinds = {a.id: _role_code(a.code) or f"inter{a.inter}" for a in adoc.actors}
    return lambda i: kinds.get(actor_of.get(i))


def _role_code(code: str | None) -> str | None:
    """The role part of a CAMEO-style code: IGO/NGO when it opens the code (IGOUNOWHO), else its last three
    letters (AFGREB -> REB, GOV -> GOV)."""
    if not code or len(code) < 3:
        return None
    return code[:3] if code.startswith(("IGO", "NGO")) else code[-3:]


def _ancestry(anchor: Token) -> dict[int, int]:
    """Token index -> steps up from the anchor, for the anchor and each of its ancestors."""
    steps = {anchor.i: 0}
    for n, node in enumerate(anchor.ancestors, 1):
        steps[node.i] = n
    return steps


def _hang(token: Token, anchor: Token, ancestry: dict[int, int], name: str) -> list[str]:
    """How `token` hangs on `anchor` (whose `_ancestry` is given): steps up from the anchor to their common
    ancestor, then the first two dependencies down (a preposition by its word) and how deep the token lies."""
    if token.i == anchor.i:
        return [f"{name}=self"]
    down: list[Token] = []
    node = token
    while node.i not in ancestry:
        down.append(node)
        if node.head.i == node.i:
            break
        node = node.head
    up = min(ancestry.get(node.i, 9), 3)
    down.reverse()
    labels = [t.lower_ if t.dep_ in ("prep", "agent") else t.dep_ for t in down[:2]]
    first = labels[0] if labels else "anc"
    return [f"{name}.up={up}", f"{name}.d1={up}|{first}", f"{name}.d12={up}|{'|'.join(labels)}",
            f"{name}.depth={min(len(down), 4)}", f"{name}.side={'L' if token.i < anchor.i else 'R'}"]


def word_features(sentence: Span, actor_kind: Callable[[int], str | None]) -> list[tuple[list[str], list[str]]]:
    """Per token of `sentence`, the features no event changes: its own (word, shape, parse, the role code
    `actor_kind(i)` of the dictionary actor it belongs to) and its neighbours'. The events of one sentence share
    them."""
    tokens = list(sentence)
    out = []
    for k, tok in enumerate(tokens):
        word = tok.lower_
        head = tok.head
        own = [
            "bias", f"w={word}", f"shape={_shape(tok.text)}", f"suf={word[-3:]}", f"pos={tok.pos_}", f"tag={tok.tag_}",
            f"dep={tok.dep_}", f"ent={tok.ent_iob_}{tok.ent_type_}", f"hdep={head.dep_}", f"hpos={head.pos_}",
            f"dep|hdep={tok.dep_}|{head.dep_}", f"actor={actor_kind(tok.i) or '-'}",
            f"hword={head.lower_ if head.pos_ in ('ADP', 'VERB', 'AUX') else head.pos_}",
        ]
        around = []
        for offset in (-2, -1, 1, 2):
            j = k + offset
            if 0 <= j < len(tokens):
                other = tokens[j]
                around += [f"{offset}:w={other.lower_}", f"{offset}:pos={other.pos_}"]
                if abs(offset) == 1:
                    around += [f"{offset}:dep={other.dep_}", f"{offset}:ent={other.ent_type_ or '-'}",
                               f"{offset}:actor={actor_kind(other.i) or '-'}"]
            else:
                around.append(f"{offset}:edge")
        out.append((own, around))
    return out


def features(sentence: Span, anchor: Token, actor_kind: Callable[[int], str | None],
             words: list[tuple[list[str], list[str]]] | None = None) -> list[list[str]]:
    """The feature strings of each token of `sentence` for the event whose clause verb is `anchor`: its
    `word_features` (given in `words`, or computed with `actor_kind`), its distance from the anchor and how it
    hangs on the anchor and on the sentence root."""
    root = sentence.root
    from_anchor, from_root = _ancestry(anchor), _ancestry(root)
    rows: list[list[str]] = []
    for tok, (own, around) in zip(sentence, words or word_features(sentence, actor_kind)):
        row = [*own, f"dist={min(abs(tok.i - anchor.i), 8) if tok.i != anchor.i else 0}"]
        row += _hang(tok, anchor, from_anchor, "a")
        row += _hang(tok, root, from_root, "r") if root.i != anchor.i else ["r=anchor"]
        rows.append(row + around)
    return rows


def spans_from_labels(labels: Sequence[str], offset: int = 0) -> list[tuple[int, int, str]]:
    """(start, end, role) of the BIO runs of a label sequence; an I- without its B- opens a run."""
    out: list[list] = []
    current = None
    for i, label in enumerate(labels):
        if label == "O" or "-" not in label:
            current = None
            continue
        prefix, role = label.split("-", 1)
        if prefix == "B" or current is None or current[2] != role:
            current = [offset + i, offset + i + 1, role]
            out.append(current)
        else:
            current[1] = offset + i + 1
    return [tuple(x) for x in out]


class RoleModel:
    """The CRF tagger and its settings (`roles.json`)."""

    def __init__(self, path: Path, meta: dict):
        import pycrfsuite

        self.path = path
        self.meta = meta
        self.tagger = pycrfsuite.Tagger()
        try:
            self.tagger.open(str(path))
        except (OSError, ValueError) as exc:
            raise ModelError(f"role model file unreadable: {path} ({exc}); {REBUILD}") from exc
        labels = set(self.tagger.labels())
        if not {"B-S", "B-T", "O"} <= labels:
            raise ModelError(f"role model {path} has labels {sorted(labels)}, not B-S/B-T/O; {REBUILD}")

    def tag(self, sentence: Span, anchor: Token, actor_kind: Callable[[int], str | None],
            words: list[tuple[list[str], list[str]]] | None = None) -> list[RoleSpan]:
        """The source and target phrases of the event of `anchor` in `sentence`, most probable first (`words`:
        the sentence's `word_features`, when the caller keeps them)."""
        self.tagger.set(features(sentence, anchor, actor_kind, words))
        return [RoleSpan(start + sentence.start, end + sentence.start, role, p)
                for start, end, role, p in decode(self.tagger, float(self.meta.get("fill", 1.0)))]


def decode(tagger, fill: float) -> list[tuple[int, int, str, float]]:
    """(start, end, role, mean marginal) of the phrases of the sequence set on `tagger`, most probable first.

    The best label sequence gives the phrases; a role it leaves out still gets its likeliest phrase when that
    phrase's first word is B- with a marginal probability of at least `fill` (the tagger is shy of targets:
    most sentences have one, and the score counts a missing one as much as a wrong one)."""
    labels = tagger.tag()
    out = []
    for start, end, role in spans_from_labels(labels):
        marginals = [tagger.marginal(labels[i], i) for i in range(start, end)]
        out.append((start, end, role, sum(marginals) / len(marginals)))
    for role in ROLES:
        if any(found[2] == role for found in out):
            continue
        begins = [tagger.marginal(f"B-{role}", i) for i in range(len(labels))]
        first = max(range(len(labels)), key=begins.__getitem__, default=None)
        if first is None or begins[first] < fill:
            continue
        end = first + 1
        while end < len(labels) and tagger.marginal(f"I-{role}", end) >= 0.5 * begins[first]:
            end += 1
        out.append((first, end, role, begins[first]))
    return sorted(out, key=lambda found: -found[3])


def model_files(model: str = "auto") -> tuple[Path, Path]:
    """(tagger file, settings file) of a model setting: "auto" is the one shipped in the package."""
    path = data_path("models", "roles.crfsuite") if model in ("", "auto") else Path(model)
    return path, path.with_suffix(".json")


@functools.cache
def load_roles(model: str = "auto") -> RoleModel:
    """The role model, read once per process; a missing or damaged file raises ModelError saying how to rebuild
    it."""
    path, meta_path = model_files(model)
    return RoleModel(path, read_model_settings("role model", [path, meta_path], REBUILD))


def roles_for(sentence: Span, trigger_tokens: Sequence[Token], actor_of: dict[int, str],
              tag: Callable[[Span, Token], list[RoleSpan]], new_actor: Callable[[Span], str | None],
              known: tuple[list[str], list[str]] = ([], [])) -> tuple[list[str], list[str]]:
    """(agents, patients): the actor ids of the event's source phrases and target phrases, most probable first.

    `known` holds the agents and patients the parse rules already found: a role they fill keeps them (they read
    the dictionary actors a clause names exactly), and the tagger fills only the roles they leave empty, so no
    actor is made of a phrase that is not used. `actor_of` maps token indices to the dictionary actors' ids,
    `tag(sentence, anchor)` is the model's `RoleModel.tag` for the event whose clause verb is `anchor`, and
    `new_actor` makes an actor of a phrase that holds none (or returns None when the phrase names nobody)."""
    agents, patients = list(known[0]), list(known[1])
    if agents and patients:
        return agents, patients
    empty = {role for role, found in (("S", agents), ("T", patients)) if not found}
    doc = sentence.doc
    anchor = _clause_verb(trigger_tokens[0])
    told = _reported_clause(anchor)
    for found in tag(sentence, anchor):
        phrase = doc[found.start:found.end]
        if found.role not in empty or (told is not None and not (told.i == phrase.root.i
                                                                 or told.is_ancestor(phrase.root))):
            continue
        actor = actor_of.get(phrase.root.i) or next(
            (actor_of[i] for i in range(found.start, found.end) if i in actor_of), None)
        if actor is None:
            actor = new_actor(phrase)
        if actor is not None and actor not in agents and actor not in patients:
            (agents if found.role == "S" else patients).append(actor)
            empty.discard(found.role)
    return agents, patients
