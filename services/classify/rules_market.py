"""Market rules: trade talks, laws and lists, trade and production data, price moves; and
``RULES`` (every rule) with ``PRIORITY`` (which instrument decides a tie)."""

from __future__ import annotations

import re

from services.classify import lexicon as lx
from services.classify.document import Doc, has_mineral
from services.classify.matching import Hit, Sentence
from services.classify.rules import export_control, sanction_or_ban, tariff
from services.classify.rules_base import (
    HIGH,
    MEDIUM,
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
from services.classify.rules_supply import (
    disruption,
    investment,
    licence,
    project,
    quota,
    state_control,
    stockpile,
)

OUTPUT = frozenset({"output", "production"})
STEEP_PCT = 50.0  # a fall of at least this many percent is a collapse
_PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s?(?:%|per ?cent)")


def _steep(sent: Sentence, move: Hit) -> bool:
    return move.cat == lx.DOWN and any(float(p) >= STEEP_PCT for p in _PERCENT.findall(sent.text))


def trade_talks(sent: Sentence, doc: Doc) -> Event | None:
    talks = instr(sent, "trade_talks")
    outcome = live(sent, sent.get(lx.OUTCOME))
    countries = {h.key for h in sent.get(lx.COUNTRY)}
    measure = any(h.key in ("tariff", "export_control") for h in sent.get(lx.INSTR))
    if not (talks or (outcome and len(countries) >= 2 and measure)) or not in_scope(sent, doc):
        return None
    if sent.has(lx.BREAKDOWN):
        why = "trade talks broke down or escalated"
        return ev("trade_talks", HIGH, T, sent, sent.get(lx.BREAKDOWN)[0].text, why)
    if outcome:
        return ev("trade_talks", HIGH, E, sent, outcome[0].text, "trade-talk outcome on minerals")
    why = "trade talks under way, no outcome yet"
    return ev("trade_talks", MEDIUM, E if eases(sent) else N, sent, talks[0].text, why)


def designation(sent: Sentence, doc: Doc) -> Event | None:
    if not in_scope(sent, doc):
        return None
    hits = instr(sent, "designation")
    if hits:
        return ev("designation", MEDIUM, N, sent, hits[0].text, "critical-mineral list")
    laws = live(sent, sent.get(lx.LEGISLATE))
    if laws:
        return ev("designation", MEDIUM, E, sent, laws[0].text, "law or strategy adopted")
    return None


def price_move(sent: Sentence, doc: Doc) -> Event | None:
    prices = sent.get(lx.PRICE)
    if not prices or not in_scope(sent, doc):
        return None
    move = nearest(sent, prices[0], (lx.UP, lx.DOWN), reach=6)
    if move is None:
        return None
    rising = move.cat == lx.UP
    why = "price commentary: prices up" if rising else "price commentary: prices down"
    return ev("price_move", MEDIUM, T if rising else E, sent, words(prices[0], move), why)


def trade_data(sent: Sentence, doc: Doc) -> Event | None:
    """Exports or output up (easing) or down (tightening); imports alone say little."""
    supply = sent.get(lx.EXPORT) + [h for h in sent.get(lx.PRODUCTION) if h.text.lower() in OUTPUT]
    flows = supply + sent.get(lx.IMPORT)
    if not flows or not has_mineral(sent):
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
        if flow.cat == lx.EXPORT and (move.cat == lx.DOWN_SEVERE or _steep(sent, move)):
            return ev("trade_data", HIGH, T, sent, what, "exports collapsed: supply cut")
        if move.cat == lx.UP:
            return ev("trade_data", MEDIUM, E, sent, what, "exports or output rose")
        return ev("trade_data", MEDIUM, T, sent, what, "exports or output fell")
    return None


# The rules, run in this order on every sentence.
RULES: tuple[RuleFn, ...] = (
    *(export_control, licence, tariff, sanction_or_ban, stockpile, trade_talks, disruption),
    *(state_control, quota, investment, designation, project, trade_data, price_move),
)
# When two events reach the same level, the one whose instrument comes first decides.
PRIORITY_ORDER = (
    *("export_control", "licence", "tariff", "sanction", "ban", "stockpile", "trade_talks"),
    *("disruption", "state_control", "quota", "investment", "designation", "project"),
    *("trade_data", "price_move"),
)
PRIORITY = {name: i for i, name in enumerate(PRIORITY_ORDER)}
