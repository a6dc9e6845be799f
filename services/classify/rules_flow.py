"""Flow rules: mines, plants and border crossings that shut or restart, shortages, new
production, producers in financial distress.

A shutdown is high; it is critical when the item says the source holds a large share of world
supply ("the world's biggest cobalt mine", "40% of world platinum output"), or when a border
or port of a major producer closes (the whole country's flow stops). In an oversupplied market
("blaming a glut", "weak prices") a shutdown that is not critical is medium: it relieves a
surplus rather than creating a shortage.
"""

from __future__ import annotations

from services.classify import lexicon as lx
from services.classify.document import Doc
from services.classify.matching import Hit, Sentence
from services.classify.rules_base import (
    CRITICAL,
    HIGH,
    LOW,
    MEDIUM,
    MODALS,
    E,
    Event,
    N,
    T,
    ev,
    in_scope,
    instr,
    is_background,
    live,
    maybe,
    nearest,
    words,
)

NOT_WORDS = frozenset({"not", "no", "rather", "without", "than"})
DISRUPTION_GAP = 5  # a shortage "after smelters complained of" it is the background
ROUTE_REACH = 5  # words between a border or port and the verb that shuts or reopens it
ENDING = (lx.REMOVE, lx.EASE_HARD)  # "ending the strike", "the strike ends"
DETERMINERS = frozenset({"the", "its", "their", "a", "an", "this", "that", "our", "his", "her"})
DETERMINERS |= {"bring", "brings", "restart", "restarts", "reopen", "reopens"}


def disruption(sent: Sentence, doc: Doc) -> Event | None:
    if not in_scope(sent, doc):
        return None
    new_supply = live(sent, sent.get(lx.NEW_SUPPLY))
    if new_supply:
        start = new_supply[0]
        if doc.longdated or MODALS & set(sent.words[start.end : start.end + 3]):
            return ev("investment", LOW, N, sent, start.text, "first production years away")
        return ev("investment", MEDIUM, E, sent, start.text, "new production starts")
    routes = [h for h in sent.get(lx.ROUTE) if not is_background(sent, h.start)]
    sites = sent.get(lx.PRODUCTION) + routes
    restart = sent.get(lx.RESTART) + _ended(sent)
    if restart and sites:
        return _restart(sent, doc, restart[0], _at(sent, restart, routes))
    shortage = [
        h
        for h in sent.get(lx.SHORTAGE) + instr(sent, "disruption")
        if not is_background(sent, h.start, DISRUPTION_GAP)
        and not _relieved(sent, h)
        and not _denied(sent, h)
    ]
    if shortage:
        return _shut(sent, doc, HIGH, shortage[0].text, "shortage or supply disruption")
    shut = [
        h
        for h in sent.get(lx.SHUTDOWN)
        if not is_background(sent, h.start, DISRUPTION_GAP) and not _describes(sent, h)
    ]
    if not (shut and sites):
        return distress(sent, doc)
    if all(maybe(sent, h) for h in shut):
        return ev("disruption", MEDIUM, T, sent, shut[0].text, "a mine or plant may shut")
    what = words(sites[0], shut[0])
    if doc.large_share is not None:
        why = f"a source with a large share of world supply shut ({doc.large_share.text!r})"
        return ev("disruption", CRITICAL, T, sent, what, why)
    if _at(sent, shut, routes) and doc.producer:
        why = f"a border or port of a major producer ({doc.producer}) closed: its flow stops"
        return ev("disruption", CRITICAL, T, sent, what, why)
    return _shut(sent, doc, HIGH, what, "mine, plant or border shut")


def _at(sent: Sentence, verbs: list[Hit], routes: list[Hit]) -> bool:
    """The verb is about the border or port itself ("border gates shut", "crossings reopen"),
    not a place named nearby ("a mining hub near the border")."""
    return any(abs(v.start - r.start) <= ROUTE_REACH for v in verbs for r in routes)


def _shut(sent: Sentence, doc: Doc, level: int, what: str, why: str) -> Event:
    glut = next((h for s in doc.sentences[:3] for h in s.get(lx.GLUT)), None)
    if glut is not None:
        why = f"{why}, in an oversupplied market ({glut.text!r})"
        return ev("disruption", MEDIUM, T, sent, what, why)
    return ev("disruption", level, T, sent, what, why)


def _restart(sent: Sentence, doc: Doc, cue: Hit, route: bool) -> Event:
    if route and doc.producer:
        why = f"a border or port of a major producer ({doc.producer}) reopens"
        return ev("disruption", HIGH, E, sent, cue.text, why)
    if doc.large_share is not None:
        why = f"a source with a large share of world supply restarts ({doc.large_share.text!r})"
        return ev("disruption", HIGH, E, sent, cue.text, why)
    return ev("disruption", MEDIUM, E, sent, cue.text, "mining, processing or trade to restart")


def _ended(sent: Sentence) -> list[Hit]:
    """ "ending the longest strike", "the stoppage ended": a shutdown word with an end verb
    (not "mothballed at year-end")."""
    ended = []
    for h in sent.get(lx.SHUTDOWN):
        end = nearest(sent, h, ENDING, reach=3)
        if end is not None and end.text.lower() != "end":
            ended.append(h)
    return ended


def distress(sent: Sentence, doc: Doc) -> Event | None:
    """A producer in financial distress: supply in question, no clear direction."""
    hits = sent.get(lx.DISTRESS)
    if not hits:
        return None
    why = "a producer in financial distress: supply in question"
    return ev("disruption", MEDIUM, N, sent, hits[0].text, why)


def _describes(sent: Sentence, hit: Hit) -> bool:
    """ "the idled Congo cobalt mine", "bring its closed plant back": a participle after a
    determiner, before the site, describes it ("Ivanhoe suspended operations" is a verb)."""
    if not hit.text.lower().endswith("ed") or hit.start == 0:
        return False
    if sent.words[hit.start - 1] not in DETERMINERS:
        return False
    return any(hit.end <= h.start <= hit.end + 3 for h in sent.get(lx.PRODUCTION))


def _denied(sent: Sentence, hit: Hit) -> bool:
    """ "rather than physical shortages", "no shortage": not a disruption."""
    return bool(NOT_WORDS & set(sent.words[max(0, hit.start - 3) : hit.start]))


def _relieved(sent: Sentence, hit: Hit) -> bool:
    """A shortage being eased ("to ease the shortage") is not a new disruption."""
    return nearest(sent, hit, (lx.EASE_SOFT, lx.EASE_HARD, lx.DOWN), reach=2) is not None
