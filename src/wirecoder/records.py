"""The record model: every stage reads and writes these, and nothing else.

Each record is a plain dataclass whose JSON form is `to_dict()` (documented in docs/schema.md and validated by
`data/schema/report.schema.json`). Offsets are Python string indices (code points) into `Article.text`, end
exclusive. Records that point at other records do so by their `id` within the same report ("p1", "a2", "q3").
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
from dataclasses import dataclass, field
from typing import Any, ClassVar


# values that are their own JSON form: the bulk of a record, answered without a call to `_plain`
_SCALARS = frozenset({str, int, float, bool, type(None)})


def _plain(value: Any) -> Any:
    """JSON form of a value: records become dicts, lists stay lists."""
    if type(value) in _SCALARS:
        return value
    if isinstance(value, Record):
        return value.to_dict()
    if isinstance(value, list):
        return [v if type(v) in _SCALARS else _plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


@functools.cache
def _field_names(cls: type) -> tuple[str, ...]:
    """A record class's field names, once per class: the store decodes and encodes records by the thousand."""
    return tuple(f.name for f in dataclasses.fields(cls))


class Record:
    """Base of all records: JSON round trip through `to_dict` / `from_dict`."""

    # field name -> record class, for nested records that `from_dict` must rebuild
    nested: ClassVar[dict[str, type[Record]]] = {}

    def to_dict(self) -> dict[str, Any]:
        out = {}
        for name in _field_names(type(self)):
            value = getattr(self, name)
            out[name] = value if type(value) in _SCALARS else _plain(value)
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]):
        names = _field_names(cls)
        kwargs = {}
        for key, value in data.items():
            if key not in names:
                continue
            sub = cls.nested.get(key)
            if sub is not None and value is not None:
                value = [sub.from_dict(v) for v in value] if isinstance(value, list) else sub.from_dict(value)
            kwargs[key] = value
        return cls(**kwargs)


@dataclass(slots=True)
class Span(Record):
    """A stretch of the article text: the evidence behind any extracted field."""

    start: int
    end: int
    text: str = ""


@dataclass(slots=True)
class Article(Record):
    """One input document, as ingested. `content_hash` identifies it across runs and stores."""

    id: str
    text: str
    published: str | None = None  # ISO date (YYYY-MM-DD) or datetime
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    source_path: str | None = None  # file (and line, for JSONL) it came from
    content_hash: str = ""

    def __post_init__(self):
        if not self.content_hash:
            self.content_hash = hashlib.sha1(self.text.encode("utf-8")).hexdigest()


@dataclass(slots=True)
class Place(Record):
    """A place mention resolved to the gazetteer (GeoNames ids where the place has one).

    `feature` is one of country, admin1, admin2, city, region, continent, landmark; `precision` says how exact
    the coordinates are for an event placed here (the same words). `resolved_by` names the evidence used
    (e.g. "population", "coherence:AF", "reference:eponymous").
    """

    id: str
    start: int
    end: int
    text: str
    geonameid: int | None = None
    name: str | None = None
    country: str | None = None
    admin1: str | None = None
    admin1_name: str | None = None
    lat: float | None = None
    lon: float | None = None
    feature: str | None = None
    precision: str | None = None
    confidence: float = 0.0
    resolved_by: str | None = None


@dataclass(slots=True)
class DateMention(Record):
    """A date expression with its resolved value (ISO) and precision (day, week, month, year).

    `value` is None when the expression could not be anchored; `reason` then says why.
    """

    id: str
    start: int
    end: int
    text: str
    value: str | None = None
    precision: str | None = None
    confidence: float = 0.0
    reason: str | None = None


@dataclass(slots=True)
class Actor(Record):
    """A normalised actor of the article with every mention (including coreferent ones) as spans.

    `inter` is ACLED's actor type code 1-8; `code` a CAMEO-style country+role code (AFGREB, USAMIL).
    """

    nested = {"mentions": Span}

    id: str
    name: str
    type: str | None = None
    inter: int | None = None
    code: str | None = None
    country: str | None = None
    mentions: list[Span] = field(default_factory=list)
    confidence: float = 0.0


@dataclass(slots=True)
class Event(Record):
    """One reported event: what happened (three ontologies), who, where, when, how many died, who says so."""

    nested = {"trigger": Span, "evidence": Span}

    id: str
    trigger: Span
    evidence: list[Span]
    type: str
    acled: dict[str, str] | None = None  # {"event_type", "sub_event_type"}
    cameo: str | None = None
    plover: dict[str, str | None] | None = None  # {"type", "mode"}
    actor1: str | None = None
    actor2: str | None = None
    assoc_actors: list[str] = field(default_factory=list)
    location: str | None = None
    date: str | None = None
    date_value: str | None = None  # resolved ISO date (from `date`, or the publication date when none)
    date_precision: str | None = None
    fatalities: int | None = None
    fatalities_range: list[int] | None = None  # [low, high] when the text gives a range
    modality: str = "asserted"
    attribution: str | None = None
    confidence: float = 0.0


