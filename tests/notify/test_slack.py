"""The Slack destination against a real local HTTP server standing in for Slack.

The stand-in rebuilds every posted message with ``slack_sdk`` and validates it, answers 429
with ``Retry-After: 1`` when two messages for one webhook arrive within a second, and answers
Slack's error strings on demand.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from pydantic import ValidationError
from slack_sdk.models.blocks import Block, HeaderBlock, SectionBlock

from services.notify.destinations.slack import (
    PACER,
    Pacer,
    SlackDestination,
    SlackDestinationConfig,
    classify_slack_error,
    redact_url,
)
from services.notify.slack_blocks import (
    BLOCKS_MAX,
    FIELD_MAX,
    FIELDS_MAX,
    HEADER_MAX,
    SECTION_TEXT_MAX,
    build_message,
    units,
)
from shared.errors import DeliveryError
from shared.models import Alert, Direction, Evidence, ItemRef, Level, StoryRef

# Arrival times jitter by a few ms (connection set-up, a busy loop); real Slack allows short
# bursts, so the stand-in forgives a gap this much shorter than a second.
JITTER_S = 0.1


def make_alert(**overrides: Any) -> Alert:
    """An alert written in our own words."""
    fields: dict[str, Any] = {
        "id": "alert-1",
        "type": "alert.created",
        "destination": "metals-desk",
        "level": Level.CRITICAL,
        "score": 92,
        "direction": Direction.TIGHTENING,
        "minerals": ("dysprosium", "terbium"),
        "countries": ("china",),
        "instruments": ("export_control",),
        "title": "Licences now required for every heavy rare earth shipment",
        "url": "https://example.org/policy/heavy-rare-earth-licences?lang=en&v=2",
        "source": "fedreg",
        "published_at": datetime(2026, 3, 2, 8, 0, tzinfo=UTC),
        "evidence": (
            Evidence(text="licences now required", reason="export control on named minerals"),
            Evidence(text="every shipment", reason="takes effect at once"),
        ),
        "item": ItemRef(id="item-1", title="Licences now required", source="fedreg"),
        "story": StoryRef(
            id="story-1",
            item_ids=("item-1", "item-2", "item-3"),
            sources_count=3,
            official=True,
            level=Level.CRITICAL,
        ),
        "classifier_version": "test",
        "seen_at": datetime(2026, 3, 2, 8, 0, 2, tzinfo=UTC),
        "created_at": datetime(2026, 3, 2, 8, 0, 5, tzinfo=UTC),
        "trace_id": "trace-1",
    }
    fields.update(overrides)
    return Alert(**fields)


def absurd_alert() -> Alert:
    huge = "Rare & <earth> \U0001f525 " * 5000
    return make_alert(
        title=huge,
        url="https://example.org/" + "a" * 5000,
        source="s" * 10_000,
        minerals=tuple(f"mineral_{i}" for i in range(500)),
        countries=tuple(f"country-{i} & <co>" for i in range(1000)),
        instruments=tuple("x" * 300 for _ in range(100)),
        evidence=tuple(Evidence(text=huge[:10_000], reason="r" * 5000) for _ in range(1000)),
        story=StoryRef(
            id="st" * 5000, item_ids=("i",) * 5000, sources_count=5000, official=False,
            level=Level.HIGH,
        ),
    )  # fmt: skip


def check_limits(message: dict[str, Any]) -> list[Block]:
    """What Slack checks: rebuild with slack_sdk, validate, plus the limits it does not check."""
    assert isinstance(message["text"], str) and message["text"]
    assert units(message["text"]) <= 40_000
    blocks = Block.parse_all(message["blocks"])
    assert 0 < len(blocks) <= BLOCKS_MAX
    for block in blocks:
        block.validate_json()
        if isinstance(block, HeaderBlock):
            assert block.text is not None and units(block.text.text) <= HEADER_MAX
        if isinstance(block, SectionBlock):
            if block.text is not None:
                assert units(block.text.text) <= SECTION_TEXT_MAX
            for f in block.fields or []:
                assert units(f.text) <= FIELD_MAX
            assert len(block.fields or []) <= FIELDS_MAX
    return blocks


# --- the message -------------------------------------------------------------------------


def test_message_carries_what_the_desk_needs() -> None:
    message = build_message(make_alert())
    check_limits(message)
    header, title, facts, why, context = message["blocks"]
    assert header["text"]["text"] == ":rotating_light: CRITICAL · dysprosium, terbium"
    assert title["text"]["text"] == (
        "*<https://example.org/policy/heavy-rare-earth-licences?lang=en&amp;v=2|"
        "Licences now required for every heavy rare earth shipment>*"
    )
    fields = [f["text"] for f in facts["fields"]]
    assert fields == [
        "*Direction*\n:arrow_up: tightening (supply risk up)",
        "*Countries*\nchina",
        "*Instruments*\nexport control",
        "*Score*\n92 / 100",
        "*Story*\n3 independent sources · an official source confirms",
    ]
    assert why["text"]["text"].splitlines()[1] == (
        ">“licences now required” — _export control on named minerals_"
    )
    line = context["elements"][0]["text"]
    assert line.startswith("fedreg · published <!date^1772438400^")
    assert "|2026-03-02 08:00 UTC>" in line and "story story-1 (3 items)" in line
    assert message["text"].startswith("CRITICAL tightening · dysprosium, terbium: Licences now")
    assert message["text"].endswith("?lang=en&amp;v=2")


def test_replays_and_escalations_say_so() -> None:
    header = build_message(make_alert(replay=True, type="alert.escalated"))["blocks"][0]
    assert header["text"]["text"].startswith("[REPLAY] :rotating_light: escalated to CRITICAL")
    assert build_message(make_alert(replay=True))["text"].startswith("[REPLAY] ")


def test_news_text_cannot_ping_the_channel_or_forge_links() -> None:
    message = build_message(make_alert(title="<!channel> see <https://evil.example|here> & more"))
    title = message["blocks"][1]["text"]["text"]
    assert "<!channel>" not in title and "&lt;!channel&gt;" in title
    assert "<https://evil" not in message["text"]


def test_only_http_links_are_linked() -> None:
    title = build_message(make_alert(url="javascript:alert(1)"))["blocks"][1]["text"]["text"]
    assert title == "*Licences now required for every heavy rare earth shipment*"
    assert build_message(make_alert(url=None))["blocks"][1]["text"]["text"] == title


def test_absurd_inputs_are_clipped_never_rejected() -> None:
    message = build_message(absurd_alert())
    blocks = check_limits(message)
    assert len(blocks) == 5
    assert message["blocks"][0]["text"]["text"].endswith("…")
    assert message["blocks"][1]["text"]["text"].endswith("…*")  # no link: the URL is too long
    assert all(f["text"].endswith("…") for f in message["blocks"][2]["fields"][1:3])


def test_clipping_never_leaves_half_an_entity() -> None:
    title = build_message(make_alert(title="&" * 5000, url=None))["blocks"][1]["text"]["text"]
    assert title.endswith("&amp;…*")


@pytest.mark.parametrize("level", list(Level))
def test_every_level_renders(level: Level) -> None:
    check_limits(build_message(make_alert(level=level, evidence=(), minerals=())))


# --- pure pieces ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "body", "expected"),
    [
        (500, "rollup_error", (True, False)),
        (503, "", (True, False)),
        (502, "<html>bad gateway</html>", (True, False)),
        (429, "", (True, False)),
        (400, "invalid_payload", (False, False)),
        (400, "invalid_blocks", (False, False)),
        (400, "no_text", (False, False)),
        (403, "invalid_token", (False, True)),
        (404, "no_service", (False, True)),
        (404, "no_service_id", (False, True)),
        (404, "no_active_hooks", (False, True)),
        (403, "team_disabled", (False, True)),
        (404, "channel_not_found", (False, True)),
        (410, "channel_is_archived", (False, True)),
        (403, "action_prohibited", (False, True)),
        (403, "posting_to_general_channel_denied", (False, True)),
        (404, "", (False, False)),
        (410, "", (False, True)),
        (200, "something else", (False, False)),
    ],
)
def test_classify_slack_error(status: int, body: str, expected: tuple[bool, bool]) -> None:
    assert classify_slack_error(status, body) == expected


def test_redact_url() -> None:
    assert (
        redact_url("https://hooks.slack.com/services/T0/B0/abc") == "hooks.slack.com/services/***"
    )
    assert redact_url("http://127.0.0.1:8080/hook/abc") == "127.0.0.1:8080/***"


def test_pacer_spaces_sends_per_key_with_injected_time() -> None:
    now = [100.0]
    pacer = Pacer(1.0, clock=lambda: now[0])
    assert [pacer.reserve("a") for _ in range(3)] == [0.0, 1.0, 2.0]
    assert pacer.reserve("b") == 0.0
    now[0] = 105.0
    assert pacer.reserve("a") == 0.0
    pacer.hold("a", 30.0)
    assert pacer.reserve("a") == 30.0


async def test_pacer_sleeps_for_the_reserved_slot() -> None:
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    pacer = Pacer(1.0, clock=lambda: 0.0, sleep=sleep)
    for _ in range(3):
        await pacer.wait("k")
    assert slept == [1.0, 2.0]


def test_config_keeps_the_url_secret_and_concurrency_at_one() -> None:
    url = f"https://hooks.slack.com/services/T0/B0/{uuid4().hex}"
    config = SlackDestinationConfig.model_validate({"id": "desk", "kind": "slack", "url": url})
    assert config.concurrency == 1
    assert url not in repr(config) and url not in config.model_dump_json()
    with pytest.raises(ValidationError) as info:
        SlackDestinationConfig.model_validate(
            {"id": "desk", "kind": "slack", "url": url, "concurrency": 4}
        )
    assert "one message per second" in str(info.value)
    bad = "hooks.slack.com/services/T0/B0/" + uuid4().hex
    with pytest.raises(ValidationError) as info:
        SlackDestinationConfig.model_validate({"id": "desk", "kind": "slack", "url": bad})
    assert info.value.errors()[0]["loc"] == ("url",)
    assert bad[-32:] not in str(info.value)


# --- against a stand-in Slack ---------------------------------------------------------------


@dataclass
class FakeSlack:
    """Records valid messages; ``script`` holds answers to give instead of ``200 ok``."""

    received: list[dict[str, Any]] = field(default_factory=list)
    arrivals: dict[str, float] = field(default_factory=dict)
    script: list[tuple[int, str, dict[str, str]]] = field(default_factory=list)
    hang_s: float = 0.0

    async def handle(self, request: web.Request) -> web.StreamResponse:
        if self.hang_s:
            await asyncio.sleep(self.hang_s)
        now = time.monotonic()
        last = self.arrivals.get(request.path)
        self.arrivals[request.path] = now
        if last is not None and now - last < 1.0 - JITTER_S:
            return web.Response(status=429, text="rate_limited", headers={"Retry-After": "1"})
        try:
            check_limits(await request.json())
        except Exception:
            return web.Response(status=400, text="invalid_blocks")
        if self.script:
            status, body, headers = self.script.pop(0)
            return web.Response(status=status, text=body, headers=headers)
        self.received.append(await request.json())
        return web.Response(text="ok")


@pytest.fixture
async def slack() -> AsyncIterator[tuple[FakeSlack, TestServer]]:
    fake = FakeSlack()
    app = web.Application()
    app.router.add_post("/services/{team}/{bot}/{token}", fake.handle)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    yield fake, server
    await server.close()


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as s:
        yield s


def hook_url(server: TestServer) -> str:
    return str(server.make_url(f"/services/T0000/B0000/{uuid4().hex}"))


def destination(
    url: str, session: aiohttp.ClientSession, pacer: Pacer | None = None, **extra: Any
) -> SlackDestination:
    config = SlackDestinationConfig.model_validate(
        {"id": "metals-desk", "kind": "slack", "url": url, **extra}
    )
    return SlackDestination(config, session, pacer=pacer)


def assert_secret_free(exc: DeliveryError, url: str) -> None:
    token = url.rsplit("/", 1)[1]
    for text in (str(exc), repr(exc), *map(str, exc.args)):
        assert token not in text and url not in text
    assert "/services/***" in str(exc)
    assert exc.__cause__ is None  # no chained aiohttp error that could carry the URL
    assert exc.__context__ is None or exc.__suppress_context__


async def test_delivers_a_valid_message(
    slack: tuple[FakeSlack, TestServer], session: aiohttp.ClientSession
) -> None:
    fake, server = slack
    result = await destination(hook_url(server), session).send(make_alert())
    assert result.status == 200
    [message] = fake.received
    assert message["text"].startswith("CRITICAL tightening")


async def test_absurd_alert_is_accepted_by_the_stand_in(
    slack: tuple[FakeSlack, TestServer], session: aiohttp.ClientSession
) -> None:
    fake, server = slack
    assert (await destination(hook_url(server), session).send(absurd_alert())).status == 200
    assert len(fake.received) == 1


async def test_sends_to_one_webhook_are_paced_process_wide(
    slack: tuple[FakeSlack, TestServer], session: aiohttp.ClientSession
) -> None:
    """Two destinations sharing one URL (default, process-wide pacer): no 429."""
    fake, server = slack
    url = hook_url(server)
    first, second = destination(url, session), destination(url, session)
    assert first._pacer is PACER
    await asyncio.gather(first.send(make_alert()), second.send(make_alert(id="alert-2")))
    assert len(fake.received) == 2


async def test_429_maps_to_retryable_with_retry_after_and_holds_the_pacer(
    slack: tuple[FakeSlack, TestServer], session: aiohttp.ClientSession
) -> None:
    _, server = slack
    url = hook_url(server)
    pacer = Pacer(interval_s=0.0)  # no pacing: the stand-in's limit trips
    dest = destination(url, session, pacer=pacer)
    await dest.send(make_alert())
    with pytest.raises(DeliveryError) as info:
        await dest.send(make_alert())
    err = info.value
    assert (err.retryable, err.status, err.retry_after_s, err.disable) == (True, 429, 1.0, False)
    assert_secret_free(err, url)
    assert pacer.reserve(dest._key) > 0.5


@pytest.mark.parametrize(
    ("status", "body", "retryable", "disable"),
    [
        (400, "invalid_payload", False, False),
        (404, "no_service", False, True),
        (410, "channel_is_archived", False, True),
        (403, "action_prohibited", False, True),
        (403, "invalid_token", False, True),
        (500, "rollup_error", True, False),
        (503, "<html>upstream {url} failed</html>", True, False),
        (200, "not ok", False, False),
        (302, "", False, False),
    ],
)
async def test_slack_answers_map_to_delivery_errors(
    slack: tuple[FakeSlack, TestServer],
    session: aiohttp.ClientSession,
    caplog: pytest.LogCaptureFixture,
    status: int,
    body: str,
    retryable: bool,
    disable: bool,
) -> None:
    fake, server = slack
    url = hook_url(server)
    headers = {"Location": url} if status == 302 else {}
    fake.script.append((status, body.format(url=url), headers))
    caplog.set_level(logging.DEBUG)
    with pytest.raises(DeliveryError) as info:
        await destination(url, session).send(make_alert())
    err = info.value
    assert (err.retryable, err.disable, err.status) == (retryable, disable, status)
    assert_secret_free(err, url)
    if body.isidentifier():  # a Slack error string is named; anything else is never echoed
        assert f"answered {status} {body}:" in str(err)
    elif body:
        assert "unexpected answer" in str(err) and body.format(url=url) not in str(err)
    ours = [r for r in caplog.records if not r.name.startswith("aiohttp.access")]  # stand-in's
    assert all(url.rsplit("/", 1)[1] not in r.getMessage() for r in ours)


async def test_a_hanging_slack_times_out_retryably(
    slack: tuple[FakeSlack, TestServer], session: aiohttp.ClientSession
) -> None:
    fake, server = slack
    fake.hang_s = 5.0
    url = hook_url(server)
    with pytest.raises(DeliveryError) as info:
        await destination(url, session, timeout_s=0.2).send(make_alert())
    assert info.value.retryable and "did not answer within 0.2s" in str(info.value)
    assert_secret_free(info.value, url)


async def test_an_unreachable_slack_is_retryable(session: aiohttp.ClientSession) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}/services/T0000/B0000/{uuid4().hex}"
    with pytest.raises(DeliveryError) as info:
        await destination(url, session).send(make_alert())
    assert info.value.retryable and "ClientConnectorError" in str(info.value)
    assert_secret_free(info.value, url)


def test_repr_hides_the_url() -> None:
    url = f"https://hooks.slack.com/services/T0/B0/{uuid4().hex}"
    session: Callable[[], None] = lambda: None  # noqa: E731 - never used for I/O here
    dest = destination(url, session)  # type: ignore[arg-type]
    assert repr(dest) == "SlackDestination(id='metals-desk', url='hooks.slack.com/services/***')"
