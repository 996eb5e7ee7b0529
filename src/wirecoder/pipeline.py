"""The pipeline: one spaCy parse per article, then small stages that each add records to it.

A stage is a callable `stage(adoc: ArticleDoc) -> None` made by a factory `factory(config) -> stage`. Factories
are registered by a versioned name ("places.gazetteer.v1"); the `[pipeline] stages` setting lists them in order.
A stage reads what earlier stages added and never calls another stage.
"""

from __future__ import annotations

import functools
import importlib
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Doc

from .config import load_config
from .errors import ConfigError
from .nlp import load_nlp
from .records import (
    Actor,
    Article,
    Attribution,
    Claim,
    DateMention,
    Event,
    Failure,
    Hashtag,
    Place,
    Report,
    Span,
)

LOGGER = logging.getLogger(__name__)

Stage = Callable[["ArticleDoc"], None]
StageFactory = Callable[[dict[str, Any]], Stage]

# name -> "module:factory", imported on first use so that a pipeline only loads the stages it runs
_REGISTRY: dict[str, str | StageFactory] = {
    "places.gazetteer.v1": "wirecoder.places:make_stage",
    "dates.dateparser.v1": "wirecoder.dates:make_stage",
    "actors.dictionary.v1": "wirecoder.actors:make_stage",
    "events.rules.v1": "wirecoder.events:make_stage",
    "attribution.rules.v1": "wirecoder.attribution:make_stage",
}


def register_stage(name: str, factory: StageFactory) -> None:
    """Make a stage factory available to `[pipeline] stages` under `name`."""
    _REGISTRY[name] = factory


def _factory(name: str) -> StageFactory:
    target = _REGISTRY.get(name)
    if target is None:
        raise ConfigError(f"unknown stage {name!r}; known: {', '.join(sorted(_REGISTRY))}")
    if isinstance(target, str):
        module, attr = target.split(":")
        target = getattr(importlib.import_module(module), attr)
    return target


@dataclass
class ArticleDoc:
    """One article while it goes through the pipeline: its text, its parse, and the records found so far."""

    article: Article
    doc: Doc
    places: list[Place] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    actors: list[Actor] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    primary_event: str | None = None
    attributions: list[Attribution] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    hashtags: list[Hashtag] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.article.text

    def span(self, start: int, end: int) -> Span:
        """A Span record over the article text."""
        return Span(start, end, self.article.text[start:end])

    def report(self) -> Report:
        a = self.article
        return Report(
            id=a.id,
            published=a.published,
            title=a.title,
            outlet=a.outlet,
            url=a.url,
            content_hash=a.content_hash,
            places=self.places,
            dates=self.dates,
            actors=self.actors,
            events=self.events,
            primary_event=self.primary_event,
            attributions=self.attributions,
            claims=self.claims,
            hashtags=self.hashtags,
            warnings=self.warnings,
        )


class Pipeline:
    """The configured stages over a loaded spaCy model. Build once, reuse for every article."""

    def __init__(self, config: dict[str, Any] | None = None, stages: list[str] | None = None):
        self.config = config or load_config()
        self.nlp = load_nlp(self.config["nlp"]["model"])
        names = stages if stages is not None else self.config["pipeline"]["stages"]
        self.stages: list[tuple[str, Stage]] = [(name, _factory(name)(self.config)) for name in names]

    def run_stages(self, article: Article, doc: Doc) -> Report:
        adoc = ArticleDoc(article, doc)
        for name, stage in self.stages:
            try:
                stage(adoc)
            except Exception as exc:  # one stage's bug must not lose the article: keep what the others found
                LOGGER.exception("stage %s failed on article %s", name, article.id)
                adoc.warnings.append(f"stage {name} failed: {type(exc).__name__}: {exc}")
        return adoc.report()

    def __call__(self, article: Article) -> Report:
        return self.run_stages(article, self.nlp(article.text))

    def pipe(
        self, items: Iterable[Article | Failure], batch_size: int | None = None, n_process: int = 1
    ) -> Iterator[Report | Failure]:
        """Process articles in input order; a Failure passes through in its place (it is never dropped)."""
        batch_size = batch_size or self.config["nlp"]["batch_size"]
        tuples = ((item.text if isinstance(item, Article) else "", item) for item in items)
        for doc, item in self.nlp.pipe(tuples, as_tuples=True, batch_size=batch_size, n_process=n_process):
            yield item if isinstance(item, Failure) else self.run_stages(item, doc)


@functools.lru_cache(maxsize=1)
def default_pipeline() -> Pipeline:
    """The pipeline of the default settings, built once per process."""
    return Pipeline()


def make_article(text: str, id: str = "doc", published: str | None = None, **meta: Any) -> Article:
    """An Article from a string and optional metadata (title, url, outlet)."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, not {type(text).__name__}")
    return Article(id=id, text=text, published=published, **meta)


def extract(text: str, published: str | None = None, id: str = "doc", **meta: Any) -> Report:
    """Extract the report of one article: places, dates, actors, events, attributions, hashtags."""
    return default_pipeline()(make_article(text, id=id, published=published, **meta))


def extract_many(
    items: Iterable[Article | Failure | str],
    n_process: int = 1,
    batch_size: int | None = None,
    pipeline: Pipeline | None = None,
) -> Iterator[Report | Failure]:
    """Stream reports for many articles through spaCy's `nlp.pipe` (several cores with `n_process`)."""
    pipeline = pipeline or default_pipeline()
    articles = (make_article(it, id=str(i)) if isinstance(it, str) else it for i, it in enumerate(items))
    return pipeline.pipe(articles, batch_size=batch_size, n_process=n_process)
