"""Supply rules: stockpiles and price floors, state control, export licences, quotas,
investment and new capacity, long-dated projects. Disruptions are in ``rules_flow``."""

from __future__ import annotations

from services.classify import lexicon as lx
from services.classify.document import Doc
from services.classify.matching import Hit, Sentence
from services.classify.rules_base import (
    CRITICAL,
    HIGH,
    LOW,
    MEDIUM,
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
    nearest,
    raised_to,
    words,
)
from services.classify.rules_status import disputed, intent_only, steep

SITE_WORDS = ("mine", "plant", "refiner", "smelter", "factor", "facilit")
TAKEOVER = ("nationali", "state", "take")  # a state taking over the resource itself
PERMIT_WORDS = ("permit", "licen", "lease", "decision", "approval")
HELD = (lx.WITHHOLD, lx.RESTRICT, lx.NEGATION, lx.BREAKDOWN, lx.DOWN)
PRICED_REACH = 3  # words between a sum and the floor or stockpile it prices


def stockpile(sent: Sentence, doc: Doc) -> Event | None:
    strong = sent.get(lx.STOCKPILE_STRONG)
    weak = [h for h in instr(sent, "stockpile") if _buying(sent, h)]
    official = sent.has(lx.ACTOR) or sent.has(lx.COUNTRY) or doc.title.has(lx.ACTOR)
    if not (strong or (weak and official)) or not in_scope(sent, doc):
        if instr(sent, "stockpile") and sent.has(lx.RELEASE) and in_scope(sent, doc):
            why = "a government releases metal from its stockpile: more supply"
            return ev("stockpile", HIGH, E, sent, sent.get(lx.RELEASE)[0].text, why)
        return None
    if sent.has(lx.RELEASE):
        why = "a government releases metal from its stockpile: more supply"
        return ev("stockpile", HIGH, E, sent, sent.get(lx.RELEASE)[0].text, why)
    reason = "government stockpile, offtake or price floor lifts prices outside China"
    return ev("stockpile", HIGH, T, sent, (strong or weak)[0].text, reason)


def _buying(sent: Sentence, hit: Hit) -> bool:
    """A stockpile being bought or built: "to stockpile", "buy ... for its stockpile"."""
    verb = hit.start > 0 and sent.words[hit.start - 1] in ("to", "will")
    return (
        verb
        or sent.has(lx.PURCHASE)
        or nearest(sent, hit, (lx.UP,), reach=3) is not None
        or _priced(sent, hit)
    )


def _priced(sent: Sentence, hit: Hit) -> bool:
    """A sum right before it: "a $110/kg floor" is a price floor, whatever else it says."""
    before = sent.words[max(0, hit.start - PRICED_REACH) : hit.start]
    return MONEY.search(sent.text) is not None and any(w[:1].isdigit() for w in before)


def state_control(sent: Sentence, doc: Doc) -> Event | None:
    hits = instr(sent, "state_control")
    if not in_scope(sent, doc):
        return None
    if sent.has(lx.MERGER) and (doc.producer or hits):
        why = "producers consolidated: more pricing control, direction unclear"
        return ev("state_control", MEDIUM, N, sent, sent.get(lx.MERGER)[0].text, why)
    if not hits:
        return None
    what = hits[0].text
    if doc.producer is None and what.lower().startswith(TAKEOVER):
        why = "state control where the country is not a major producer: little supply at stake"
        return ev("state_control", LOW, N, sent, what, why)
    raised = [h for h in hits if _raised(sent, h)]
    if raised:
        why = f"a major producer ({doc.producer}) raises its royalty or tax: a duty on supply"
        return ev("state_control", HIGH, T, sent, raised[0].text, why)
    reason = "state takes control of the resource or raises its take"
    return ev("state_control", MEDIUM, E if eases(sent) else T, sent, what, reason)


def _raised(sent: Sentence, hit: Hit) -> bool:
    """A royalty or tax raised: "lifts royalty to 10%", "raising the royalty ... to 10%"."""
    if not hit.text.lower().startswith(("royalt", "tax")):
        return hit.text.lower().startswith(("raise", "higher", "royalty hike", "royalty incr"))
    move = nearest(sent, hit, (lx.UP, lx.EASE_HARD, lx.REMOVE), reach=3)
    return move is not None and (move.cat == lx.UP or raised_to(sent, move))


