"""Shared fixtures: the spaCy model and the default pipeline are loaded once per test session."""

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
