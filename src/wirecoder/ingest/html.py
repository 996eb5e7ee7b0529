"""HTML pages: main text by trafilatura, with title, date and outlet from the page's metadata."""

from __future__ import annotations

import trafilatura

from ..errors import IngestError
from ..records import Article


def article_from_html(html: str, article_id: str, where: str | None = None) -> Article:
    """The article an HTML page holds; IngestError when no main text can be found."""
    text = trafilatura.extract(html, include_comments=False, include_tables=False, favor_precision=True)
    if not text or not text.strip():
        raise IngestError("no article text found in the HTML page", where)
    meta = trafilatura.extract_metadata(html)
    return Article(
        id=article_id,
        text=text,
        published=getattr(meta, "date", None) or None,
        title=getattr(meta, "title", None) or None,
        url=getattr(meta, "url", None) or None,
        outlet=getattr(meta, "sitename", None) or None,
        source_path=where,
    )
