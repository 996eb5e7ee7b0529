"""`wirecoder serve`: a REST API (FastAPI, OpenAPI spec at /openapi.json) and a map dashboard over a store.

    >>> from wirecoder.serve import create_app
    >>> app = create_app("wirecoder.db")          # then: uvicorn.run(app)

Reads are open from loopback; writes (submitting an article) need a token made by `wirecoder token create`.
The dashboard's sources live in web/ and are built into static/ (committed, so that pip needs no npm).
See docs/api.md.
"""

from .app import create_app
from .auth import create_token

__all__ = ["create_app", "create_token"]
