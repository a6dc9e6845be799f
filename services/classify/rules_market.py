"""Market rules: trade talks, laws and lists, trade and production data, price moves; and
``RULES`` (every rule) with ``PRIORITY`` (which instrument decides a tie)."""

from __future__ import annotations

from services.classify import lexicon as lx
from services.classify.document import Doc
from services.classify.matching import Hit, Sentence
from services.classify.rules import export_control
from services.classify.rules_base import (
    CRITICAL,
    HIGH,
    LOW,
    MEDIUM,
    MINERAL_CATS,
    E,
    Event,
    N,
    RuleFn,
    T,
    eases,
    ev,
    in_scope,
    instr,
    live,
    nearest,
    words,
)
from services.classify.rules_flow import disruption
from services.classify.rules_status import intent_only, steep
from services.classify.rules_supply import (
    investment,
    licence,
    project,
    quota,
    state_control,
    stockpile,
)
from services.classify.rules_trade import sanction_or_ban, tariff

OUTPUT = frozenset({"output", "production"})
# talk phrases that are about trade whoever is named ("trade talks", "truce")
TRADE_PHRASES = frozenset({"trade talks", "trade deal", "trade deals", "trade agreement", "truce"})
TRADE_PHRASES |= {"trade agreements", "trade truce", "trade consultation", "trade consultations"}


def trade_talks(sent: Sentence, doc: Doc) -> Event | None:
    talks = instr(sent, "trade_talks")
    outcome = live(sent, sent.get(lx.OUTCOME))
    countries = {h.key for h in sent.get(lx.COUNTRY)}
    measure = any(h.key in ("tariff", "export_control") for h in sent.get(lx.INSTR))
    if not (talks or (outcome and len(countries) >= 2 and measure)) or not in_scope(sent, doc):
        return None
    if not (_between_states(sent, doc) or any(h.text.lower() in TRADE_PHRASES for h in talks)):
        return None  # "the company will seek talks with the government"
    if sent.has(lx.BREAKDOWN):
        why = "trade talks broke down or escalated"
        return ev("trade_talks", HIGH, T, sent, sent.get(lx.BREAKDOWN)[0].text, why)
    if outcome and intent_only(sent, doc):
        why = "a framework or pledge to cooperate, no measure or money"
        return ev("trade_talks", LOW, E, sent, outcome[0].text, why)
    if outcome and sent.has(lx.EXTEND):
        why = "an existing truce or deal extended: the status quo holds"
        return ev("trade_talks", MEDIUM, N, sent, outcome[0].text, why)
    if outcome:
        return ev("trade_talks", HIGH, E, sent, outcome[0].text, "trade-talk outcome on minerals")
    why = "trade talks under way, no outcome yet"
    return ev("trade_talks", MEDIUM, E if eases(sent) else N, sent, talks[0].text, why)


def _between_states(sent: Sentence, doc: Doc) -> bool:
    """Two governments in the sentence, or in the headline and lead of a talks item."""
    countries = {h.key for h in sent.get(lx.COUNTRY)}
    countries |= {c for h in sent.get(lx.ACTOR) if (c := doc.actor_countries.get(h.key))}
    return len(countries) >= 2 or (sent.index <= 1 and len(doc.main_countries) >= 2)


def dispute(sent: Sentence, doc: Doc) -> Event | None:
    """A trade dispute over a measure: filed (neutral), or ruled against it (easing)."""
    hits = sent.get(lx.DISPUTE)
    if not hits or not in_scope(sent, doc):
        return None
    ruling = sent.get(lx.RULING)
    if ruling:
        why = "a trade-dispute ruling against the measure"
        return ev("trade_talks", MEDIUM, E, sent, words(hits[0], ruling[0]), why)
    return ev("trade_talks", MEDIUM, N, sent, hits[0].text, "a trade dispute filed or under way")


def keep(sent: Sentence, doc: Doc) -> Event | None:
    """ "will not lift the ban", "controls remain in place": the measure stays."""
    hits = sent.get(lx.KEEP)
    if not hits or not in_scope(sent, doc):
        return None
    event = ev("export_control", MEDIUM, T, sent, hits[0].text, "the measure stays in place")
    event.stays = True
    return event


