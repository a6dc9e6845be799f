"""The classifier: title and summary in, an explained :class:`Classification` out.

Pure and offline: one pass of phrase matching over the words (``matching``), facts about the
item (``document``), per-sentence rules that find events (``rules``, ``rules_supply``,
``rules_market``) and one decision (``scoring``). Relevance comes first: without a
critical-mineral word used in a supply or market sense, the level is ``none`` whatever else
the text says.
"""

from __future__ import annotations

from pathlib import Path

from services.classify.document import build_doc, url_host
from services.classify.lexicon import Lexicon, build_lexicon
from services.classify.rules_base import Event
from services.classify.rules_market import RULES
from services.classify.scoring import decide
from services.classify.vocabulary import Vocabulary, load_vocabulary
from shared.models import Classification

CLASSIFIER_VERSION = "rules-1.3"

__all__ = ["CLASSIFIER_VERSION", "Classifier", "load_vocabulary"]


def is_official_host(lex: Lexicon, host: str) -> bool:
    host = host.lower().removeprefix("www.")
    return any(
        host == marker.lstrip(".")
        or host.endswith(marker if marker.startswith(".") else "." + marker)
        for marker in lex.vocabulary.official_hosts
    )


class Classifier:
    """Built once per vocabulary (compiling takes a few milliseconds); ``classify`` is pure."""

    def __init__(self, vocabulary: Vocabulary):
        self.vocabulary = vocabulary
        self.lexicon = build_lexicon(vocabulary)
        self.version = f"{CLASSIFIER_VERSION}+vocab.{vocabulary.version}"

    @classmethod
    def from_default(cls) -> Classifier:
        return cls(load_vocabulary())

    @classmethod
    def from_path(cls, path: str | Path) -> Classifier:
        return cls(load_vocabulary(path))

    def is_official_source(self, source: str | None = None, url: str | None = None) -> bool:
        """A government or regulator host (``official_hosts`` in the vocabulary)."""
        hosts = [h for h in (url_host(url), (source or "").lower()) if h]
        return any(is_official_host(self.lexicon, h) for h in hosts)

    def classify(
        self,
        title: str,
        summary: str = "",
        *,
        source: str | None = None,
        url: str | None = None,
        official: bool = False,
    ) -> Classification:
        sentences = self.lexicon.tagger.tag(title, summary)
        doc = build_doc(self.lexicon, sentences, url)
        events: list[Event] = []
        if doc.relevant:
            for sent in sentences:
                for rule in RULES:
                    event = rule(sent, doc)
                    if event is not None:
                        events.append(event)
        official = official or self.is_official_source(source, url)
        d = decide(doc, events, official=official)
        relevant = d.level.rank > 0
        return Classification(
            level=d.level,
            score=d.score,
            direction=d.direction,
            minerals=tuple(doc.minerals) if relevant else (),
            countries=tuple(doc.countries) if relevant else (),
            instruments=d.instruments,
            evidence=d.evidence,
            classifier_version=self.version,
        )
