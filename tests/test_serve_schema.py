"""Property-based run of the OpenAPI spec (schemathesis): whatever the generated input, never a 500.

Every operation is called with inputs generated from the spec, valid and invalid, over a store filled by the
real pipeline; the write endpoint gets a valid token, so that extraction and storage see fuzzed articles too.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from wirecoder.pipeline import make_article
from wirecoder.serve import create_app, create_token
from wirecoder.store import open_store

ARTICLES = [
    ("Rebels shelled a village near Goma on Sunday, killing three civilians, a local official said.", "2024-05-12"),
    ("Hundreds of students protested in Khartoum on Monday against fuel prices, witnesses said.", "2024-05-13"),
]


@pytest.fixture(scope="module")
def served(tmp_path_factory, pipeline):
    path = str(tmp_path_factory.mktemp("schema") / "store.db")
    with open_store(path) as store:
        for n, (text, published) in enumerate(ARTICLES):
            article = make_article(text, id=f"fuzz-{n}", published=published)
            store.save(article, pipeline(article), source=f"test:{n}")
        token = create_token(store, "schemathesis")
    # the ASGI test client is not on loopback: open reads, so that reads are exercised rather than refused
    return create_app(path, pipeline=pipeline, open_reads=True, max_body=50_000), token


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_serve_openapi_never_answers_500(served, mode):
    # operations are walked here rather than with `schema.parametrize()`: schemathesis' lazy fixture loader
    # fails under pytest 9, and the schema needs the app, which needs the store fixture
    app, token = served
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy(mode))
        @settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def call(case):
            case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=[not_a_server_error])

        try:
            call()
        except Exception as exc:  # keep going: report every operation that fails, not just the first
            failures.append(f"{operation.label}: {type(exc).__name__}: {str(exc)[:2000]}")
    assert not failures, "\n\n".join(failures)