@dataclass(slots=True)
class Attribution(Record):
    """Who says so: source, cue, content, and how the report reached the outlet."""

    nested = {"source": Span, "cue": Span, "content": Span}

    id: str
    source: Span | None
    speaker: str | None
    cue: Span | None
    content: Span
    kind: str = "indirect"  # direct, indirect, mixed
    via: str | None = None
    nested_in: str | None = None
    speaker_role: str | None = None
    cue_lemma: str | None = None
    stance: str = "asserts"  # asserts, denies, accuses, claims_responsibility, confirms
    confidence: float = 0.0


@dataclass(slots=True)
class Claim(Record):
    """An accusation or claim tying a claimant to a target, and its denial when the text gives one."""

    id: str
    claimant: str | None
    target: str | None
    claim: str | None  # attribution id of the claim itself
    denial: str | None = None  # attribution id of the denial
    text: str = ""


@dataclass(slots=True)
class Hashtag(Record):
    """A hashtag, and the campaign sentence that explains it where the text has one."""

    nested = {"campaign": Span}

    start: int
    end: int
    text: str
    campaign: Span | None = None


@dataclass(slots=True)
class Report(Record):
    """Everything extracted from one article: the JSON object `wirecoder extract` prints."""

    nested = {
        "places": Place,
        "dates": DateMention,
        "actors": Actor,
        "events": Event,
        "attributions": Attribution,
        "claims": Claim,
        "hashtags": Hashtag,
    }

    id: str
    published: str | None = None
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    content_hash: str = ""
    places: list[Place] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    actors: list[Actor] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    primary_event: str | None = None
    attributions: list[Attribution] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    hashtags: list[Hashtag] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def by_id(self, record_id: str | None):
        """The place, date, actor, event or attribution with this id, or None."""
        if record_id is None:
            return None
        for group in (self.places, self.dates, self.actors, self.events, self.attributions):
            for rec in group:
                if rec.id == record_id:
                    return rec
        return None


@dataclass(slots=True)
class Failure(Record):
    """An input that could not be processed, with the reason a user can read."""

    id: str | None
    error: str
    source_path: str | None = None


@dataclass(slots=True)
class IncidentMention(Record):
    """One article's event counted in an incident: where it was told, by whom, and its evidence offsets."""

    nested = {"place": Place}

    article_id: str
    event_id: str
    content_hash: str = ""
    outlet: str | None = None
    url: str | None = None
    published: str | None = None
    trigger_start: int | None = None
    trigger_end: int | None = None
    sentence: str = ""  # the evidence sentence, for notes and the dashboard
    confidence: float = 0.0
    # what this article says of the happening, kept per mention so that merging re-votes every field whatever
    # the order the articles arrive in (`date_explicit`: the text dates it, rather than the publication date)
    type: str | None = None
    acled: dict[str, str] | None = None
    cameo: str | None = None
    plover: dict[str, str | None] | None = None
    date: str | None = None
    date_precision: str | None = None
    date_explicit: bool = False
    place: Place | None = None
    actor1: str | None = None
    actor1_inter: int | None = None
    actor1_code: str | None = None
    actor2: str | None = None
    actor2_inter: int | None = None
    actor2_code: str | None = None
    assoc_actors: list[str] = field(default_factory=list)
    fatalities: int | None = None


@dataclass(slots=True)
class Incident(Record):
    """One real-world happening as told by one or more articles: the best-supported value of each field.

    Built by the incidents stage from events of different articles that agree on type, place, date and actors.
    """

    nested = {"place": Place, "mentions": IncidentMention}

    id: str
    type: str
    acled: dict[str, str] | None = None
    cameo: str | None = None
    plover: dict[str, str | None] | None = None
    date: str | None = None
    date_precision: str | None = None
    place: Place | None = None
    actor1: str | None = None
    actor1_inter: int | None = None
    actor1_code: str | None = None
    actor2: str | None = None
    actor2_inter: int | None = None
    actor2_code: str | None = None
    assoc_actors: list[str] = field(default_factory=list)
    fatalities: int | None = None
    num_articles: int = 0
    num_sources: int = 0
    sources: list[str] = field(default_factory=list)
    mentions: list[IncidentMention] = field(default_factory=list)
    notes: str = ""
    confidence: float = 0.0