def designation(sent: Sentence, doc: Doc) -> Event | None:
    if not in_scope(sent, doc) or instr(sent, "ban"):
        return None  # a law that bans something is judged as a ban
    hits = instr(sent, "designation")
    if hits:
        return ev("designation", MEDIUM, N, sent, hits[0].text, "critical-mineral list")
    laws = live(sent, sent.get(lx.LEGISLATE))
    if laws:
        return ev("designation", MEDIUM, E, sent, laws[0].text, "law or strategy adopted")
    return None


def price_move(sent: Sentence, doc: Doc) -> Event | None:
    prices = sent.get(lx.PRICE)
    if not in_scope(sent, doc):
        return None
    move = nearest(sent, prices[0], (lx.UP, lx.DOWN), reach=6) if prices else None
    if move is None and sent.index == 0:  # "Cobalt slides to eight-year low", "tin rallies"
        prices, move = _metal_moves(sent)
    if move is None:
        return None
    rising = move.cat == lx.UP
    if any(s.has(lx.VOLATILE) for s in doc.sentences[:3]):
        why = "price commentary: prices swing both ways"
        return ev("price_move", MEDIUM, N, sent, words(prices[0], move), why)
    why = "price commentary: prices up" if rising else "price commentary: prices down"
    return ev("price_move", MEDIUM, T if rising else E, sent, words(prices[0], move), why)


def _metal_moves(sent: Sentence) -> tuple[list[Hit], Hit | None]:
    """A headline mineral followed at once by a move word: the metal's price moved."""
    for hit in sent.hits:
        if hit.cat in MINERAL_CATS:
            for h in sent.hits:
                if h.cat in (lx.UP, lx.DOWN) and 0 <= h.start - hit.end <= 1:
                    return [hit], h
    return [], None


def trade_data(sent: Sentence, doc: Doc) -> Event | None:
    """Exports or output up (easing) or down (tightening); imports alone say little."""
    supply = sent.get(lx.EXPORT) + [h for h in sent.get(lx.PRODUCTION) if h.text.lower() in OUTPUT]
    flows = supply + sent.get(lx.IMPORT)
    if not flows or not in_scope(sent, doc):
        return None
    for flow in flows:
        move = nearest(sent, flow, (lx.DOWN_SEVERE,), reach=6) or nearest(
            sent, flow, (lx.UP, lx.DOWN), reach=6
        )
        if move is None or (sent.has(lx.PRICE) and nearest(sent, move, (lx.PRICE,), reach=2)):
            continue
        what = words(flow, move)
        if flow.cat == lx.IMPORT:
            return ev("trade_data", MEDIUM, N, sent, what, "import data")
        if flow.cat == lx.EXPORT and steep(sent, move):
            if doc.large_share is not None:
                why = f"exports collapsed at a source with a large share ({doc.large_share.text!r})"
                return ev("trade_data", CRITICAL, T, sent, what, why)
            return ev("trade_data", HIGH, T, sent, what, "exports collapsed: supply cut")
        if move.cat == lx.UP:
            return ev("trade_data", MEDIUM, E, sent, what, "exports or output rose")
        return ev("trade_data", MEDIUM, T, sent, what, "exports or output fell")
    return None


# The rules, run in this order on every sentence.
RULES: tuple[RuleFn, ...] = (
    *(export_control, licence, tariff, sanction_or_ban, stockpile, trade_talks, disruption),
    *(state_control, quota, investment, designation, project, trade_data, price_move),
    *(dispute, keep),
)
# When two events reach the same level, the one whose instrument comes first decides.
PRIORITY_ORDER = (
    *("export_control", "licence", "tariff", "sanction", "ban", "stockpile", "trade_talks"),
    *("disruption", "state_control", "quota", "investment", "designation", "project"),
    *("trade_data", "price_move"),
)
PRIORITY = {name: i for i, name in enumerate(PRIORITY_ORDER)}
