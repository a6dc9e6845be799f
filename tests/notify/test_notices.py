"""Ops notices and digests as each destination kind renders them: signed webhook payloads
(verified with ``standardwebhooks`` against a real local receiver), Slack messages that
pass slack_sdk's validators and limits, console lines and file lines."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
import orjson
import pytest
from standardwebhooks import Webhook

from services.notify.destinations.console import ConsoleDestination, ConsoleDestinationConfig
from services.notify.destinations.file import FileDestination, FileDestinationConfig
from services.notify.destinations.webhook import WebhookDestination, WebhookDestinationConfig
from services.notify.notices import Digest, decode_outgoing, digests, ops_notice
from services.notify.pipeline import build_alert
from services.notify.slack_blocks import BLOCKS_MAX, SECTION_TEXT_MAX, units
from services.notify.slack_notices import slack_message
from shared import codec
from shared.models import Level, OpsEvent
from tests.helpers import Receiver, new_secret, sample_event

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def source_down() -> OpsEvent:
    return OpsEvent(
        kind="source.down",
        subject="fedreg",
        message="source fedreg failed 3 times in a row: 503",
        at=NOW,
        trace_id="t-ops",
    )


def a_digest(n: int = 3) -> Digest:
    alerts = [
        build_alert(sample_event(f"i{k}", level=Level.LOW, title=f"Small <news> item {k}"),
                    "risk", "alert.created", NOW - timedelta(minutes=n - k))
        for k in range(n)
    ]  # fmt: skip
    (d,) = digests(alerts, "risk", period=7, until=NOW, now=NOW, per_message=1000)
    return d


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as s:
        yield s


async def test_webhook_ops_notice_is_signed_with_the_documented_shape(
    session: aiohttp.ClientSession,
) -> None:
    receiver = Receiver()
    url = await receiver.start()
    secret = new_secret()
    config = WebhookDestinationConfig.model_validate(
        {"id": "ops-hook", "kind": "webhook", "url": url, "secret": secret}
    )
    notice = ops_notice(source_down(), "ops-hook", NOW)
    await WebhookDestination(config, session).send_notice(notice)
    await receiver.close()
    (req,) = receiver.requests
    body = Webhook(secret).verify(req.body, req.headers)
    assert req.headers["webhook-id"] == notice.id == body["data"]["id"]
    assert body == {
        "type": "ops.source.down",
        "timestamp": "2026-03-02T12:00:00+00:00",
        "data": {
            "id": notice.id,
            "kind": "source.down",
            "subject": "fedreg",
            "message": "source fedreg failed 3 times in a row: 503",
            "at": "2026-03-02T12:00:00Z",
        },
    }


async def test_webhook_digest_carries_every_alert(session: aiohttp.ClientSession) -> None:
    receiver = Receiver()
    url = await receiver.start()
    secret = new_secret()
    config = WebhookDestinationConfig.model_validate(
        {"id": "risk", "kind": "webhook", "url": url, "secret": secret}
    )
    digest = a_digest(3)
    await WebhookDestination(config, session).send_notice(digest)
    await receiver.close()
    body = Webhook(secret).verify(receiver.requests[0].body, receiver.requests[0].headers)
    assert body["type"] == "alert.digest"
    assert body["data"]["count"] == 3
    assert [a["item"]["id"] for a in body["data"]["alerts"]] == ["i0", "i1", "i2"]
    assert {a["type"] for a in body["data"]["alerts"]} == {"alert.created"}
    assert body["data"]["since"] < body["data"]["until"]


def test_ops_notice_ids_are_stable_per_event_and_destination() -> None:
    event = source_down()
    assert ops_notice(event, "a", NOW).id == ops_notice(event, "a", NOW + timedelta(1)).id
    assert ops_notice(event, "a", NOW).id != ops_notice(event, "b", NOW).id


def test_digests_split_into_messages_of_bounded_size() -> None:
    alerts = list(a_digest(5).alerts)
    parts = digests(alerts, "risk", period=1, until=NOW, now=NOW, per_message=2)
    assert [len(p.alerts) for p in parts] == [2, 2, 1]
    assert len({p.id for p in parts}) == 3


def test_outbox_entries_decode_to_their_own_type() -> None:
    digest, notice = a_digest(1), ops_notice(source_down(), "x", NOW)
    alert = digest.alerts[0]
    for msg in (alert, digest, notice):
        fields = {k.encode(): v if isinstance(v, bytes) else v.encode()
                  for k, v in codec.to_fields(msg).items()}  # fmt: skip
        assert decode_outgoing(fields) == msg
    with pytest.raises(ValueError, match="unknown outbox entry type"):
        decode_outgoing({b"type": b"Nope", b"data": b"{}"})


def test_slack_messages_for_notices_pass_validation_and_limits() -> None:
    ops = slack_message(ops_notice(source_down(), "desk", NOW))
    assert "fedreg" in ops["text"] and ops["blocks"][0]["type"] == "header"
    big = slack_message(a_digest(120))
    assert len(big["blocks"]) <= BLOCKS_MAX
    sections = [b["text"]["text"] for b in big["blocks"] if b["type"] == "section"]
    assert all(units(t) <= SECTION_TEXT_MAX for t in sections)
    assert "&lt;news&gt;" in sections[0] and "<news>" not in sections[0]  # escaped
    assert "and 80 more" in big["blocks"][-1]["elements"][0]["text"]


async def test_console_and_file_render_notices(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    console = ConsoleDestination(ConsoleDestinationConfig(id="c", kind="console"), None)  # type: ignore[arg-type]
    assert console.receives_ops
    await console.send_notice(ops_notice(source_down(), "c", NOW))
    await console.send_notice(a_digest(2))
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "OPS source.down fedreg: source fedreg failed 3 times in a row: 503"
    assert lines[1].startswith("DIGEST 2 alert(s) for risk")
    assert "Small <news> item 0" in lines[2] and "Small <news> item 1" in lines[3]

    out = tmp_path / "audit.jsonl"
    file_dest = FileDestination(
        FileDestinationConfig(id="f", kind="file", path=out),
        None,  # type: ignore[arg-type]
    )
    assert not file_dest.receives_ops
    await file_dest.send_notice(ops_notice(source_down(), "f", NOW))
    assert orjson.loads(out.read_text())["type"] == "ops.source.down"
