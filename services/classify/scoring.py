"""From events to one decision: hedges and negations, the commentary cap, the deciding event,
the 0-100 score and the evidence list."""

from __future__ import annotations

from dataclasses import dataclass

from services.classify import lexicon as lx
from services.classify.document import BLOG_COMMENTARY, Doc
from services.classify.matching import Hit, Sentence
from services.classify.rules_base import CRITICAL, HIGH, LOW, MEDIUM, Event
from services.classify.rules_market import PRIORITY
from shared.models import LEVEL_ORDER, Direction, Evidence, Level

# score = base of the level + adjustments, kept inside the level's band
BANDS = {0: (0, 9), LOW: (10, 34), MEDIUM: (35, 59), HIGH: (60, 79), CRITICAL: (80, 100)}
BASE = {0: 3, LOW: 22, MEDIUM: 47, HIGH: 70, CRITICAL: 88}
MAX_EVIDENCE = 8
CONTRAST = frozenset({"but", "yet", "however"})
# a measure denied or ruled out moves the market the other way: a feared curb ruled out eases
FLIP = {
    Direction.TIGHTENING: Direction.EASING,
    Direction.EASING: Direction.TIGHTENING,
    Direction.NEUTRAL: Direction.NEUTRAL,
}


@dataclass(slots=True)
class Decision:
    level: Level
    score: int
    direction: Direction
    instruments: tuple[str, ...]
    evidence: tuple[Evidence, ...]


def _hedge(doc: Doc, sentences: set[int]) -> tuple[Hit | None, Hit | None]:
    """The first strong and weak hedge in these sentences ("Considering ..." opening a
    sentence is a preposition, not a hedge; a headline question is a weak hedge)."""
    sents = [doc.sentences[i] for i in sorted(sentences)]
    strong = next((h for s in sents for h in s.get(lx.HEDGE_STRONG)), None)
    weak = next((h for s in sents for h in s.get(lx.HEDGE_WEAK) if h.start > 0), None)
    question = doc.title.text.rstrip().endswith("?") or "? " in doc.title.text
    if weak is None and question and 0 in sentences:
        weak = Hit(lx.HEDGE_WEAK, "", 0, 0, "?")
    return strong, weak


def _lean(doc: Doc) -> tuple[Direction, Hit] | None:
    """Which way background leans: shortage and deficit words tighten, surplus and glut ease."""
    up = [h for s in doc.sentences for h in s.get(lx.LEAN_UP)]
    down = [h for s in doc.sentences for h in s.get(lx.LEAN_DOWN)]
    if len(up) > len(down):
        return Direction.TIGHTENING, up[0]
    if len(down) > len(up):
        return Direction.EASING, down[0]
    return None


def _negations(sent: Sentence, cat: str) -> list[Hit]:
    """Denials (or refusals) not answered by a "but" later in the sentence ("Beijing denies
    an embargo, but cargoes sit idle at the ports")."""
    return [h for h in sent.get(cat) if not CONTRAST & set(sent.words[h.end :])]


def _modify(doc: Doc, events: list[Event], notes: list[Evidence]) -> None:
    """Apply hedges and negations per instrument, in place.
    A hedge in an event's own sentence lowers it; one in the headline or the first sentence
    lowers every event of the instrument stated there ("Pentagon revives stockpile" / "plans
    to buy"), but one further down lowers only its own sentence."""
    denial = next((h for s in doc.sentences[:2] for h in _negations(s, lx.NEGATION)), None)
    refusal = next((h for s in doc.sentences[:2] for h in _negations(s, lx.DECLINE)), None)
    for name in {e.instrument for e in events}:
        mine = [e for e in events if e.instrument == name and not e.stays]
        up_front = {0, 1} & {e.sentence for e in mine}
        up_front |= {0} if up_front else set()  # the headline's hedge governs the lead
        sents = [doc.sentences[i] for i in sorted({e.sentence for e in mine})]
        negation = next((h for s in sents for h in _negations(s, lx.NEGATION)), denial)
        declined = next((h for s in sents for h in _negations(s, lx.DECLINE)), refusal)
        used: Hit | None = None
        for e in mine:
            strong, weak = _hedge(doc, {e.sentence} | up_front)
            steps = 2 if strong else 1 if weak else 0
            if steps:
                e.hedged = True
                used = used or strong or weak
            if steps and e.level >= HIGH:
                e.level = max(MEDIUM, e.level - steps)
            if declined is not None:
                e.level = min(e.level, MEDIUM)
                e.direction = FLIP[e.direction] if e.level == MEDIUM else Direction.NEUTRAL
            elif negation is not None:
                e.level = max(LOW, e.level - 2)
                e.direction = Direction.NEUTRAL
        if used is not None:
            notes.append(Evidence(text=used.text, reason=f"hedge lowers the {name} level"))
        if declined is not None:
            why = f"decided against: {name} at most medium, the market moves the other way"
            notes.append(Evidence(text=declined.text, reason=why))
        elif negation is not None:
            notes.append(Evidence(text=negation.text, reason=f"negation: {name} denied"))


