"""Story clustering, pure: three outlets telling one story join it; two different stories on
the same mineral stay apart; copies count once; corroboration raises a high story."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from services.classify.model import Classifier
from services.classify.stories import (
    Assignment,
    Candidate,
    StoryItem,
    assign,
    signature,
    similarity,
    story_level,
)
from shared.models import Level

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
WINDOW_S = 72 * 3600

SAME_EVENT = [
    (
        "wire.example",
        "China halts gallium and germanium exports",
        "Beijing stopped shipments of gallium and germanium abroad from Monday, the ministry said.",
    ),
    (
        "metals.example",
        "Beijing imposes export ban on gallium, germanium",
        "Chinese exporters of the two chip metals can no longer ship them abroad under a new ban.",
    ),
    (
        "daily.example",
        "Chip metals: China bans germanium and gallium exports",
        "Overseas sales of germanium and gallium are prohibited with immediate effect, China said.",
    ),
]
OTHER_GALLIUM_STORY = (
    "prices.example",
    "Gallium prices jump to a record in Rotterdam",
    "European gallium prices rose to an all-time high this week on thin stocks.",
)


@pytest.fixture(scope="module")
def classifier() -> Classifier:
    return Classifier.from_default()


def story_item(
    classifier: Classifier,
    item_id: str,
    publisher: str,
    title: str,
    summary: str,
    *,
    official: bool = False,
    at: datetime = T0,
) -> StoryItem:
    c = classifier.classify(title, summary)
    return StoryItem(
        id=item_id,
        publisher=publisher,
        official=official,
        sig=signature(title, summary),
        level=c.level,
        direction=c.direction,
        instrument=c.instruments[0] if c.instruments else None,
        minerals=c.minerals,
        countries=c.countries,
        seen_at=at,
    )


def run(items: list[StoryItem], window_s: float = WINDOW_S) -> list[Assignment]:
    stories: dict[str, Candidate] = {}
    out = []
    for item in items:
        result = assign(item, list(stories.values()), now=item.seen_at, window_s=window_s)
        stories[result.state.id] = Candidate(result.state, result.members)
        out.append(result)
    return out


def test_signatures_tell_copies_from_rewrites() -> None:
    a = signature(SAME_EVENT[0][1], SAME_EVENT[0][2])
    assert similarity(a, signature(SAME_EVENT[0][1], SAME_EVENT[0][2])) == 1.0
    assert similarity(a, signature(SAME_EVENT[0][1], SAME_EVENT[0][2] + " Shares fell.")) > 0.8
    assert similarity(a, signature(SAME_EVENT[1][1], SAME_EVENT[1][2])) < 0.3


def test_three_outlets_one_story_and_a_different_story_on_the_same_mineral(
    classifier: Classifier,
) -> None:
    items = [
        story_item(classifier, f"i{n}", pub, t, s, at=T0 + timedelta(hours=n))
        for n, (pub, t, s) in enumerate(SAME_EVENT)
    ]
    items.append(story_item(classifier, "other", *OTHER_GALLIUM_STORY, at=T0 + timedelta(hours=4)))
    results = run(items)
    story = results[2].state
    assert [r.state.id for r in results[:3]] == [story.id] * 3
    assert results[1].joined and results[2].joined
    assert story.item_ids == ("i0", "i1", "i2")
    assert len(story.publishers) == 3
    assert results[3].state.id != story.id and not results[3].joined
    assert "gallium" in results[3].state.minerals


def test_mirrors_and_syndicated_copies_count_once(classifier: Classifier) -> None:
    pub, title, summary = SAME_EVENT[0]
    items = [
        story_item(classifier, "orig", pub, title, summary),
        story_item(classifier, "again", pub, SAME_EVENT[1][1], SAME_EVENT[1][2]),  # same publisher
        story_item(classifier, "mirror", "mirror.example", title, summary),  # same text, other host
    ]
    results = run(items)
    state = results[-1].state
    assert state.item_ids == ("orig", "again", "mirror")
    assert state.publishers == (pub,)
    assert state.copies == 2
    assert "near-duplicate" in results[-1].reason


def test_high_story_raised_by_an_official_source_or_three_publishers(
    classifier: Classifier,
) -> None:
    assert story_level(Level.HIGH, 1, False) is Level.HIGH
    assert story_level(Level.HIGH, 1, True) is Level.CRITICAL
    assert story_level(Level.HIGH, 3, False) is Level.CRITICAL
    assert story_level(Level.MEDIUM, 5, True) is Level.MEDIUM
    assert story_level(Level.CRITICAL, 3, True) is Level.CRITICAL

    tariff = [
        (
            "a.example",
            "US sets 60% tariff on Chinese graphite anodes",
            "Commerce imposed duties on graphite anodes.",
        ),
        (
            "b.example",
            "Washington slaps duty on graphite from China",
            "A 60% levy on Chinese graphite anode imports.",
        ),
        (
            "c.example",
            "Graphite anode imports from China face US tariff",
            "The US tariff on graphite is 60%.",
        ),
    ]
    items = [
        story_item(classifier, f"t{n}", *row, at=T0 + timedelta(minutes=n))
        for n, row in enumerate(tariff)
    ]
    results = run(items)
    assert [r.state.level for r in results] == [Level.HIGH, Level.HIGH, Level.CRITICAL]
    assert results[-1].state.ref().sources_count == 3

    official = story_item(classifier, "fr", "federalregister.gov", *tariff[0][1:], official=True)
    assert run([items[0], official])[-1].state.ref().official is True
    assert run([items[0], official])[-1].state.level is Level.CRITICAL


def test_stories_close_after_the_window(classifier: Classifier) -> None:
    first = story_item(classifier, "early", *SAME_EVENT[0])
    late = story_item(classifier, "late", *SAME_EVENT[1], at=T0 + timedelta(hours=73))
    results = run([first, late])
    assert results[1].state.id != results[0].state.id


def test_assigning_the_same_item_twice_changes_nothing(classifier: Classifier) -> None:
    item = story_item(classifier, "once", *SAME_EVENT[0])
    first = assign(item, [], now=T0, window_s=WINDOW_S)
    again = assign(
        item,
        [Candidate(first.state, first.members)],
        now=T0 + timedelta(minutes=5),
        window_s=WINDOW_S,
    )
    assert again.state == first.state
    assert again.state.item_ids == ("once",)


def test_opposite_directions_are_different_stories(classifier: Classifier) -> None:
    ban = story_item(classifier, "ban", *SAME_EVENT[0])
    lift = story_item(
        classifier,
        "lift",
        "wire.example",
        "China lifts its ban on gallium exports",
        "Beijing lifted the export ban on gallium and germanium, the ministry said.",
        at=T0 + timedelta(hours=2),
    )
    results = run([ban, lift])
    assert results[1].state.id != results[0].state.id
