"""Turns a :class:`Vocabulary` into a :class:`Tagger`: every phrase with the tags it carries.

Tags are ``(category, key)``. Categories are the constants below; the key is the mineral,
group, country, actor or instrument token (empty for plain cue words).
"""

from __future__ import annotations

from dataclasses import dataclass

from services.classify import matching
from services.classify.matching import IGNORE, Tagger
from services.classify.vocabulary import Vocabulary

MINERAL = "mineral"
GROUP = "group"
COUNTRY = "country"
ACTOR = "actor"
INSTR = matching.INSTR
NEGATIVE = "negative"
VETO = "veto"
CONTEXT = "context"
OFFTOPIC = "offtopic"
COMM_TITLE = "comm_title"
COMM_LEAD = "comm_lead"
HEDGE_WEAK = "hedge_weak"
HEDGE_STRONG = "hedge_strong"
NEUTRALISE = "neutralise"
NEGATION = "negation"

# cue categories share their names with the fields of ``Cues``
RESTRICT = "restrict"
ENACT = "enact"
ENACT_HEADLINE = "enact_headline"
PURCHASE = "purchase"
REQUIRE = "require"
EASE_HARD = "ease_hard"
EASE_SOFT = "ease_soft"
TOGGLE = "toggle"
EXPORT = "export"
IMPORT = "import_"
TECHNOLOGY = "technology"
PRODUCTION = "production"
SHUTDOWN = "shutdown"
RESTART = "restart"
SHORTAGE = "shortage"
UP = "up"
DOWN = "down"
DOWN_SEVERE = "down_severe"
PRICE = "price"
OUTCOME = "outcome"
BREAKDOWN = "breakdown"
GRANT = "grant"
SOFT = "soft"
EXTEND = "extend"
BACKGROUND = "background"
INVEST_WEAK = "investment_weak"
INTENT = "intent"
EFFECTIVE = "effective"
NEW_SUPPLY = "new_supply"
DATA_REPORT = "data_report"
LEGISLATE = "legislate"
WITHHOLD = "withhold"
STOCKPILE_STRONG = "stockpile_strong"
RECYCLING = "recycling"
ROUTE = "route"
LARGE_SHARE = "large_share"
PARTIAL = "partial"
EXEMPT = "exempt"
VOLATILE = "volatile"
DISPUTE = "dispute"
RULING = "ruling"
KEEP = "keep"
CONDITION = "condition"
REMOVE = "remove"
RELEASE = "release"
DISTRESS = "distress"
LEAN_UP = "lean_up"
LEAN_DOWN = "lean_down"
GLUT = "glut"
DISTANT = "distant"
LATER = "later"
FAR = "far"
MERGER = "merger"
DECLINE = "decline"

# hits in these categories show that a text is about supply, trade or markets
_SUPPLY_WORDS = (CONTEXT, INSTR, ACTOR, RESTRICT, ENACT, EASE_HARD, EXPORT, IMPORT, PRODUCTION)
_MARKET_WORDS = (SHORTAGE, PRICE, STOCKPILE_STRONG, INVEST_WEAK, SHUTDOWN, TECHNOLOGY, NEW_SUPPLY)
_POLICY_WORDS = (RESTART, DATA_REPORT, INTENT, OUTCOME, LEGISLATE)
CONTEXT_CATEGORIES = frozenset((*_SUPPLY_WORDS, *_MARKET_WORDS, *_POLICY_WORDS))
VETO_CATEGORIES = frozenset({VETO, NEGATIVE})


@dataclass(frozen=True, slots=True)
class Lexicon:
    """The compiled vocabulary: the tagger plus the lookups the rules need."""

    vocabulary: Vocabulary
    tagger: Tagger
    mineral_groups: dict[str, frozenset[str]]  # token -> itself and its groups
    producers: dict[str, frozenset[str]]  # country -> minerals and groups it is a major producer of
    actor_country: dict[str, str | None]
    official_actors: frozenset[str]
    instrument_labels: dict[str, str]


def build_lexicon(vocab: Vocabulary) -> Lexicon:
    t = Tagger()
    for token, mineral in vocab.minerals.items():
        t.add(mineral.names, (MINERAL, token))
        t.add(mineral.compounds, (MINERAL, token))
        t.add_symbols(mineral.symbols, (MINERAL, token), bracketed=True)
    for token, group in vocab.groups.items():
        t.add(group.names, (GROUP, token))
        t.add_symbols(group.symbols, (GROUP, token))
    for token, country in vocab.countries.items():
        t.add(country.names, (COUNTRY, token))
        t.add_symbols(country.symbols, (COUNTRY, token))
    for token, actor in vocab.actors.items():
        t.add(actor.names, (ACTOR, token))
        t.add_symbols(actor.symbols, (ACTOR, token))
    labels = {}
    for name, spec in vocab.instruments:
        t.add(spec.names, (INSTR, name))
        t.add_symbols(spec.symbols, (INSTR, name))
        labels[name] = spec.label
    for name, phrases in vocab.cues:
        if name == IGNORE:
            t.add(phrases, (IGNORE, ""))
        else:
            t.add(phrases, (name, ""))
    t.add(vocab.hedges.weak, (HEDGE_WEAK, ""))
    t.add(vocab.hedges.strong, (HEDGE_STRONG, ""))
    t.add(vocab.hedges.neutralise, (NEUTRALISE, ""))
    t.add(vocab.negations, (NEGATION, ""))
    t.add(vocab.relevance.context, (CONTEXT, ""))
    t.add(vocab.relevance.veto, (VETO, ""))
    t.add(vocab.relevance.negatives, (NEGATIVE, ""))
    t.add(vocab.relevance.offtopic, (OFFTOPIC, ""))
    t.add(vocab.commentary.title, (COMM_TITLE, ""))
    t.add(vocab.commentary.lead, (COMM_LEAD, ""))

    groups = {token: frozenset({token, *m.groups}) for token, m in vocab.minerals.items()}
    groups.update({token: frozenset({token}) for token in vocab.groups})
    producers = {
        token: frozenset(c.major_producer_of)
        for token, c in vocab.countries.items()
        if c.major_producer_of
    }
    return Lexicon(
        vocabulary=vocab,
        tagger=t.freeze(),
        mineral_groups=groups,
        producers=producers,
        actor_country={token: a.country for token, a in vocab.actors.items()},
        official_actors=frozenset(token for token, a in vocab.actors.items() if a.official),
        instrument_labels=labels,
    )
