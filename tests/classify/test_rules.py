"""Each family of rules on items written for these tests, the hard negatives, and the
modifiers (hedges, negations, commentary) compared with the same news stated plainly."""

from __future__ import annotations

import pytest

from services.classify.model import CLASSIFIER_VERSION, Classifier
from shared.models import Direction, Level

from .cases import ALL

CASES = [
    pytest.param(*case, id=f"{family}:{case[0][:50]}")
    for family, cases in ALL.items()
    for case in cases
]


@pytest.fixture(scope="module")
def classifier() -> Classifier:
    return Classifier.from_default()


@pytest.mark.parametrize(("title", "summary", "level", "direction"), CASES)
def test_rule_families(
    classifier: Classifier, title: str, summary: str, level: str, direction: str
) -> None:
    c = classifier.classify(title, summary)
    reasons = [e.reason for e in c.evidence]
    assert (c.level.value, c.direction.value) == (level, direction), reasons


def test_every_family_has_cases() -> None:
    assert all(len(cases) >= 3 for cases in ALL.values())
    levels = {case[2] for cases in ALL.values() for case in cases}
    assert levels == {"critical", "high", "medium", "low", "none"}


def test_output_names_minerals_countries_instruments_and_evidence(classifier: Classifier) -> None:
    c = classifier.classify(
        "China restricts exports of dysprosium and terbium",
        "The commerce ministry (MOFCOM) said the licensing rule takes effect immediately.",
    )
    assert c.level is Level.CRITICAL and c.direction is Direction.TIGHTENING
    assert c.minerals[:2] == ("dysprosium", "terbium")
    assert c.countries == ("china",)
    assert c.instruments[0] == "export_control"
    assert c.evidence and all(e.reason for e in c.evidence)
    assert any("restricts" in e.text and "export" in e.reason for e in c.evidence)
    assert c.classifier_version.startswith(CLASSIFIER_VERSION)
    assert 80 <= c.score <= 100


def test_scores_fall_in_the_band_of_their_level(classifier: Classifier) -> None:
    bands = {
        "none": (0, 9),
        "low": (10, 34),
        "medium": (35, 59),
        "high": (60, 79),
        "critical": (80, 100),
    }
    for cases in ALL.values():
        for title, summary, _, _ in cases:
            c = classifier.classify(title, summary)
            lo, hi = bands[c.level.value]
            assert lo <= c.score <= hi, (title, c.level, c.score)


def test_symbols_count_only_in_brackets(classifier: Classifier) -> None:
    bracketed = classifier.classify(
        "Export controls on Dy take effect", "Dysprosium (Dy) exports need a licence."
    )
    assert "dysprosium" in bracketed.minerals
    loose = classifier.classify("Li Qiang visits Ga. factory", "The premier met Co. executives.")
    assert loose.level is Level.NONE and loose.minerals == ()


PLAIN = (
    "China bans antimony exports",
    "Beijing halted antimony shipments on Monday, the ministry said.",
)
HEDGED = [
    (
        "China is considering a ban on antimony exports",
        "Officials are weighing curbs on antimony shipments.",
    ),
    ("China proposes a ban on antimony exports", "A proposed rule would stop antimony shipments."),
    (
        "China denies it will ban antimony exports",
        "The ministry denied reports of new antimony curbs.",
    ),
    (
        "Ban on antimony exports under review",
        "The ban on antimony shipments is under review, the ministry said.",
    ),
    ("Could China ban antimony exports?", "Traders fear Beijing could halt antimony shipments."),
]


@pytest.mark.parametrize(("title", "summary"), HEDGED)
def test_hedges_and_negations_lower_the_level(
    classifier: Classifier, title: str, summary: str
) -> None:
    plain = classifier.classify(*PLAIN)
    hedged = classifier.classify(title, summary)
    assert plain.level is Level.CRITICAL
    assert Level.NONE.rank < hedged.level.rank < plain.level.rank
    assert hedged.score < plain.score


def test_a_denial_also_neutralises_the_direction(classifier: Classifier) -> None:
    c = classifier.classify(
        "China denies it will ban antimony exports", "The ministry denied the reports."
    )
    assert c.direction is Direction.NEUTRAL
    assert any(e.reason.startswith("negation") for e in c.evidence)


EASING = [
    (
        "China lifts its ban on graphite exports",
        "The commerce ministry lifted the export ban on graphite.",
    ),
    ("China resumes gallium exports", "Exporters resumed gallium shipments this week."),
    (
        "China grants gallium export licences to European buyers",
        "Several buyers were granted licences.",
    ),
    (
        "US and China agree a tariff truce",
        "The truce cuts tariffs on each other's goods, rare earths included.",
    ),
    (
        "US lifts its tariff on cobalt imports",
        "The duty on cobalt imports was removed with immediate effect.",
    ),
    (
        "China suspends the export controls on rare earths",
        "The ministry suspended the controls for a year.",
    ),
]


@pytest.mark.parametrize(("title", "summary"), EASING)
def test_easing_cues(classifier: Classifier, title: str, summary: str) -> None:
    c = classifier.classify(title, summary)
    assert c.direction is Direction.EASING, [e.reason for e in c.evidence]
    assert c.level.rank >= Level.HIGH.rank


def test_commentary_is_capped_at_low(classifier: Classifier) -> None:
    news = ("China bans gallium exports", "Beijing halted gallium shipments with immediate effect.")
    assert classifier.classify(*news).level is Level.CRITICAL
    column = classifier.classify("Column: " + news[0], news[1])
    assert column.level is Level.LOW
    from_url = classifier.classify(*news, url="https://paper.example/opinion/gallium-ban")
    assert from_url.level is Level.LOW


def test_a_blog_alert_that_reports_the_news_is_not_capped(classifier: Classifier) -> None:
    alert = (
        "Client alert: China introduces antimony export licensing",
        "Exporters will need a commerce ministry licence from 15 September, the notice says.",
    )
    assert classifier.classify(*alert, url="https://lawfirm.example/blog/antimony").level in (
        Level.CRITICAL,
        Level.HIGH,
    )
    look_back = (
        "Two years on: what the antimony licensing rules taught buyers",
        "The licensing regime that Beijing announced two summers ago has reshaped trade flows.",
    )
    assert classifier.classify(*look_back, url="https://lawfirm.example/blog/x").level is Level.LOW


def test_official_source_scores_higher_within_the_level(classifier: Classifier) -> None:
    item = (
        "US sets tariff on Chinese graphite",
        "Commerce imposed duties on graphite anode imports.",
    )
    plain = classifier.classify(*item, url="https://news.example/graphite")
    official = classifier.classify(*item, url="https://www.federalregister.gov/documents/x")
    assert plain.level is official.level is Level.HIGH
    assert official.score > plain.score
    assert classifier.is_official_source(url="https://www.federalregister.gov/d/1")
    assert classifier.is_official_source(source="mofcom.gov.cn")
    assert not classifier.is_official_source(url="https://governance.example.com/x")


def test_empty_and_odd_text_do_not_break_it(classifier: Classifier) -> None:
    for title, summary in [
        ("", ""),
        ("???", "…"),
        ("İstanbul ÇİN", "ǅ"),
        ("x" * 5000, "y " * 3000),
    ]:
        c = classifier.classify(title, summary)
        assert c.level is Level.NONE
