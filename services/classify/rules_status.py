"""What an item says about the status of a measure, beyond its verbs: a start date ("from 15
September"), a statement of intent with no money, a trade dispute over it, a steep fall, and
prices falling in reaction."""

from __future__ import annotations

import re

from services.classify import lexicon as lx
from services.classify.document import Doc
from services.classify.matching import Hit, Sentence
from services.classify.rules_base import MONEY, PERCENT, is_background, nearest

MONTHS = frozenset(
    {"january", "february", "march", "april", "may", "june", "july", "august", "september"}
    | {"october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug"}
    | {"sep", "sept", "oct", "nov", "dec"}
)
STARTING = frozenset({"from", "starting", "beginning", "effective"})
YEAR_STARTING = STARTING | {"by"}
STEEP_PCT = 50.0  # a fall of at least this many percent is a collapse
FRACTION = re.compile(
    r"\b(?:by|of)\s(?:almost |nearly |about |more than |over )?"
    r"(?:half|two.thirds|three.quarters)\b",
    re.I,
)


def scheduled(sent: Sentence) -> Hit | None:
    """ "from 15 September", "from December 1", "starting November 8": a start date."""
    w = sent.words
    for i, word in enumerate(w):
        if word in STARTING and any(x in MONTHS for x in w[i + 1 : i + 3]):
            return Hit("scheduled", "", i, i + 3, " ".join(w[i : i + 3]))
    return None


def start_year(sentences: list[Sentence]) -> Hit | None:
    """ "from 2029", "by 2030" (a start given only as a year) or else "starting January 2027"
    (a month and year) in these sentences. A start weeks away names its month and day ("from
    1 January"), so a month and year count only when no sentence names the day."""
    month_year: Hit | None = None
    dated = False
    for sent in sentences:
        w = sent.words
        for i, word in enumerate(w):
            if word not in YEAR_STARTING:
                continue
            ahead = w[i + 1 : i + 4]
            month = bool(ahead) and ahead[0] in MONTHS
            dated = dated or (month and any(x.isdigit() and len(x) <= 2 for x in ahead))
            j = i + 1 + month
            if j < len(w) and len(w[j]) == 4 and w[j].isdigit() and w[j].startswith("20"):
                hit = Hit("scheduled", "", i, j + 1, " ".join(w[i : j + 1]))
                if not month:
                    return hit
                month_year = month_year or hit
    return None if dated else month_year


def intent_only(sent: Sentence, doc: Doc) -> bool:
    """A statement of intent (MoU, framework to study, pledge to cooperate) here or up front,
    with no sum of money committed."""
    near = (sent, *doc.sentences[:2])
    return any(s.has(lx.INTENT) for s in near) and not any(MONEY.search(s.text) for s in near)


def prices_fell(doc: Doc) -> bool:
    """The headline or the first two sentences report prices falling."""
    return any(
        nearest(s, p, (lx.DOWN, lx.DOWN_SEVERE), reach=6) is not None
        for s in doc.sentences[:3]
        for p in s.get(lx.PRICE)
    )


def disputed(sent: Sentence) -> bool:
    """A trade dispute (WTO) or a ruling in the sentence, not as background ("after a WTO
    loss"): the measures named are its object."""
    return any(not is_background(sent, h.start) for h in sent.get(lx.DISPUTE) + sent.get(lx.RULING))


def steep(sent: Sentence, move: Hit) -> bool:
    """A severe fall ("plunge", "to zero"), one of at least ``STEEP_PCT`` percent, or one "by
    almost three quarters"."""
    if move.cat == lx.DOWN_SEVERE:
        return True
    if move.cat != lx.DOWN:
        return False
    return FRACTION.search(sent.text) is not None or any(
        float(p) >= STEEP_PCT for p in PERCENT.findall(sent.text)
    )