def _news_on_a_blog(doc: Doc, events: list[Event]) -> bool:
    """Only a blog path says commentary ("/blog", where law firms and trade bodies post
    client alerts), and the headline states a high or critical event: a bulletin reporting
    the news, not an opinion ("/opinion" always caps)."""
    by_url = bool(doc.commentary and doc.commentary.startswith(BLOG_COMMENTARY))
    return by_url and any(e.level >= HIGH and e.sentence == 0 for e in events)


def _schedule(doc: Doc, events: list[Event]) -> None:
    """A new measure or cut that starts years from now ("within five years") is medium news;
    one that starts months from now ("by year-end") is high, not critical. An easing keeps
    its level: "within five years", "until next year" there is the window it opens."""
    for e in events:
        if e.direction is Direction.EASING:
            continue
        if doc.far is not None and e.level >= HIGH:
            e.level = MEDIUM
            e.reason += f"; starts years from now ({doc.far.text!r})"
        elif doc.later is not None and e.level == CRITICAL:
            e.level = HIGH
            e.reason += f"; starts months from now, not at once ({doc.later.text!r})"


def decide(doc: Doc, events: list[Event], *, official: bool) -> Decision:
    notes: list[Evidence] = []
    if not doc.relevant:
        reason = doc.relevance_reason or "no critical-mineral word"
        first = next(iter(doc.mineral_hits.values()), None)
        ev = (Evidence(text=first.text if first else "", reason=f"not relevant: {reason}"),)
        return Decision(Level.NONE, 0 if first is None else 5, Direction.NEUTRAL, (), ev)
    _modify(doc, events, notes)
    if doc.commentary and not _news_on_a_blog(doc, events):
        capped = [e for e in events if e.level > LOW]
        for e in capped:
            e.level = LOW
        notes.append(
            Evidence(text="", reason=f"commentary caps the level at low: {doc.commentary}")
        )
    if doc.partial is not None:
        for e in events:
            if e.level == CRITICAL:
                e.level = HIGH
                e.reason += f"; only part of the flow ({doc.partial.text!r})"
    _schedule(doc, events)
    events.sort(key=lambda e: (-e.level, PRIORITY[e.instrument], e.sentence))
    top = events[0] if events else None
    level = top.level if top else LOW
    direction = top.direction if top else Direction.NEUTRAL
    if level == LOW and direction is Direction.NEUTRAL and (lean := _lean(doc)) is not None:
        direction, word = lean
        notes.append(Evidence(text=word.text, reason=f"background leans {direction.value}"))
    undecided = top and (top.hedged or top.level <= MEDIUM)
    if undecided and any(s.has(lx.NEUTRALISE) for s in doc.sentences):
        direction = Direction.NEUTRAL
        word = next(h for s in doc.sentences for h in s.get(lx.NEUTRALISE))
        notes.append(Evidence(text=word.text, reason="outcome undecided: direction neutral"))
    score = BASE[level]
    if top:
        score += 3 if top.sentence == 0 else 0
        score += min(6, 2 * sum(1 for e in events[1:] if e.level >= level - 1))
        score -= 5 if top.hedged else 0
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
