"""wirecoder: conflict news in, structured event data out.

    >>> from wirecoder import extract
    >>> report = extract(text, published="2021-07-30")
    >>> [(p.text, p.name, p.lat, p.lon) for p in report.places]
"""

from .pipeline import ArticleDoc, Pipeline, extract, extract_many, register_stage
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

__all__ = [
    "Actor", "Article", "ArticleDoc", "Attribution", "Claim", "DateMention", "Event", "Failure", "Hashtag",
    "Pipeline", "Place", "Report", "Span", "extract", "extract_many", "register_stage",
]
