"""Errors wirecoder raises. Only the CLI and the server turn them into messages or statuses.

    WirecoderError
     ├── IngestError      an input could not be read or decoded (names the file, and line for JSONL)
     ├── ConfigError      a setting or codebook file is invalid
     ├── ModelError       the spaCy model or the gazetteer is missing or unreadable
     ├── StageError       a pipeline stage failed on one article
     ├── StoreError       the event store refused an operation (e.g. an unknown schema version)
     └── EvalError        a gold file is not in the expected format
"""


class WirecoderError(Exception):
    """Base of every error wirecoder raises on purpose."""


class IngestError(WirecoderError):
    """An input could not be read or decoded."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None):
        where = path if line is None else f"{path}:{line}"
        super().__init__(f"{where}: {message}" if where else message)
        self.path = path
        self.line = line


class ConfigError(WirecoderError):
    """A setting or codebook file is invalid."""


class ModelError(WirecoderError):
    """The spaCy model or the gazetteer is missing or unreadable."""


class StageError(WirecoderError):
    """A pipeline stage failed on one article."""


class StoreError(WirecoderError):
    """The event store refused an operation."""


class EvalError(WirecoderError):
    """A gold file is not in the expected format."""
