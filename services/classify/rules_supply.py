"""Supply rules: stockpiles and price floors, state control, export licences, mine and plant
disruptions and restarts, quotas, investment and new capacity, long-dated projects."""

from __future__ import annotations

from services.classify import lexicon as lx
from services.classify.document import Doc
from services.classify.matching import Hit, Sentence
from services.classify.rules_base import (
    HIGH,
    LOW,
    MEDIUM,
    MODALS,
    MONEY,
    E,
    Event,
    N,
    T,
    eases,
    ev,
    in_scope,
    instr,
    is_background,
    live,
    modal,
    nearest,
    words,
)

DISRUPTION_GAP = 5  # a shortage "after smelters complained of" it is the background
PERMIT_WORDS = ("permit", "licen", "lease", "decision", "approval")
HELD = (lx.WITHHOLD, lx.RESTRICT, lx.NEGATION, lx.BREAKDOWN, lx.DOWN)


def stockpile(sent: Sentence, doc: Doc) -> Event | None:
    strong = sent.get(lx.STOCKPILE_STRONG)
    weak = [h for h in instr(sent, "stockpile") if _buying(sent, h)]
    official = sent.has(lx.ACTOR) or sent.has(lx.COUNTRY) or doc.title.has(lx.ACTOR)
    if not (strong or (weak and official)) or not in_scope(sent, doc):
        return None
    reason = "government stockpile, offtake or price floor lifts prices outside China"
    return ev("stockpile", HIGH, T, sent, (strong or weak)[0].text, reason)


def _buying(sent: Sentence, hit: Hit) -> bool:
    """A stockpile being bought or built: "to stockpile", "buy ... for its stockpile"."""
    verb = hit.start > 0 and sent.words[hit.start - 1] in ("to", "will")
    return verb or sent.has(lx.PURCHASE) or nearest(sent, hit, (lx.UP,), reach=3) is not None


def state_control(sent: Sentence, doc: Doc) -> Event | None:
    hits = instr(sent, "state_control")
    if not hits or not in_scope(sent, doc):
        return None
    reason = "state takes control of the resource or raises its take"
    return ev("state_control", MEDIUM, E if eases(sent) else T, sent, hits[0].text, reason)


def licence(sent: Sentence, doc: Doc) -> Event | None:
    hits = instr(sent, "licence")
    if not hits or not in_scope(sent, doc):
        return None
    if all(is_background(sent, h.start) for h in hits):
        return None  # "... as licences flow": the licences are not the news
    for anchor in hits + sent.get(lx.GRANT):
        held = nearest(sent, anchor, HELD, reach=3)
        if held is not None:
            return ev("licence", HIGH, T, sent, words(held, hits[0]), "licences withheld or cut")
    if sent.has(lx.SOFT) and (sent.has(lx.GRANT) or sent.has(lx.EASE_SOFT)):
        why = "licence approvals promised or sped up, no volumes"
        return ev("licence", MEDIUM, E, sent, words(sent.get(lx.SOFT)[0], hits[0]), why)
    grants = live(sent, sent.get(lx.GRANT))
    if grants:
        return ev("licence", HIGH, E, sent, words(grants[0], hits[0]), "export licences granted")
    return None


def disruption(sent: Sentence, doc: Doc) -> Event | None:
    if not in_scope(sent, doc):
        return None
    production = sent.get(lx.PRODUCTION)
    new_supply = live(sent, sent.get(lx.NEW_SUPPLY))
    if new_supply:
        start = new_supply[0]
        if doc.longdated or MODALS & set(sent.words[start.end : start.end + 3]):
            return ev("investment", LOW, N, sent, start.text, "first production years away")
        return ev("investment", MEDIUM, E, sent, start.text, "new production starts")
    restart = sent.get(lx.RESTART)
    if restart and production:
        return ev("disruption", MEDIUM, E, sent, restart[0].text, "mining or processing to restart")
    shortage = [
        h
        for h in sent.get(lx.SHORTAGE) + instr(sent, "disruption")
        if not is_background(sent, h.start, DISRUPTION_GAP) and not _relieved(sent, h)
    ]
    if shortage:
        return ev("disruption", HIGH, T, sent, shortage[0].text, "shortage or supply disruption")
    shut = [h for h in sent.get(lx.SHUTDOWN) if not is_background(sent, h.start, DISRUPTION_GAP)]
    if not (shut and production):
        return None
    if all(modal(sent, h) for h in shut):
        return ev("disruption", MEDIUM, T, sent, shut[0].text, "a mine or plant may shut")
    return ev("disruption", HIGH, T, sent, words(production[0], shut[0]), "mine or plant shut")


def _relieved(sent: Sentence, hit: Hit) -> bool:
    """A shortage being eased ("to ease the shortage") is not a new disruption."""
    return nearest(sent, hit, (lx.EASE_SOFT, lx.EASE_HARD, lx.DOWN), reach=2) is not None


def quota(sent: Sentence, doc: Doc) -> Event | None:
    hits = instr(sent, "quota")
    if not hits or not in_scope(sent, doc):
        return None
    move = nearest(sent, hits[0], (lx.UP, lx.DOWN, lx.RESTRICT, lx.EASE_SOFT, lx.EASE_HARD))
    if move is not None and move.cat in (lx.UP, lx.EASE_SOFT, lx.EASE_HARD):
        return ev("quota", MEDIUM, E, sent, words(hits[0], move), "quota raised: more supply")
    return ev("quota", MEDIUM, T, sent, hits[0].text, "quota caps supply")


def investment(sent: Sentence, doc: Doc) -> Event | None:
    hits = instr(sent, "investment")
    if not hits:
        weak = sent.get(lx.INVEST_WEAK)
        if not (weak and (MONEY.search(sent.text) or live(sent, sent.get(lx.OUTCOME)))):
            return None  # "investment" with no sum and no deal signed
        hits = weak
    if not in_scope(sent, doc):
        return None
    what = hits[0].text
    if sent.has(lx.INTENT) or doc.title.has(lx.INTENT):
        return ev("investment", LOW, E, sent, what, "a statement of intent, no commitment")
    if doc.longdated:
        return ev("investment", LOW, N, sent, what, "investment in a long-dated project")
    return ev("investment", MEDIUM, E, sent, what, "investment or deal adding supply over time")


def project(sent: Sentence, doc: Doc) -> Event | None:
    hits = instr(sent, "project")
    if not hits or not in_scope(sent, doc):
        return None
    grants = live(sent, sent.get(lx.GRANT))
    permits = [h for h in hits if any(w in h.text.lower() for w in PERMIT_WORDS)]
    if grants and permits:
        return ev("project", MEDIUM, E, sent, words(hits[0], grants[0]), "permit granted")
    recycling = sent.get(lx.RECYCLING)
    if recycling:
        return ev("project", LOW, E, sent, recycling[0].text, "recycling: small, long-run supply")
    return ev("project", LOW, N, sent, hits[0].text, "study, permit step or exploration")