def licence(sent: Sentence, doc: Doc) -> Event | None:
    hits = instr(sent, "licence")
    if not hits or not in_scope(sent, doc):
        return None
    if all(is_background(sent, h.start) for h in hits):
        return None  # "... as licences flow": the licences are not the news
    conditions = sent.get(lx.CONDITION)
    if conditions:
        stops = sent.has(lx.RESTRICT) or sent.has(lx.SHUTDOWN)
        stops = stops or any(h.text.lower().startswith("must") for h in conditions)
        eased = eases(sent) or (live(sent, sent.get(lx.GRANT)) and not stops)
        why = "licence renewed or conditions eased" if eased else "conditions attached to a licence"
        return ev("licence", MEDIUM, E if eased else T, sent, words(conditions[0], hits[0]), why)
    for anchor in hits + sent.get(lx.GRANT):
        held = nearest(sent, anchor, HELD, reach=3)
        if held is not None and not _eased(sent, held):
            return ev("licence", HIGH, T, sent, words(held, hits[0]), "licences withheld or cut")
    if sent.has(lx.SOFT) and (sent.has(lx.GRANT) or sent.has(lx.EASE_SOFT)):
        why = "licence approvals promised or sped up, no volumes"
        return ev("licence", MEDIUM, E, sent, words(sent.get(lx.SOFT)[0], hits[0]), why)
    grants = live(sent, sent.get(lx.GRANT))
    if not grants:
        return None
    exports = sent.has(lx.EXPORT) or doc.title.has(lx.EXPORT) or instr(sent, "export_control")
    if not (exports or _export_licence(hits)):
        why = "a permit or operating licence granted or renewed"
        return ev("licence", MEDIUM, E, sent, words(grants[0], hits[0]), why)
    return ev("licence", HIGH, E, sent, words(grants[0], hits[0]), "export licences granted")


def _eased(sent: Sentence, held: Hit) -> bool:
    """ "easing approvals": the word is an easing, not prices or volumes going down."""
    return held.cat == lx.DOWN and any(h.start == held.start for h in sent.get(lx.EASE_SOFT))


def _export_licence(hits: list[Hit]) -> bool:
    return any(h.text.lower().startswith("export") for h in hits)


def quota(sent: Sentence, doc: Doc) -> Event | None:
    hits = instr(sent, "quota")
    if not hits or not in_scope(sent, doc):
        return None
    first = hits[0]
    removed = nearest(sent, first, (lx.REMOVE,), reach=3)
    if removed is not None and _removes(sent, removed, first):
        why = "quotas removed: a cap on supply ends"
        return ev("quota", HIGH, E, sent, words(removed, first), why)
    if disputed(sent):
        return None  # the quota is the object of a trade dispute
    move = nearest(sent, first, (lx.UP, lx.DOWN, lx.RESTRICT, lx.EASE_SOFT, lx.EASE_HARD))
    if move is not None and move.cat in (lx.UP, lx.EASE_SOFT, lx.EASE_HARD):
        return ev("quota", MEDIUM, E, sent, words(first, move), "quota raised: more supply")
    cut = nearest(sent, first, (lx.DOWN, lx.DOWN_SEVERE), reach=6)
    exports = sent.has(lx.EXPORT) or first.text.lower().startswith("export")
    if cut is not None and exports and steep(sent, cut):
        if doc.producer and sent.index <= 1:
            why = f"export quota slashed by a major producer ({doc.producer}): less supply now"
            return ev("quota", CRITICAL, T, sent, words(cut, first), why)
        return ev("quota", HIGH, T, sent, words(cut, first), "export quota slashed")
    return ev("quota", MEDIUM, T, sent, first.text, "quota caps supply")


def _removes(sent: Sentence, verb: Hit, quota: Hit) -> bool:
    """ "dropped export quotas", "the quota system ends"; not "quotas dropped 10%" or "lifts
    the quota to 100,000 tonnes"."""
    if raised_to(sent, verb):
        return False
    return verb.end <= quota.start or not verb.text.lower().startswith("drop")


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
    if intent_only(sent, doc):
        return ev("investment", LOW, E, sent, what, "a statement of intent, no commitment")
    if doc.longdated:
        return ev("investment", LOW, N, sent, what, "investment in a long-dated project")
    return ev("investment", MEDIUM, E, sent, what, "investment or deal adding supply over time")


def _approves_site(sent: Sentence) -> bool:
    """ "BLM approves the mine": an official actor, a mine or plant, no export licence and no
    state takeover."""
    sites = [h for h in sent.get(lx.PRODUCTION) if h.text.lower().startswith(SITE_WORDS)]
    if not (sent.has(lx.ACTOR) and sites):
        return False
    return not (sent.has(lx.EXPORT) or instr(sent, "licence") or instr(sent, "state_control"))


def project(sent: Sentence, doc: Doc) -> Event | None:
    hits = instr(sent, "project")
    grants = live(sent, sent.get(lx.GRANT))
    if not hits and grants and _approves_site(sent) and in_scope(sent, doc):
        why = "a government approves a new mine or plant"
        return ev("project", MEDIUM, E, sent, words(grants[0], sent.get(lx.PRODUCTION)[0]), why)
    if not hits or not in_scope(sent, doc):
        return None
    permits = [h for h in hits if any(w in h.text.lower() for w in PERMIT_WORDS)]
    if grants and permits:
        return ev("project", MEDIUM, E, sent, words(hits[0], grants[0]), "permit granted")
    recycling = sent.get(lx.RECYCLING)
    if recycling:
        return ev("project", LOW, E, sent, recycling[0].text, "recycling: small, long-run supply")
    return ev("project", LOW, N, sent, hits[0].text, "study, permit step or exploration")
