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
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from spacy.tokens import Span, Token

from ..config import data_path
from ..errors import ModelError

REBUILD = ("rebuild it with: python scripts/train_roles.py --shared PATH/TO/shared (see docs/events.md), "
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


def _hang(token: Token, anchor: Token, name: str) -> list[str]:
    """How `token` hangs on `anchor`: steps up from the anchor to their common ancestor, then the first two
    dependencies down (a preposition by its word) and how deep the token lies."""
    if token.i == anchor.i:
        return [f"{name}=self"]
    ancestors = {anchor.i: 0}
    steps = 0
    for node in anchor.ancestors:
        steps += 1
        ancestors[node.i] = steps
    down: list[Token] = []
    node = token
    while node.i not in ancestors:
        down.append(node)
        if node.head.i == node.i:
            break
        node = node.head
    up = min(ancestors.get(node.i, 9), 3)
    down.reverse()
    labels = [t.lower_ if t.dep_ in ("prep", "agent") else t.dep_ for t in down[:2]]
    first = labels[0] if labels else "anc"
    return [f"{name}.up={up}", f"{name}.d1={up}|{first}", f"{name}.d12={up}|{'|'.join(labels)}",
            f"{name}.depth={min(len(down), 4)}", f"{name}.side={'L' if token.i < anchor.i else 'R'}"]


def features(sentence: Span, anchor: Token, actor_kind: Callable[[int], str | None]) -> list[list[str]]:
    """The feature strings of each token of `sentence` for the event whose clause verb is `anchor`;
    `actor_kind(i)` is the role code of the dictionary actor token i belongs to, or None."""
    root = sentence.root
    tokens = list(sentence)
    rows: list[list[str]] = []
    for k, tok in enumerate(tokens):
        word = tok.lower_
        kind = actor_kind(tok.i)
        head = tok.head
        row = [
            "bias", f"w={word}", f"shape={_shape(tok.text)}", f"suf={word[-3:]}", f"pos={tok.pos_}", f"tag={tok.tag_}",
            f"dep={tok.dep_}", f"ent={tok.ent_iob_}{tok.ent_type_}", f"hdep={head.dep_}", f"hpos={head.pos_}",
            f"dep|hdep={tok.dep_}|{head.dep_}", f"actor={kind or '-'}",
            f"hword={head.lower_ if head.pos_ in ('ADP', 'VERB', 'AUX') else head.pos_}",
            f"dist={min(abs(tok.i - anchor.i), 8) if tok.i != anchor.i else 0}",
        ]
        row += _hang(tok, anchor, "a")
        if root.i != anchor.i:
            row += _hang(tok, root, "r")
        else:
            row.append("r=anchor")
        for offset in (-2, -1, 1, 2):
            j = k + offset
            if 0 <= j < len(tokens):
                other = tokens[j]
                row += [f"{offset}:w={other.lower_}", f"{offset}:pos={other.pos_}"]
                if abs(offset) == 1:
                    row += [f"{offset}:dep={other.dep_}", f"{offset}:ent={other.ent_type_ or '-'}",
                            f"{offset}:actor={actor_kind(other.i) or '-'}"]
            else:
                row.append(f"{offset}:edge")
        rows.append(row)
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

    def tag(self, sentence: Span, anchor: Token, actor_kind: Callable[[int], str | None]) -> list[RoleSpan]:
        """The source and target phrases of the event of `anchor` in `sentence`, most probable first."""
        self.tagger.set(features(sentence, anchor, actor_kind))
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
    for file in (path, meta_path):
        if not file.is_file():
            raise ModelError(f"role model file missing: {file}; {REBUILD}")
    try:
        meta = json.loads(meta_path.read_text("utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ModelError(f"role model settings unreadable: {meta_path} ({exc}); {REBUILD}") from exc
    return RoleModel(path, meta)


def roles_for(sentence: Span, trigger_tokens: Sequence[Token], actor_of: dict[int, str],
              actor_kind: Callable[[int], str | None], new_actor: Callable[[Span], str | None],
              model: RoleModel, known: tuple[list[str], list[str]] = ([], [])) -> tuple[list[str], list[str]]:
    """(agents, patients): the actor ids of the event's source phrases and target phrases, most probable first.

    `known` holds the agents and patients the parse rules already found: a role they fill keeps them (they read
    the dictionary actors a clause names exactly), and the tagger fills only the roles they leave empty, so no
    actor is made of a phrase that is not used. `actor_of` maps token indices to the dictionary actors' ids,
    `actor_kind` gives their role codes, and `new_actor` makes an actor of a phrase that holds none (or returns
    None when the phrase names nobody)."""
    agents, patients = list(known[0]), list(known[1])
    if agents and patients:
        return agents, patients
    empty = {role for role, found in (("S", agents), ("T", patients)) if not found}
    doc = sentence.doc
    anchor = _clause_verb(trigger_tokens[0])
    told = _reported_clause(anchor)
    for found in model.tag(sentence, anchor, actor_kind):
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
