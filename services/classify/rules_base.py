"""What every rule shares: the :class:`Event` a rule returns, and helpers that read a tagged
sentence (scope, background, modality, proximity, toggles). Levels are 0 (none) to 4
(critical).

A rule only fires for a sentence "in scope": one that names a mineral, or the title of an
item whose summary names one, or a summary sentence under a headline that names one.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from services.classify import lexicon as lx
from services.classify.document import Doc, has_mineral
from services.classify.matching import Hit, Sentence
from shared.models import Direction

CRITICAL, HIGH, MEDIUM, LOW = 4, 3, 2, 1
T, E, N = Direction.TIGHTENING, Direction.EASING, Direction.NEUTRAL

MODALS = frozenset({"may", "might", "could", "would"})
MODAL_AUX = frozenset({"be", "been", "have"})  # "could be halted", "would have been banned"
NEAR = 4  # words between a quota, price or flow and the word saying which way it moved
BACKGROUND_GAP = 2  # at most this many words between "after"/"amid"... and the measure
CLAUSE_GAP = 5  # ... and the verb of a background clause ("since the new controls took effect")
REPORTING = frozenset({"says", "said", "say", "told", "announces", "announced", "reported"})
ENABLING = ("allow", "let", "permit", "enabl")
RECENT = frozenset(
    {"today", "yesterday", "tonight", "overnight", "weekend", "monday", "tuesday", "wednesday"}
    | {"thursday", "friday", "saturday", "sunday"}
)
TOGGLE_REACH = 14  # words after "suspend"/"pause" searched for what is suspended
PASSIVE_REACH = 10  # ... and before "suspended"/"paused" in the passive ("the ban ... suspended")
PASSIVE = ("suspended", "paused", "delayed", "postponed", "deferred", "revoked")
RAISE_REACH = 18  # words after "lifts" searched for "to 25%" (a rate raised, not a measure lifted)
RELATIVE = frozenset({"that", "which"})
AUXILIARY = frozenset({"has", "have", "had", "was", "were", "is", "are", "will"})
PRONOUNS = frozenset({"it", "they", "he", "she", "we"})
EASED_BY_TOGGLE = frozenset({"export_control", "ban", "tariff", "sanction", "quota"})
MONEY = re.compile(r"[$€£¥]\s?\d|\b\d[\d,.]*\s?(?:million|billion|trillion|bn|mn|m|b)\b", re.I)
MINERAL_CATS = (lx.MINERAL, lx.GROUP)
PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s?(?:%|per ?cent)")
_TOGGLED = (lx.INSTR, lx.EXPORT, lx.RESTRICT, lx.PRODUCTION)
_NONE: list[Hit] = []


@dataclass(slots=True)
class Event:
    instrument: str
    level: int
    direction: Direction
    sentence: int
    trigger: str
    reason: str
    also: tuple[str, ...] = ()
    hedged: bool = False
    stays: bool = False  # "will not lift": the negation is part of the event


RuleFn = Callable[[Sentence, Doc], Event | None]


def ev(instrument: str, level: int, direction: Direction, sent: Sentence, *why: str) -> Event:
    """An event found in ``sent``: ``why`` is (trigger words, reason)."""
    trigger, reason = why
    return Event(instrument, level, direction, sent.index, trigger, reason)


def in_scope(sent: Sentence, doc: Doc) -> bool:
    if doc.implied or has_mineral(sent):
        return True
    return doc.any_mineral if sent.index == 0 else doc.title_has_mineral


def is_background(sent: Sentence, start: int, gap: int = BACKGROUND_GAP) -> bool:
    return any(h.end <= start and start - h.end <= gap for h in sent.get(lx.BACKGROUND))


def modal(sent: Sentence, hit: Hit) -> bool:
    """ "could ban", "may be halted", "would have (been) banned"; not reported speech ("said
    China would suspend", "said the curbs would be lifted")."""
    w, i = sent.words, hit.start
    j = i  # step back over "be", "been", "have" to the modal
    while j > 0 and i - j < 2 and w[j - 1] in MODAL_AUX:
        j -= 1
    if j == 0 or w[j - 1] not in MODALS:
        return False
    if "have" in w[j:i]:
        return True  # "would have banned": it did not happen
    return not (w[j - 1] == "would" and REPORTING & set(w[max(0, j - 5) : j - 1]))


def maybe(sent: Sentence, hit: Hit) -> bool:
    """ "could halt" or "a halt would cut": a possibility."""
    return modal(sent, hit) or sent.words[hit.end : hit.end + 1] in ([m] for m in MODALS)


def live(sent: Sentence, hits: list[Hit]) -> list[Hit]:
    """Hits that state the news: not in a background clause ("after the controls took
    effect"), not a possibility ("could ban"), not a body-text infinitive ("a move to ban",
    but "allowing shipments to resume" is live), not a description of an older measure ("the
    system that took effect in December", "the controls announced on 9 October")."""
    return [
        h
        for h in hits
        if not (
            in_background_clause(sent, h)
            or modal(sent, h)
            or _purpose(sent, h)
            or descriptive(sent, h)
        )
    ]


def descriptive(sent: Sentence, hit: Hit) -> bool:
    """A verb in a relative clause ("that took effect") or a body-text participle right after
    the measure it describes ("the controls announced on 9 October")."""
    w = sent.words
    i = hit.start
    if i > 0 and w[i - 1] in RELATIVE:
        return True
    if i > 1 and w[i - 2] in RELATIVE and w[i - 1] in AUXILIARY:
        return True
    if i > 1 and w[i - 1] in PRONOUNS and any(h.end == i - 1 for h in sent.get(lx.INSTR)):
        return True  # "the export rules it unveiled on 9 October"
    if sent.index == 0 or i == 0 or not w[i].endswith("ed"):
        return False
    return any(h.end == i and h.cat in (lx.INSTR, lx.RESTRICT) for h in sent.hits)


def raised_to(sent: Sentence, hit: Hit) -> bool:
    """ "lifts the duty to 25%", "raising the royalty ... to 10% from 2%": a rate goes up."""
    after = sent.words[hit.end : hit.end + RAISE_REACH]
    return PERCENT.search(sent.text) is not None and any(
        w in ("to", "from") and i + 1 < len(after) and after[i + 1][:1].isdigit()
        for i, w in enumerate(after)
    )


def in_background_clause(sent: Sentence, hit: Hit) -> bool:
    """An "after"/"since"/"amid" at most ``CLAUSE_GAP`` words before the verb, with no
    reporting verb in between ("after Trump says he will impose" is news) and no sign that
    the clause is itself this week's news ("after Congo announced at the weekend")."""
    for h in sent.get(lx.BACKGROUND):
        if h.end <= hit.start and hit.start - h.end <= CLAUSE_GAP:
            between = sent.words[h.end : hit.start]
            if not any(w in REPORTING for w in between) and not _recent(sent.words, hit.end):
                return True
    return False


def _recent(words: list[str], start: int) -> bool:
    """ "at the weekend", "on Monday" right after the verb; not "..., the ministry said Monday"."""
    after = words[start : start + 4]
    return any(
        w in RECENT and (i == 0 or after[i - 1] not in REPORTING) for i, w in enumerate(after)
    )


def _purpose(sent: Sentence, hit: Hit) -> bool:
    if sent.index == 0 or hit.start == 0 or sent.words[hit.start - 1] != "to":
        return False
    before = sent.words[max(0, hit.start - 4) : hit.start - 1]
    return not any(w.startswith(ENABLING) for w in before)


def nearest(sent: Sentence, anchor: Hit, cats: tuple[str, ...], reach: int = NEAR) -> Hit | None:
    """The hit of one of ``cats`` closest to ``anchor`` (at most ``reach`` words away), not
    across an "after"/"amid" (which starts a clause about something else)."""
    best: Hit | None = None
    best_gap = reach + 1
    for h in sent.hits:
        if h.cat in cats:
            gap = anchor.start - h.end if h.end <= anchor.start else h.start - anchor.end
            if 0 <= gap < best_gap and not _barrier(sent, anchor, h):
                best, best_gap = h, gap
    return best


def _barrier(sent: Sentence, a: Hit, b: Hit) -> bool:
    lo, hi = min(a.end, b.end), max(a.start, b.start)
    return any(lo <= h.start and h.end <= hi for h in sent.get(lx.BACKGROUND))


def instr(sent: Sentence, key: str) -> list[Hit]:
    return sent.by_key.get(key, _NONE)


def eases(sent: Sentence) -> bool:
    return bool(ease_hits(sent, lx.EASE_HARD) or ease_hits(sent, lx.EASE_SOFT, lx.EXEMPT))


def ease_hits(sent: Sentence, *cats: str) -> list[Hit]:
    """Easing words of ``cats``, without those that raise a rate ("lifts the duty to 25%")."""
    return [
        h
        for c in cats
        for h in sent.get(c)
        if not ("lift" in h.text.lower() and raised_to(sent, h))
    ]


def toggles(sent: Sentence) -> tuple[list[Hit], list[Hit]]:
    """Split "suspend"/"pause"/"delay" hits into (restricting, easing) by what follows:
    "suspend exports" restricts, "suspend the ban" eases."""
    restricting: list[Hit] = []
    easing: list[Hit] = []
    for t in sent.get(lx.TOGGLE):
        target = next(
            (
                h
                for h in sent.hits
                if t.end <= h.start <= t.end + TOGGLE_REACH and h.cat in _TOGGLED
            ),
            None,
        )
        if target is None and t.text.lower().endswith(PASSIVE):
            before = [
                h
                for h in sent.hits
                if h.end <= t.start and t.start - h.end <= PASSIVE_REACH and h.cat in _TOGGLED
            ]
            target = before[-1] if before else None
        lifts = target is not None and (
            (target.cat == lx.INSTR and target.key in EASED_BY_TOGGLE) or target.cat == lx.RESTRICT
        )
        (easing if lifts else restricting).append(t)
    return restricting, easing


def words(*hits: Hit | None) -> str:
    return " … ".join(dict.fromkeys(h.text for h in hits if h is not None))
