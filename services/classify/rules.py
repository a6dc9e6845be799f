"""Export controls and their lifting (tariffs, sanctions and other bans are in
``rules_trade``).

Export controls are the rule that can reach critical: a ban, halt or licensing regime in
force now (an enacting verb, a start date, or "takes effect" anywhere in the item), stated
in the headline or first sentence, by a country that is a major producer of the mineral; or
the lifting of such controls. Mentions without an enacting verb, or behind "after"/"amid",
are context. A lifting is high rather than critical when it leaves the regime in place
(licences granted under it) or is promised in a trade deal; medium when what is dropped was
only ever proposed. An export duty or tax is high at most: a cost, not a stop.
"""

from __future__ import annotations

from services.classify import lexicon as lx
from services.classify.document import Doc
from services.classify.matching import Hit, Sentence
from services.classify.rules_base import (
    CRITICAL,
    HIGH,
    MEDIUM,
    E,
    Event,
    T,
    ease_hits,
    ev,
    in_scope,
    instr,
    live,
    modal,
    raised_to,
    toggles,
    words,
)
from services.classify.rules_status import disputed, scheduled, start_year

BAN_WORDS = ("ban", "prohibit", "embargo")
DUTY_WORDS = ("tax", "taxes", "duty", "duties", "tariff", "tariffs")
_ACTORS = (lx.COUNTRY, lx.ACTOR)
CONTROL_NOUNS = frozenset({"control", "controls", "curb", "curbs", "restriction", "restrictions"})
ADD_ON = frozenset({"and", "plus", "including", "also"})
REMOVE_REACH = 3  # words between "drop"/"scrap" and the measure it removes


def export_control(sent: Sentence, doc: Doc) -> Event | None:
    controls = instr(sent, "export_control")
    t_restrict, t_ease = toggles(sent)
    restrict = sent.get(lx.RESTRICT) + t_restrict + instr(sent, "ban")
    exports = sent.get(lx.EXPORT)
    ease_hard = ease_hits(sent, lx.EASE_HARD) + t_ease + _removes(sent)
    ease_soft = ease_hits(sent, lx.EASE_SOFT, lx.EXEMPT)
    licensing = bool(sent.has(lx.REQUIRE) and instr(sent, "licence"))
    controls = controls or _on_mineral(sent)
    has_control = bool(controls or (restrict and exports) or licensing)
    if not (has_control or (ease_hard and exports)) or not in_scope(sent, doc):
        return None
    object_ = (controls or exports or restrict or instr(sent, "licence"))[0]
    easing = bool(ease_hard or ease_soft)
    cue: Hit | None
    if easing:
        cue = (live(sent, ease_hard) or ease_hard or ease_soft)[0]
        enacted = bool(live(sent, ease_hard)) or bool(ease_hard and live(sent, sent.get(lx.ENACT)))
    else:
        acts = live(sent, sent.get(lx.ENACT))
        if sent.index == 0:
            acts += sent.get(lx.ENACT_HEADLINE)
        if not acts:  # "This announcement takes effect on publication." in its own sentence
            acts = [h for s in doc.sentences if _bare(s) for h in live(s, s.get(lx.EFFECTIVE))]
        start = scheduled(sent)
        if not acts and start is not None:  # "need export licences from 15 September"
            acts = [start]
        cue = acts[0] if acts else None
        enacted = bool(acts)
    what = "lifting of export controls" if easing else "export controls"
    if not enacted and disputed(sent):
        return None  # the measure is the object of a trade dispute, which is the news
    if enacted and not easing and cue is not None and _at_a_site(sent, cue):
        why = "shipments halted at a mine or plant, not by a government"
        return ev("export_control", HIGH, E if easing else T, sent, words(cue, object_), why)
    if enacted and sent.index <= 1 and doc.producer:
        level, reason = CRITICAL, f"{what} in force now, by a major producer ({doc.producer})"
    elif enacted:
        level, reason = HIGH, f"{what} in force, not up front or not by a major producer"
    elif easing and (live(sent, ease_hard) or live(sent, ease_soft)):
        level, reason = HIGH, "export controls to be eased (not yet in force)"
    elif easing:
        return ev("export_control", MEDIUM, E, sent, words(cue, object_), f"{what} as context")
    else:
        level, reason = MEDIUM, "export controls mentioned as context, not enacted here"
    year = None if easing else start_year(doc.sentences[:2])
    if level > MEDIUM and year is not None and year.end - year.start == 2:
        level, reason = MEDIUM, f"{what} to start in a later year ({year.text!r}), not now"
    elif level == CRITICAL and year is not None:
        level, reason = HIGH, f"{what} to start in a later month ({year.text!r}), not at once"
    if level == CRITICAL and sent.has(lx.EXTEND):
        level, reason = HIGH, f"extension of existing {what}"
    if level == CRITICAL and (_technology(sent) or _technology(doc.title)):
        level, reason = HIGH, f"{what} on processing technology, not on the material"
    if level > MEDIUM and (sent.has(lx.DATA_REPORT) or doc.title.has(lx.DATA_REPORT)):
        level, reason = MEDIUM, "trade figures reported, not a change of policy"
    if level == CRITICAL and any(h.text.lower().endswith(DUTY_WORDS) for h in controls):
        level, reason = HIGH, f"{what}: an export duty or tax, a cost rather than a stop"
    partly = _eased_in_part(sent, doc) if easing and level == CRITICAL else None
    if partly is not None:
        level, reason = HIGH, partly
    if easing and level > MEDIUM and _hypothetical(doc):
        level, reason = MEDIUM, "a proposed measure dropped before it took effect"
    event = ev("export_control", level, E if easing else T, sent, words(cue, object_), reason)
    if any(h.text.lower().startswith(BAN_WORDS) for h in restrict):
        event.also = ("ban",)
    return event


