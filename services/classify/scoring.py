"""From events to one decision: hedges and negations, the commentary cap, the deciding event,
the 0-100 score and the evidence list."""

from __future__ import annotations

from dataclasses import dataclass

from services.classify import lexicon as lx
from services.classify.document import Doc
from services.classify.matching import Hit
from services.classify.rules_base import CRITICAL, HIGH, LOW, MEDIUM, Event
from services.classify.rules_market import PRIORITY
from shared.models import LEVEL_ORDER, Direction, Evidence, Level

# score = base of the level + adjustments, kept inside the level's band
BANDS = {0: (0, 9), LOW: (10, 34), MEDIUM: (35, 59), HIGH: (60, 79), CRITICAL: (80, 100)}
BASE = {0: 3, LOW: 22, MEDIUM: 47, HIGH: 70, CRITICAL: 88}
MAX_EVIDENCE = 8


@dataclass(slots=True)
class Decision:
    level: Level
    score: int
    direction: Direction
    instruments: tuple[str, ...]
    evidence: tuple[Evidence, ...]


def _modify(doc: Doc, events: list[Event], notes: list[Evidence]) -> set[str]:
    """Apply hedges and negations per instrument, in place; return the hedged instruments."""
    hedged: set[str] = set()
    up_front = doc.sentences[:2]
    denial = next((h for s in up_front for h in s.get(lx.NEGATION)), None)
    question = doc.title.text.rstrip().endswith("?") or "? " in doc.title.text
    for name in {e.instrument for e in events}:
        sents = [
            doc.sentences[i] for i in sorted({e.sentence for e in events if e.instrument == name})
        ]
        strong = next((h for s in sents for h in s.get(lx.HEDGE_STRONG)), None)
        # "Considering ..." opening a sentence is a preposition, not a hedge
        weak = next((h for s in sents for h in s.get(lx.HEDGE_WEAK) if h.start > 0), None)
        if weak is None and question and sents[0].index == 0:
            weak = Hit(lx.HEDGE_WEAK, "", 0, 0, "?")
        negation = next((h for s in sents for h in s.get(lx.NEGATION)), denial)
        steps = 2 if strong else 1 if weak else 0
        if steps:
            hedged.add(name)
        for e in events:
            if e.instrument != name:
                continue
            if steps and e.level >= HIGH:
                e.level = max(MEDIUM, e.level - steps)
            if negation is not None:
                e.level = max(LOW, e.level - 2)
                e.direction = Direction.NEUTRAL
        if name in hedged and (hedge := strong or weak) is not None:
            notes.append(Evidence(text=hedge.text, reason=f"hedge lowers the {name} level"))
        if negation is not None:
            notes.append(
                Evidence(text=negation.text, reason=f"negation: {name} denied or ruled out")
            )
    return hedged


def decide(doc: Doc, events: list[Event], *, official: bool) -> Decision:
    notes: list[Evidence] = []
    if not doc.relevant:
        reason = doc.relevance_reason or "no critical-mineral word"
        first = next(iter(doc.mineral_hits.values()), None)
        ev = (Evidence(text=first.text if first else "", reason=f"not relevant: {reason}"),)
        return Decision(Level.NONE, 0 if first is None else 5, Direction.NEUTRAL, (), ev)
    hedged = _modify(doc, events, notes)
    if doc.commentary:
        capped = [e for e in events if e.level > LOW]
        for e in capped:
            e.level = LOW
        notes.append(
            Evidence(text="", reason=f"commentary caps the level at low: {doc.commentary}")
        )
    events.sort(key=lambda e: (-e.level, PRIORITY[e.instrument], e.sentence))
    top = events[0] if events else None
    level = top.level if top else LOW
    direction = top.direction if top else Direction.NEUTRAL
    undecided = top and (top.instrument in hedged or top.level <= MEDIUM)
    if undecided and any(s.has(lx.NEUTRALISE) for s in doc.sentences):
        direction = Direction.NEUTRAL
        word = next(h for s in doc.sentences for h in s.get(lx.NEUTRALISE))
        notes.append(Evidence(text=word.text, reason="outcome undecided: direction neutral"))
    score = BASE[level]
    if top:
        score += 3 if top.sentence == 0 else 0
        score += min(6, 2 * sum(1 for e in events[1:] if e.level >= level - 1))
        score -= 5 if top.instrument in hedged else 0
    if doc.producer and level >= HIGH:
        score += 3
    if official and level >= MEDIUM:
        score += 3
    lo, hi = BANDS[level]
    score = max(lo, min(hi, score))

    instruments = tuple(
        dict.fromkeys(n for e in events if e.level >= LOW for n in (e.instrument, *e.also))
    )
    evidence: list[Evidence] = []
    for e in events[:3]:
        evidence.append(
            Evidence(
                text=e.trigger, reason=f"{e.instrument}: {e.reason} ({LEVEL_ORDER[e.level].value})"
            )
        )
    if not events:
        evidence.append(
            Evidence(text="", reason="relevant background with no market-moving instrument (low)")
        )
    evidence.extend(notes)
    if doc.implied:
        evidence.append(Evidence(text=", ".join(doc.minerals), reason=doc.relevance_reason))
    for token in doc.minerals[:3]:
        if token in doc.mineral_hits:
            evidence.append(Evidence(text=doc.mineral_hits[token].text, reason=f"mineral: {token}"))
    if doc.producer and level >= HIGH:
        evidence.append(Evidence(text=doc.producer, reason="a major producer of the mineral acts"))
    if official:
        evidence.append(Evidence(text="", reason="official source"))
    return Decision(
        LEVEL_ORDER[level], score, direction, instruments, tuple(evidence[:MAX_EVIDENCE])
    )
