"""Trade-measure rules: tariffs and duties on minerals (and their exemption or removal),
sanctions, and bans other than export bans."""

from __future__ import annotations

from services.classify import lexicon as lx
from services.classify.document import Doc
from services.classify.matching import Sentence
from services.classify.rules_base import (
    HIGH,
    LOW,
    MEDIUM,
    MINERAL_CATS,
    E,
    Event,
    N,
    T,
    ease_hits,
    eases,
    ev,
    in_scope,
    instr,
    is_background,
    live,
    nearest,
    raised_to,
    toggles,
    words,
)
from services.classify.rules_status import disputed, prices_fell

TARIFF_REACH = 9  # words between a tariff and the mineral it is on


def tariff(sent: Sentence, doc: Doc) -> Event | None:
    hits = [h for h in instr(sent, "tariff") if nearest(sent, h, MINERAL_CATS, reach=TARIFF_REACH)]
    if not hits:
        return None  # a tariff on something else ("new US tariffs" on Chinese goods)
    exempt = ease_hits(sent, lx.EXEMPT)
    removed = nearest(sent, hits[0], (lx.REMOVE,), reach=4)
    easing = bool(eases(sent) or toggles(sent)[1] or (removed and not raised_to(sent, removed)))
    direction = E if easing else T
    first = hits[0]
    if exempt and not ease_hits(sent, lx.EASE_HARD):
        if prices_fell(doc):
            why = "a mineral exempted from a tariff, and prices fell"
            return ev("tariff", HIGH, E, sent, words(exempt[0], first), why)
        why = "a mineral exempted from a tariff: no new cost, nothing lifted"
        return ev("tariff", MEDIUM, E, sent, words(exempt[0], first), why)
    if instr(sent, "trade_talks") and not live(sent, sent.get(lx.ENACT)):
        return ev("tariff", MEDIUM, N, sent, first.text, "tariffs on the table in trade talks")
    if disputed(sent) and not live(sent, sent.get(lx.ENACT)):
        return None  # the duty is the object of a trade dispute
    acts = [a for a in sent.get(lx.ENACT) if a.end <= first.start and first.start - a.end <= 3]
    if is_background(sent, first.start) or any(is_background(sent, a.start) for a in acts):
        return ev("tariff", MEDIUM, direction, sent, first.text, "tariff mentioned as background")
    reason = "tariff relief on a mineral" if easing else "tariff or duty on a mineral"
    return ev("tariff", HIGH, direction, sent, first.text, reason)


def sanction_or_ban(sent: Sentence, doc: Doc) -> Event | None:
    if not in_scope(sent, doc):
        return None
    direction = E if eases(sent) or toggles(sent)[1] else T
    sanctions = instr(sent, "sanction")
    if sanctions:
        exempt = ease_hits(sent, lx.EXEMPT)
        if exempt:
            why = "a mineral left out of sanctions: flows continue"
            return ev("sanction", MEDIUM, E, sent, words(exempt[0], sanctions[0]), why)
        if all(is_background(sent, h.start) for h in sanctions):
            why = "sanctions mentioned as background"
            return ev("sanction", MEDIUM, direction, sent, sanctions[0].text, why)
        reason = "sanctions eased" if direction is E else "sanctions touching a mineral"
        return ev("sanction", HIGH, direction, sent, sanctions[0].text, reason)
    bans = instr(sent, "ban")
    if bans and instr(sent, "project"):
        why = "a ban on exploring or developing deposits: long-dated supply"
        return ev("ban", LOW, direction, sent, bans[0].text, why)
    if bans and not sent.has(lx.EXPORT):
        lifted = live(sent, ease_hits(sent, lx.EASE_HARD, lx.REMOVE))
        if lifted and nearest(sent, bans[0], (lx.EASE_HARD, lx.REMOVE), reach=3):
            why = "a ban on a mineral lifted"
            return ev("ban", HIGH, E, sent, words(bans[0], lifted[0]), why)
        if live(sent, sent.get(lx.ENACT)):
            return ev("ban", HIGH, direction, sent, bans[0].text, "a ban on trade in a mineral")
        return ev("ban", MEDIUM, direction, sent, bans[0].text, "a ban mentioned, not enacted here")
    return None
