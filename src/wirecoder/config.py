"""Settings: the package's default.toml, overlaid by a user TOML file."""

from __future__ import annotations

import os
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import ConfigError


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
