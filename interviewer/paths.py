"""Where things live. Every location has an environment override (the tests use them):

* ``INTERVIEWER_DATA_DIR``   - history database (default: the platform's user data directory)
* ``INTERVIEWER_CACHE_DIR``  - grade cache and structured-output mode memory (user cache directory)
* ``INTERVIEWER_CONFIG``     - the TOML config file (``config.toml`` in the user config directory)
* ``INTERVIEWER_RUBRICS_DIR``, ``INTERVIEWER_PROMPTS_DIR``, ``INTERVIEWER_CALIBRATION_DIR`` - data
  shipped with the package
* ``INTERVIEWER_SEEDS_DIR``  - the seed documents rubrics cite (``../shared/seeds`` of a checkout)
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

_HERE = Path(__file__).resolve().parent


def _user_dir(env: str, kind: str) -> Path:
    value = os.environ.get(env)
    if value:
        return Path(value)
    import platformdirs

    return getattr(platformdirs, f"user_{kind}_path")("interviewer", appauthor=False)


def data_dir() -> Path:
    """History database folder."""
    return _user_dir("INTERVIEWER_DATA_DIR", "data")


def cache_dir() -> Path:
    """Grade cache and mode memory folder."""
    return _user_dir("INTERVIEWER_CACHE_DIR", "cache")


def config_path() -> Path:
    """The TOML config file."""
    env = os.environ.get("INTERVIEWER_CONFIG")
    return Path(env) if env else _user_dir("INTERVIEWER_CONFIG_DIR", "config") / "config.toml"


def _shipped(env: str, name: str, checkout: str | None = None) -> Path:
    value = os.environ.get(env)
    if value:
        return Path(value)
    return _default_shipped(name, checkout)


@lru_cache(maxsize=8)
def _default_shipped(name: str, checkout: str | None) -> Path:
    """The copy installed with the package, else the checkout's (looked up once: a grade asks often)."""
    installed = _HERE / "_data" / name
    return installed if installed.is_dir() else _HERE.parent / (checkout or name)


def rubrics_dir() -> Path:
    """Rubric YAML: the override, else the copy installed with the package, else the checkout's."""
    return _shipped("INTERVIEWER_RUBRICS_DIR", "rubrics")


def calibration_dir() -> Path:
    """Shipped calibration (the fitted offline scorer) and the labelled answers it was made from."""
    return _shipped("INTERVIEWER_CALIBRATION_DIR", "calibration", "data/calibration")


def prompts_dir() -> Path:
    """Prompt templates, found like :func:`rubrics_dir`."""
    return _shipped("INTERVIEWER_PROMPTS_DIR", "prompts")


def seeds_dir() -> Path | None:
    """The seed documents, if present."""
    env = os.environ.get("INTERVIEWER_SEEDS_DIR")
    if env:
        return Path(env)
    guess = _HERE.parent.parent / "shared" / "seeds"
    return guess if guess.is_dir() else None
