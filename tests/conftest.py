"""Shared fixtures: the spaCy model and the default pipeline are loaded once per test session."""

import importlib.util
from pathlib import Path

import pytest

from wirecoder.config import load_config
from wirecoder.nlp import load_nlp
from wirecoder.pipeline import Pipeline


@pytest.fixture(scope="session")
def nlp():
    return load_nlp(load_config()["nlp"]["model"])


@pytest.fixture(scope="session")
def pipeline():
    return Pipeline()


@pytest.fixture(scope="session")
def extract(pipeline):
    """extract(text, published=None, **meta) -> Report, on the shared pipeline."""
    from wirecoder.pipeline import make_article

    def run(text, published=None, **meta):
        return pipeline(make_article(text, published=published, **meta))

    return run


SCORER = Path(__file__).resolve().parents[1].parent / "shared" / "tools" / "score.py"


@pytest.fixture(scope="session")
def scorer():
    """The reference scorer (`shared/tools/score.py` beside the project) as a module; skips when it is absent."""
    if not SCORER.exists():
        pytest.skip(f"the reference scorer is not checked out beside the project ({SCORER})")
    spec = importlib.util.spec_from_file_location("reference_score", SCORER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
