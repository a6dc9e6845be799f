"""The Slack message for one alert: Block Kit built with ``slack_sdk.models.blocks``. Pure.

Every Slack limit is respected by clipping with an ellipsis, never by failing: header ≤150,
section text ≤3000, ≤10 fields of ≤2000, ≤50 blocks. Lengths are counted in UTF-16 code units
(an emoji outside the BMP counts 2), which is never less than Python's ``len``, so a message
that passes here passes Slack's count and slack_sdk's validators. Text from the news (titles,
evidence, source names) is escaped (``&``, ``<``, ``>``), so a headline cannot ping
``<!channel>`` or forge a link.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

from shared.models import Alert, Direction, Level

HEADER_MAX = 150
SECTION_TEXT_MAX = 3000
FIELD_MAX = 2000
FIELDS_MAX = 10
BLOCKS_MAX = 50
CONTEXT_TEXT_MAX = 2000
FALLBACK_TEXT_MAX = 3000
LINK_URL_MAX = 2000
EVIDENCE_SHOWN = 5
ELLIPSIS = "…"

LEVEL_EMOJI = {
    Level.CRITICAL: ":rotating_light:",
    Level.HIGH: ":red_circle:",
    Level.MEDIUM: ":large_orange_circle:",
    Level.LOW: ":large_yellow_circle:",
    Level.NONE: ":white_circle:",
}
DIRECTION_TEXT = {
    Direction.TIGHTENING: ":arrow_up: tightening (supply risk up)",
    Direction.EASING: ":arrow_down: easing (supply risk down)",
    Direction.NEUTRAL: ":left_right_arrow: neutral",
}


def units(text: str) -> int:
    """Length in UTF-16 code units."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def clip(text: str, limit: int) -> str:
    """``text`` if it fits in ``limit`` units, else its start plus an ellipsis."""
    if len(text) <= limit // 2 or units(text) <= limit:
        return text
    out: list[str] = []
    used = 0
    for ch in text[:limit]:
        size = 2 if ord(ch) > 0xFFFF else 1
        if used + size > limit - 1:
            break
        out.append(ch)
        used += size
    return "".join(out).rstrip() + ELLIPSIS


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def clip_mrkdwn(escaped: str, limit: int) -> str:
    """Clip already-escaped mrkdwn without leaving half an entity (``&am…``) behind."""
    clipped = clip(escaped, limit)
    if clipped == escaped:
        return clipped
    body = clipped[: -len(ELLIPSIS)]
    amp = body.rfind("&", max(0, len(body) - 5))
    if amp != -1 and ";" not in body[amp:]:
        body = body[:amp]
    return body + ELLIPSIS


def words(tokens: Iterable[str]) -> str:
    """``("rare_earths", "export_control")`` → ``"rare earths, export control"``."""
    return ", ".join(t.replace("_", " ") for t in tokens)


def _link_url(url: str | None) -> str | None:
    if not url or not url.startswith(("https://", "http://")) or len(url) > LINK_URL_MAX:
        return None
    return escape(url).replace("|", "%7C")


def _slack_date(when: datetime) -> str:
    """Shown in each reader's own time zone; the fallback is UTC."""
    when = when.astimezone(UTC)
    fallback = when.strftime("%Y-%m-%d %H:%M UTC")
    return f"<!date^{int(when.timestamp())}^{{date_short_pretty}} {{time}}|{fallback}>"


def header_text(alert: Alert) -> str:
    what = words(alert.minerals) or "critical minerals"
    verb = "escalated to " if alert.type == "alert.escalated" else ""
    replay = "[REPLAY] " if alert.replay else ""
    head = f"{replay}{LEVEL_EMOJI[alert.level]} {verb}{alert.level.upper()} · {what}"
    return clip(head, HEADER_MAX)


def title_text(alert: Alert) -> str:
    link = _link_url(alert.url)
    if link is None:
        return "*" + clip_mrkdwn(escape(alert.title), SECTION_TEXT_MAX - 2) + "*"
    budget = SECTION_TEXT_MAX - len(link) - 5  # "*<" + link + "|" + title + ">*"
    return f"*<{link}|{clip_mrkdwn(escape(alert.title), budget)}>*"


def field_texts(alert: Alert) -> list[str]:
    story = alert.story
    sources = f"{story.sources_count} independent source{'s' if story.sources_count != 1 else ''}"
    official = "an official source confirms" if story.official else "no official confirmation yet"
    fields = [
        ("Direction", DIRECTION_TEXT[alert.direction]),
        ("Countries", escape(words(alert.countries)) or "—"),
        ("Instruments", escape(words(alert.instruments)) or "—"),
        ("Score", f"{alert.score} / 100"),
        ("Story", f"{sources} · {official}"),
    ]
    return [clip_mrkdwn(f"*{name}*\n{value}", FIELD_MAX) for name, value in fields][:FIELDS_MAX]


def evidence_text(alert: Alert) -> str | None:
    if not alert.evidence:
        return None
    lines = ["*Why*"]
    for ev in alert.evidence[:EVIDENCE_SHOWN]:
        quoted = escape(" ".join(ev.text.split()))
        lines.append(f">“{quoted}” — _{escape(' '.join(ev.reason.split()))}_")
    if len(alert.evidence) > EVIDENCE_SHOWN:
        lines.append(f"…and {len(alert.evidence) - EVIDENCE_SHOWN} more")
    return clip_mrkdwn("\n".join(lines), SECTION_TEXT_MAX)


def context_text(alert: Alert) -> str:
    if alert.published_at is not None:
        when = f"published {_slack_date(alert.published_at)}"
    else:
        when = f"seen {_slack_date(alert.seen_at)}"
    items = len(alert.story.item_ids)
    parts = [
        escape(alert.source),
        when,
        f"story {escape(alert.story.id)} ({items} item{'s' if items != 1 else ''})",
    ]
    return clip_mrkdwn(" · ".join(parts), CONTEXT_TEXT_MAX)


def fallback_text(alert: Alert) -> str:
    """Top-level ``text``: what mobile notifications and screen readers show."""
    replay = "[REPLAY] " if alert.replay else ""
    what = clip(words(alert.minerals) or "critical minerals", 200)
    head = escape(f"{replay}{alert.level.upper()} {alert.direction} · {what}: ")
    link = _link_url(alert.url)
    tail = f" {link}" if link else ""
    budget = FALLBACK_TEXT_MAX - units(head) - units(tail)
    return head + clip_mrkdwn(escape(alert.title), budget) + tail


def build_blocks(alert: Alert) -> list[Block]:
    blocks: list[Block] = [
        HeaderBlock(text=PlainTextObject(text=header_text(alert), emoji=True)),
        SectionBlock(text=MarkdownTextObject(text=title_text(alert))),
        SectionBlock(fields=[MarkdownTextObject(text=f) for f in field_texts(alert)]),
    ]
    evidence = evidence_text(alert)
    if evidence is not None:
        blocks.append(SectionBlock(text=MarkdownTextObject(text=evidence)))
    blocks.append(ContextBlock(elements=[MarkdownTextObject(text=context_text(alert))]))
    return blocks[:BLOCKS_MAX]


def build_message(alert: Alert) -> dict[str, Any]:
    """The JSON body for an incoming webhook. ``to_dict`` runs slack_sdk's validators."""
    return {
        "text": fallback_text(alert),
        "blocks": [block.to_dict() for block in build_blocks(alert)],
    }
