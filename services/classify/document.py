"""What the rules know about one item: its tagged sentences and the facts drawn from them
(minerals, countries, relevance), computed once."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from services.classify import lexicon as lx
from services.classify.lexicon import Lexicon
from services.classify.matching import Hit, Sentence

# "– by Jane Doe" in a headline: a bylined column
_DESTINATION = frozenset({"to", "into", "towards"})
_ESSAY = re.compile(r":[^:?]+\bor\b[^:?]+\?\s*$")  # "Topic: a model or a warning?"
_BYLINE = re.compile(r"[-–—|]\s*by\s+[A-Z][a-z]+\s+[A-Z][a-z]+")
# "30% of world output", "about 40 per cent of global supply"
_SHARE = re.compile(
    r"(\d+(?:\.\d+)?)\s?(?:%|per ?cent)\s+of\s+(?:the\s+)?(?:world|global)", re.IGNORECASE
)
LARGE_SHARE_PCT = 20.0  # a source with at least this share of world supply is large
SHARE_SENTENCES = 4  # the title and the first three sentences


@dataclass(slots=True)
class Doc:
    sentences: list[Sentence]
    minerals: list[str] = field(default_factory=list)
    mineral_hits: dict[str, Hit] = field(default_factory=dict)
    covered: set[str] = field(default_factory=set)  # minerals and their groups
    countries: list[str] = field(default_factory=list)
    main_countries: set[str] = field(default_factory=set)  # named in the title or lead
    acting: set[str] = field(default_factory=set)  # ... and not as a destination ("to China")
    producer: str | None = None  # a major producer of one of the minerals, named up front
    relevant: bool = False
    relevance_reason: str = ""
    implied: bool = False
    title_has_mineral: bool = False
    any_mineral: bool = False
    official_actor: Hit | None = None
    commentary: str | None = None  # why the item reads as commentary
    longdated: bool = False
    actor_countries: dict[str, str | None] = field(default_factory=dict)
    large_share: Hit | None = None  # "the world's biggest", "half of world supply"
    partial: Hit | None = None  # "only raw ore", "volumes still small"
    later: Hit | None = None  # "by year-end": months away, not at once
    far: Hit | None = None  # "within five years": years away

    @property
    def title(self) -> Sentence:
        return self.sentences[0]


def has_mineral(sent: Sentence) -> bool:
    return lx.MINERAL in sent.by_cat or lx.GROUP in sent.by_cat


def url_host(url: str | None) -> str:
    if not url:
        return ""
    host = (urlsplit(url if "//" in url else f"//{url}").hostname or "").lower()
    return host.removeprefix("www.")


def build_doc(lex: Lexicon, sentences: list[Sentence], url: str | None) -> Doc:
    doc = Doc(sentences, actor_countries=lex.actor_country)
    context = veto = 0
    for sent in sentences:
        for hit in sent.hits:
            cat = hit.cat
            if cat in (lx.MINERAL, lx.GROUP):
                if hit.key not in doc.mineral_hits:
                    doc.mineral_hits[hit.key] = hit
                    doc.minerals.append(hit.key)
            elif cat == lx.COUNTRY:
                _add_country(doc, hit.key, sent, hit)
            elif cat == lx.ACTOR:
                country = lex.actor_country.get(hit.key)
                if country:
                    _add_country(doc, country, sent, hit)
                if doc.official_actor is None and hit.key in lex.official_actors:
                    doc.official_actor = hit
            if cat in lx.CONTEXT_CATEGORIES:
                context += 1
            elif cat in lx.VETO_CATEGORIES:
                veto += 1
    doc.title_has_mineral = has_mineral(sentences[0])
    doc.any_mineral = bool(doc.minerals)
    offtopic = sum(len(s.get(lx.OFFTOPIC)) for s in sentences)
    if doc.minerals:
        if (
            sentences[0].has(lx.OFFTOPIC)
            and not doc.title_has_mineral
            and offtopic > len(doc.minerals)
        ):
            doc.relevance_reason = "the headline is about other goods; the mineral is incidental"
        elif context == 0:
            doc.relevance_reason = "a mineral word with no supply, trade or market context"
        elif context <= 2 * veto:
            doc.relevance_reason = (
                "the mineral word is used in another sense (e.g. a tool, a coin, a drug)"
            )
        else:
            doc.relevant = True
    else:
        _implied(lex, doc)
    for token in doc.minerals:
        doc.covered |= lex.mineral_groups.get(token, frozenset({token}))
    for country in doc.countries:
        if country in doc.acting and lex.producers.get(country, frozenset()) & doc.covered:
            doc.producer = country
            break
    doc.commentary = _commentary(lex, doc, url)
    doc.large_share = _first(sentences[:SHARE_SENTENCES], lx.LARGE_SHARE) or _world_share(sentences)
    doc.partial = _first(sentences, lx.PARTIAL)
    doc.later = _first(sentences, lx.LATER)
    doc.far = _first(sentences, lx.FAR)
    doc.longdated = any(
        h.key == "project" and not s.has(lx.RECYCLING)
        for s in sentences[:2]
        for h in s.get(lx.INSTR)
    ) or any(s.has(lx.DISTANT) for s in sentences)
    return doc


def _first(sentences: list[Sentence], cat: str) -> Hit | None:
    return next((h for s in sentences for h in s.get(cat)), None)


def _world_share(sentences: list[Sentence]) -> Hit | None:
    """ "30% of world output", "40 per cent of global supply"."""
    for sent in sentences[:SHARE_SENTENCES]:
        for m in _SHARE.finditer(sent.text):
            if float(m.group(1)) >= LARGE_SHARE_PCT:
                return Hit(lx.LARGE_SHARE, "", 0, 0, m.group())
    return None


def _add_country(doc: Doc, country: str, sent: Sentence, hit: Hit) -> None:
    if country not in doc.countries:
        doc.countries.append(country)
    if sent.index <= 1:
        doc.main_countries.add(country)
        if hit.start == 0 or sent.words[hit.start - 1] not in _DESTINATION:
            doc.acting.add(country)


def _implied(lex: Lexicon, doc: Doc) -> None:
    """No mineral word: relevant only when the vocabulary implies one (US-China talks)."""
    keys = {h.key for s in doc.sentences[:2] for h in s.get(lx.INSTR)}
    outcome = any(s.has(lx.OUTCOME) for s in doc.sentences[:2])
    talks = "trade_talks" in keys or ("tariff" in keys and outcome)
    offtopic = any(s.has(lx.OFFTOPIC) for s in doc.sentences)
    if not talks or offtopic:
        return
    for rule in lex.vocabulary.relevance.implied:
        if all(c in doc.main_countries for c in rule.countries):
            doc.minerals = list(rule.minerals)
            doc.relevant = doc.implied = True
            doc.relevance_reason = rule.reason
            return


URL_COMMENTARY = "URL marks commentary"
BLOG_COMMENTARY = "URL marks a blog"  # may be a client alert that reports the news
BLOG_MARKERS = frozenset({"/blog"})


def _commentary(lex: Lexicon, doc: Doc, url: str | None) -> str | None:
    title = doc.title
    if title.has(lx.COMM_TITLE):
        return f"headline reads as commentary: {title.get(lx.COMM_TITLE)[0].text!r}"
    if len(doc.sentences) > 1 and doc.sentences[1].has(lx.COMM_LEAD):
        return f"summary reads as commentary: {doc.sentences[1].get(lx.COMM_LEAD)[0].text!r}"
    if _BYLINE.search(title.text):
        return "bylined column"
    if _ESSAY.search(title.text):
        return "the headline poses a question about a topic (an essay)"
    if url:
        path = url.lower()
        for marker in lex.vocabulary.commentary.url:
            if marker in path:
                return (
                    f"{BLOG_COMMENTARY if marker in BLOG_MARKERS else URL_COMMENTARY}: {marker!r}"
                )
    return None
