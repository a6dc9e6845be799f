"""Operations notices and digests as Slack messages. Pure.

They keep the limits and escaping rules of :mod:`services.notify.slack_blocks`.
"""

from __future__ import annotations

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

from services.notify.notices import Digest, Notice, OpsNotice
from services.notify.slack_blocks import (
    CONTEXT_TEXT_MAX,
    FALLBACK_TEXT_MAX,
    HEADER_MAX,
    LINK_URL_MAX,
    SECTION_TEXT_MAX,
    clip,
    clip_mrkdwn,
    escape,
    words,
)
from shared.models import Alert

DIGEST_LINES_SHOWN = 40
LINES_PER_SECTION = 10
OPS_HEADLINE = {
    "source.down": (":warning:", "Source down"),
    "source.recovered": (":white_check_mark:", "Source recovered"),
    "destination.disabled": (":no_entry:", "Destination disabled"),
}


def _utc(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def _link(url: str | None, text: str) -> str:
    if not url or not url.startswith(("https://", "http://")) or len(url) > LINK_URL_MAX:
        return text
    return f"<{escape(url).replace('|', '%7C')}|{text}>"


def _ops_message(notice: OpsNotice) -> dict[str, Any]:
    e = notice.event
    emoji, headline = OPS_HEADLINE[e.kind]
    header = clip(f"{emoji} {headline} · {e.subject}", HEADER_MAX)
    blocks: list[Block] = [
        HeaderBlock(text=PlainTextObject(text=header, emoji=True)),
        SectionBlock(
            text=MarkdownTextObject(text=clip_mrkdwn(escape(e.message), SECTION_TEXT_MAX))
        ),
        ContextBlock(elements=[MarkdownTextObject(text=f"rarewatch operations · {_utc(e.at)}")]),
    ]
    text = clip(escape(f"rarewatch: {headline.lower()}: {e.subject}: {e.message}"), 3000)
    return {"text": text, "blocks": [b.to_dict() for b in blocks]}


def digest_line(alert: Alert) -> str:
    what = escape(words(alert.minerals) or "critical minerals")
    title = clip_mrkdwn(escape(alert.title), 300)
    return (
        f"• *{alert.level.upper()}* · {what} · {_link(alert.url, title)} ({escape(alert.source)})"
    )


def _digest_message(notice: Digest) -> dict[str, Any]:
    n = len(notice.alerts)
    levels = sorted({a.level.value for a in notice.alerts})
    header = clip(
        f":newspaper: Digest · {n} {'/'.join(levels)} alert{'s' if n != 1 else ''}", HEADER_MAX
    )
    blocks: list[Block] = [HeaderBlock(text=PlainTextObject(text=header, emoji=True))]
    lines = [digest_line(a) for a in notice.alerts[:DIGEST_LINES_SHOWN]]
    for start in range(0, len(lines), LINES_PER_SECTION):
        chunk = "\n".join(lines[start : start + LINES_PER_SECTION])
        blocks.append(
            SectionBlock(text=MarkdownTextObject(text=clip_mrkdwn(chunk, SECTION_TEXT_MAX)))
        )
    more = f" · …and {n - DIGEST_LINES_SHOWN} more" if n > DIGEST_LINES_SHOWN else ""
    context = f"{_utc(notice.since)} to {_utc(notice.until)}{more}"
    blocks.append(ContextBlock(elements=[MarkdownTextObject(text=clip(context, CONTEXT_TEXT_MAX))]))
    titles = "; ".join(a.title for a in notice.alerts[:10])
    text = clip(escape(f"rarewatch digest: {n} alert(s): {titles}"), FALLBACK_TEXT_MAX)
    return {"text": text, "blocks": [b.to_dict() for b in blocks]}


def slack_message(notice: Notice) -> dict[str, Any]:
    """The JSON body for an incoming webhook; ``to_dict`` runs slack_sdk's validators."""
    if isinstance(notice, OpsNotice):
        return _ops_message(notice)
    return _digest_message(notice)
