"""Policy rules: export controls and their lifting, tariffs, sanctions and bans.

Export controls are the rule that can reach critical: a ban, halt or licensing regime in
force now (an enacting verb, or "takes effect" anywhere in the item), stated in the headline
or first sentence, by a country that is a major producer of the mineral; or the lifting of
such controls. Mentions without an enacting verb, or behind "after"/"amid", are context.
"""

from __future__ import annotations

from services.classify import lexicon as lx
from services.classify.document import Doc
from services.classify.matching import Hit, Sentence
from services.classify.rules_base import (
    CRITICAL,
    HIGH,
    MEDIUM,
    MINERAL_CATS,
    E,
    Event,
    N,
    T,
    ev,
    in_scope,
    instr,
    is_background,
    live,
    nearest,
    toggles,
    words,
)

BAN_WORDS = ("ban", "prohibit", "embargo")
_ACTORS = (lx.COUNTRY, lx.ACTOR)
ADD_ON = frozenset({"and", "plus", "including", "also"})
TARIFF_REACH = 9  # words between a tariff and the mineral it is on


def export_control(sent: Sentence, doc: Doc) -> Event | None:
    controls = instr(sent, "export_control")
    t_restrict, t_ease = toggles(sent)
    restrict = sent.get(lx.RESTRICT) + t_restrict + instr(sent, "ban")
    exports = sent.get(lx.EXPORT)
    ease_hard = sent.get(lx.EASE_HARD) + t_ease
    ease_soft = sent.get(lx.EASE_SOFT)
    licensing = bool(sent.has(lx.REQUIRE) and instr(sent, "licence"))
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
        cue = acts[0] if acts else None
        enacted = bool(acts)
    what = "lifting of export controls" if easing else "export controls"
    if enacted and cue is not None and _at_a_site(sent, cue):
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
    if level == CRITICAL and sent.has(lx.EXTEND):
        level, reason = HIGH, f"extension of existing {what}"
    if level > MEDIUM and (_technology(sent) or _technology(doc.title)):
        level, reason = level - 1, f"{what} on processing technology, not on the material"
    if level > MEDIUM and (sent.has(lx.DATA_REPORT) or doc.title.has(lx.DATA_REPORT)):
        level, reason = MEDIUM, "trade figures reported, not a change of policy"
    event = ev("export_control", level, E if easing else T, sent, words(cue, object_), reason)
    if any(h.text.lower().startswith(BAN_WORDS) for h in restrict):
        event.also = ("ban",)
    return event


def _at_a_site(sent: Sentence, cue: Hit) -> bool:
    """A mine or plant word between the last country or actor and the verb ("Peru copper
    mine blockade halts shipments"), or no country or actor before the verb in a sentence
    about a mine or plant: a disruption, not a government export ban."""
    before = [h.end for h in sent.hits if h.cat in _ACTORS and h.end <= cue.start]
    if not before:  # no government named before the verb: "protesters blocked ... the mine"
        return sent.has(lx.PRODUCTION)
    return any(max(before) <= h.start < cue.start for h in sent.get(lx.PRODUCTION))


def _bare(sent: Sentence) -> bool:
    """A sentence that names no mineral and no measure of its own."""
    return not (sent.has(lx.MINERAL) or sent.has(lx.GROUP) or sent.has(lx.INSTR))


def _technology(sent: Sentence) -> bool:
    """Technology is what is controlled ("ban on processing technology"), not an add-on
    ("five elements and technologies")."""
    return any(
        h.start == 0 or sent.words[h.start - 1] not in ADD_ON for h in sent.get(lx.TECHNOLOGY)
    )


def tariff(sent: Sentence, doc: Doc) -> Event | None:
    hits = [h for h in instr(sent, "tariff") if nearest(sent, h, MINERAL_CATS, reach=TARIFF_REACH)]
    if not hits:
        return None  # a tariff on something else ("new US tariffs" on Chinese goods)
    easing = bool(sent.get(lx.EASE_HARD) or sent.get(lx.EASE_SOFT) or toggles(sent)[1])
    direction = E if easing else T
    first = hits[0]
    if instr(sent, "trade_talks") and not live(sent, sent.get(lx.ENACT)):
        return ev("tariff", MEDIUM, N, sent, first.text, "tariffs on the table in trade talks")
    acts = [a for a in sent.get(lx.ENACT) if a.end <= first.start and first.start - a.end <= 3]
    if is_background(sent, first.start) or any(is_background(sent, a.start) for a in acts):
        return ev("tariff", MEDIUM, direction, sent, first.text, "tariff mentioned as background")
    reason = "tariff relief on a mineral" if easing else "tariff or duty on a mineral"
    return ev("tariff", HIGH, direction, sent, first.text, reason)


def sanction_or_ban(sent: Sentence, doc: Doc) -> Event | None:
    if not in_scope(sent, doc):
        return None
    direction = E if sent.has(lx.EASE_HARD) or sent.has(lx.EASE_SOFT) else T
    sanctions = instr(sent, "sanction")
    if sanctions:
        reason = "sanctions eased" if direction is E else "sanctions touching a mineral"
        return ev("sanction", HIGH, direction, sent, sanctions[0].text, reason)
    bans = instr(sent, "ban")
    if bans and not sent.has(lx.EXPORT):
        if live(sent, sent.get(lx.ENACT)):
            return ev("ban", HIGH, direction, sent, bans[0].text, "a ban on trade in a mineral")
        return ev("ban", MEDIUM, direction, sent, bans[0].text, "a ban mentioned, not enacted here")
    return None