def _on_mineral(sent: Sentence) -> list[Hit]:
    """ "rare earth controls", "curbs on gallium": controls named by their mineral, without
    the word "export" (which is what such controls are)."""
    return [
        h
        for h in sent.get(lx.RESTRICT)
        if h.text.lower() in CONTROL_NOUNS
        and any(
            h.cat != m.cat
            and (0 <= h.start - m.end <= 1 or (m.start - h.end == 1 and sent.words[h.end] == "on"))
            for m in sent.hits
            if m.cat in (lx.MINERAL, lx.GROUP)
        )
    ]


def _at_a_site(sent: Sentence, cue: Hit) -> bool:
    """A mine or plant word between the last country or actor and the verb ("Peru copper
    mine blockade halts shipments"), or no country or actor before the verb in a sentence
    about a mine or plant: a disruption, not a government export ban."""
    before = [h.end for h in sent.hits if h.cat in _ACTORS and h.end <= cue.start]
    if not before:  # no government named before the verb: "protesters blocked ... the mine"
        return sent.has(lx.PRODUCTION)
    return any(max(before) <= h.start < cue.start for h in sent.get(lx.PRODUCTION))


def _hypothetical(doc: Doc) -> bool:
    """The measure eased up front was only ever a possibility ("a provision that would have
    banned exports")."""
    return any(modal(s, h) for s in doc.sentences[:2] for h in s.get(lx.RESTRICT))


def _removes(sent: Sentence) -> list[Hit]:
    """ "drop the export ban", "scraps export duties": a removal verb right before a measure
    (not "exports drop 20%", nor "lifts the duty to 25%")."""
    return [
        r
        for r in sent.get(lx.REMOVE)
        if not raised_to(sent, r)
        and any(
            0 <= h.start - r.end <= REMOVE_REACH and h.cat in (lx.INSTR, lx.RESTRICT)
            for h in sent.hits
        )
    ]


def _eased_in_part(sent: Sentence, doc: Doc) -> str | None:
    """Easing that leaves the regime in place: licences granted under it ("general licences
    replacing shipment-by-shipment approvals"), or a lifting promised in a trade deal ("Xi and
    Trump agree ...; China will suspend the controls") rather than enacted by the producer."""
    if instr(sent, "licence"):
        return "licences eased under controls that stay in place"
    title = doc.title
    lead = doc.sentences[1:2]
    agreed = title.has(lx.OUTCOME) or any(live(s, s.get(lx.OUTCOME)) for s in lead)
    if agreed and (_states(title, doc) >= 2 or _talks_up_front(doc)):
        return "lifting of export controls promised in a trade deal, not yet enacted"
    return None


def _states(sent: Sentence, doc: Doc) -> int:
    countries = {h.key for h in sent.get(lx.COUNTRY)}
    countries |= {c for h in sent.get(lx.ACTOR) if (c := doc.actor_countries.get(h.key))}
    return len(countries)


def _talks_up_front(doc: Doc) -> bool:
    return any(instr(s, "trade_talks") for s in doc.sentences[:2])


def _bare(sent: Sentence) -> bool:
    """A sentence that names no mineral and no measure of its own."""
    return not (sent.has(lx.MINERAL) or sent.has(lx.GROUP) or sent.has(lx.INSTR))


def _technology(sent: Sentence) -> bool:
    """Technology is what is controlled ("ban on processing technology"), not an add-on
    ("five elements and technologies")."""
    return any(
        h.start == 0 or sent.words[h.start - 1] not in ADD_ON for h in sent.get(lx.TECHNOLOGY)
    )
