"""Settings: the package's default.toml, overlaid by a user TOML file."""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import ConfigError, ModelError


def _overlay(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _overlay(merged[key], value)
        else:
            merged[key] = value
    return merged


def load_config(path: str | os.PathLike | None = None) -> dict[str, Any]:
    """Defaults, then the file at `path` (or $WIRECODER_CONFIG) laid over them."""
    config = tomllib.loads(resources.files("wirecoder").joinpath("default.toml").read_text("utf-8"))
    path = path or os.environ.get("WIRECODER_CONFIG")
    if path:
        try:
            config = _overlay(config, tomllib.loads(Path(path).read_text("utf-8")))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"cannot read config {path}: {exc}") from exc
    return config


def data_path(*parts: str) -> Path:
    """Path of a file shipped in the package's data folder (codebooks, lexicons, schema)."""
    return Path(str(resources.files("wirecoder").joinpath("data", *parts)))


def read_model_settings(what: str, files: Sequence[Path], rebuild: str) -> dict[str, Any]:
    """The JSON settings of a trained model (the last of its `files`), once every file of it is there: a missing
    or damaged file raises ModelError naming it and saying how to rebuild it (`rebuild`)."""
    for file in files:
        if not file.is_file():
            raise ModelError(f"{what} file missing: {file}; {rebuild}")
    settings = files[-1]
    try:
        return json.loads(settings.read_text("utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ModelError(f"{what} unreadable: {settings} ({exc}); {rebuild}") from exc
