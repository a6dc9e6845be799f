"""The domain vocabulary (``vocabulary.yaml``) as validated, frozen pydantic models.

``load_vocabulary(path)`` reads and checks a file; an invalid one raises
:class:`VocabularyError` naming the bad key (``minerals.cobalt.groups[0]: unknown group
'rare_earth'``). :class:`VocabularyWatcher` is what the classify service holds: it hands out
the current :class:`~services.classify.model.Classifier` and reloads it when the file changes
(or on :meth:`VocabularyWatcher.reload`, e.g. from a SIGHUP handler), keeping the old one when
the new file is invalid.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from pydantic import ValidationError

from services.classify.vocabulary_models import (
    ActorSpec,
    Commentary,
    CountrySpec,
    Cues,
    GroupSpec,
    Hedges,
    ImpliedTopic,
    Instruments,
    InstrumentSpec,
    MineralSpec,
    Relevance,
    Vocabulary,
)
from shared.errors import ConfigError

if TYPE_CHECKING:
    from services.classify.model import Classifier

DEFAULT_VOCABULARY_PATH = Path(__file__).with_name("vocabulary.yaml")


class VocabularyError(ConfigError):
    """The vocabulary file is invalid; the message names the key and what is wrong."""


__all__ = [
    "DEFAULT_VOCABULARY_PATH",
    "ActorSpec",
    "Commentary",
    "CountrySpec",
    "Cues",
    "GroupSpec",
    "Hedges",
    "ImpliedTopic",
    "InstrumentSpec",
    "Instruments",
    "MineralSpec",
    "Relevance",
    "Vocabulary",
    "VocabularyError",
    "VocabularyWatcher",
    "load_vocabulary",
    "parse_vocabulary",
]


def _location(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif not part.startswith("function-after"):
            out += f".{part}" if out else part
    return out or "(top level)"


def parse_vocabulary(data: Any, origin: str = "vocabulary") -> Vocabulary:
    """Validate already-parsed YAML data; errors name ``origin`` and the bad key."""
    try:
        return Vocabulary.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors()[:5]:
            message = err["msg"].removeprefix("Value error, ")
            where = _location(tuple(err["loc"]))
            problems.append(message if message.startswith(where) else f"{where}: {message}")
        more = f" (and {exc.error_count() - 5} more)" if exc.error_count() > 5 else ""
        raise VocabularyError(f"{origin}: " + "; ".join(problems) + more) from None


def load_vocabulary(path: str | Path | None = None) -> Vocabulary:
    """Read and validate a vocabulary file (default: the one shipped with rarewatch)."""
    path = Path(path) if path is not None else DEFAULT_VOCABULARY_PATH
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise VocabularyError(f"{path}: cannot read the vocabulary file: {exc.strerror}") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise VocabularyError(f"{path}: not valid YAML: {exc}") from None
    return parse_vocabulary(data, str(path))


class VocabularyWatcher:
    """The current classifier, rebuilt when the vocabulary file changes.

    ``current()`` checks the file's modification time at most every ``check_every_s``
    seconds; ``reload()`` forces a check (call it on SIGHUP). A new file that fails to load
    leaves the previous classifier in place and its error in ``last_error()``. The first
    load happens in the constructor and raises :class:`VocabularyError` if it fails.
    """

    def __init__(self, path: str | Path | None = None, *, check_every_s: float = 2.0):
        self.path = Path(path) if path is not None else None
        self.check_every_s = check_every_s
        self._lock = threading.Lock()
        self._error: str | None = None
        self._stamp = self._file_stamp()
        self._checked_at = time.monotonic()
        self._classifier = self._build()

    def _file_stamp(self) -> tuple[int, int] | None:
        try:
            st = os.stat(self.path if self.path is not None else DEFAULT_VOCABULARY_PATH)
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_size)

    def _build(self) -> Classifier:
        from services.classify.model import Classifier

        return Classifier(load_vocabulary(self.path))

    def current(self) -> Classifier:
        if time.monotonic() - self._checked_at >= self.check_every_s:
            self.reload(only_if_changed=True)
        return self._classifier

    def reload(self, *, only_if_changed: bool = False) -> bool:
        """Rebuild from the file; True if a new classifier is in place."""
        with self._lock:
            self._checked_at = time.monotonic()
            stamp = self._file_stamp()
            if only_if_changed and stamp == self._stamp:
                return False
            self._stamp = stamp
            try:
                self._classifier = self._build()
            except VocabularyError as exc:
                self._error = str(exc)
                return False
            self._error = None
            return True

    def last_error(self) -> str | None:
        """Why the last reload failed (the old vocabulary is still in use), or None."""
        return self._error
