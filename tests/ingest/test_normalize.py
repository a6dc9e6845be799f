"""Pure normalisation: no network, time passed in."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from services.ingest.normalize import (
    UNTITLED,
    build_item,
    canonical_url,
    clean_text,
    clean_tokenised_title,
    host_of,
    item_id,
    language_tag,
    to_utc,
)

NOW = datetime(2026, 9, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("HTTP://WWW.Example.ORG:80/a/./b/../c?id=3#section", "http://www.example.org/a/c?id=3"),
        ("https://example.org:443/x", "https://example.org/x"),
        (
            "https://example.org/x?utm_source=a&UTM_Campaign=b&id=1&fbclid=f&gclid=g&mc_cid=m",
            "https://example.org/x?id=1",
        ),
        ("https://example.org", "https://example.org/"),
        ("  https://example.org/p?q=two words  ", "https://example.org/p?q=two%20words"),
        ("mailto:desk@example.org", None),
        ("tag:example.org,2026:1", None),
        ("/relative/only", None),
        ("http://[not-an-ip/", None),
        ("", None),
        (None, None),
    ],
)
def test_canonical_url(raw: str | None, canonical: str | None) -> None:
    assert canonical_url(raw) == canonical


def test_tracking_variants_of_one_article_share_a_canonical_url() -> None:
    urls = [
        "https://www.example.org/story?id=9",
        "https://WWW.example.org/story?id=9&utm_medium=email#comments",
        "https://www.example.org:443/story?fbclid=abc&id=9",
    ]
    assert len({canonical_url(u) for u in urls}) == 1


def test_clean_text_strips_markup_entities_and_folds_whitespace() -> None:
    html = (
        "<p>Quota&nbsp;cut\u200b for <b>gallium</b>&#8201;&amp; germanium</p>"
        "<script>x()</script><br>next"
    )
    assert clean_text(html) == "Quota cut for gallium & germanium next"
    assert clean_text("a < b and c > d") == "a < b and c > d"
    assert clean_text(None) == ""


def test_clean_text_cuts_long_text_on_a_word() -> None:
    text = clean_text("word " * 100, max_chars=20)
    assert len(text) <= 20 and text.endswith("…") and "wor…" not in text


def test_tokeniser_spacing_is_undone() -> None:
    assert (
        clean_tokenised_title(" Prices rise , again ; buyers  wait ")
        == "Prices rise, again; buyers wait"
    )


def test_ids_are_stable_short_and_depend_on_source_and_key() -> None:
    assert item_id("a", "k") == item_id("a", "k")
    assert len({item_id("a", "k"), item_id("b", "k"), item_id("a", "j")}) == 3
    assert len(item_id("a", "k")) == 20


def test_times_become_utc() -> None:
    plus2 = timezone(timedelta(hours=2))
    assert to_utc(datetime(2026, 9, 1, 14, 0, tzinfo=plus2)) == datetime(
        2026, 9, 1, 12, 0, tzinfo=UTC
    )
    assert to_utc(datetime(2026, 9, 1, 12, 0)) == datetime(2026, 9, 1, 12, 0, tzinfo=UTC)
    assert to_utc(date(2026, 9, 1)) == datetime(2026, 9, 1, tzinfo=UTC)


def test_hosts_and_language_tags() -> None:
    assert host_of("https://WWW.Example.org/x") == "example.org"
    assert host_of("not a url") is None
    assert language_tag("en_US") == "en-us"
    assert language_tag("English") is None


def build(**kw: object):
    base: dict[str, object] = dict(
        source_id="s",
        guid=None,
        title=None,
        summary=None,
        url=None,
        published=None,
        now=NOW,
        trace_id="t",
    )
    return build_item(**{**base, **kw})  # type: ignore[arg-type]


def test_item_falls_back_instead_of_dropping() -> None:
    assert build(summary="<p>Only a summary here</p>").title == "Only a summary here"
    assert build(url="https://example.org/a").title == "https://example.org/a"
    bare = build()
    assert bare.title == UNTITLED and bare.published_at == NOW and bare.published_is_fallback


def test_item_key_prefers_guid_then_canonical_url() -> None:
    assert (
        build(guid="g1", url="https://a.example/x").id
        == build(guid="g1", url="https://b.example/y").id
    )
    tracked = build(url="https://a.example/x?utm_source=z", title="One")
    assert tracked.id == build(url="https://a.example/x", title="Other").id
    assert tracked.publisher == "a.example"
    assert build(url="https://a.example/x", publisher="Named Outlet").publisher == "Named Outlet"
