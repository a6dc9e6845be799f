"""The vocabulary file: validated with errors that name the bad key, matched as documented,
and reloaded without a restart (an invalid new file keeps the old vocabulary)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from services.classify.matching import Tagger
from services.classify.model import Classifier
from services.classify.vocabulary import (
    DEFAULT_VOCABULARY_PATH,
    VocabularyError,
    VocabularyWatcher,
    load_vocabulary,
    parse_vocabulary,
)
from shared.errors import ConfigError
from shared.models import Level

NEW_MINERAL_ITEM = (
    "Beijing bans exports of unobtainium",
    "Unobtainium shipments halted with immediate effect.",
)


def shipped() -> dict:
    return yaml.safe_load(DEFAULT_VOCABULARY_PATH.read_text())


def test_the_shipped_vocabulary_loads() -> None:
    vocab = load_vocabulary()
    assert "dysprosium" in vocab.minerals and "rare_earths" in vocab.groups
    assert vocab.minerals["dysprosium"].groups == ("rare_earths",)
    assert "china" in vocab.countries and vocab.actors["mofcom"].country == "china"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["minerals"]["cobalt"].update(colour="blue"), "minerals.cobalt.colour"),
        (
            lambda d: d["minerals"]["cobalt"].update(groups=["rare_earth"]),
            "minerals.cobalt.groups[0]",
        ),
        (lambda d: d["cues"].update(ease_hard=["lift*", "a*"]), "cues.ease_hard[1]"),
        (lambda d: d["actors"]["mofcom"].update(country="atlantis"), "actors.mofcom.country"),
        (lambda d: d["instruments"].update(teleport={"label": "x"}), "instruments.teleport"),
        (
            lambda d: d["countries"]["china"].update(major_producer_of=["kryptonite"]),
            "major_producer_of[0]",
        ),
        (lambda d: d.pop("cues"), "cues"),
        (lambda d: d["minerals"].update({"Bad Token": {"names": ["x"]}}), "minerals.Bad Token"),
    ],
)
def test_an_invalid_vocabulary_names_the_bad_key(change, message: str) -> None:  # type: ignore[no-untyped-def]
    data = shipped()
    change(data)
    with pytest.raises(VocabularyError) as err:
        parse_vocabulary(data, "vocab.yaml")
    assert message in str(err.value)
    assert str(err.value).startswith("vocab.yaml: ")
    assert isinstance(err.value, ConfigError)


def test_unreadable_or_broken_files_say_so(tmp_path: Path) -> None:
    with pytest.raises(VocabularyError, match="cannot read"):
        load_vocabulary(tmp_path / "missing.yaml")
    broken = tmp_path / "broken.yaml"
    broken.write_text("minerals: [unclosed\n")
    with pytest.raises(VocabularyError, match="not valid YAML"):
        load_vocabulary(broken)


def test_phrase_matching_rules() -> None:
    t = Tagger()
    t.add(["rare earth*"], ("group", "rare_earths"))
    t.add(["rare earth magnet*"], ("group", "rare_earth_magnets"))
    t.add(["cobalt"], ("mineral", "cobalt"))
    t.add(["cobalt strike"], ("negative", ""))
    t.add(["u s"], ("country", "united_states"))
    t.add_symbols(["Dy"], ("mineral", "dysprosium"), bracketed=True)
    t.add_symbols(["US"], ("country", "united_states"))
    t.freeze()

    def tags(text: str) -> list[tuple[str, str]]:
        return [(h.cat, h.key) for h in t.tag_sentence(text, 0).hits]

    assert tags("Rare-Earths and RARE EARTH magnets") == [
        ("group", "rare_earths"),
        ("group", "rare_earth_magnets"),
    ]
    assert tags("Cobalt Strike beacons, not cobalt") == [("negative", ""), ("mineral", "cobalt")]
    assert tags("U.S. and US but not us") == [("country", "united_states")] * 2
    assert tags("dysprosium (Dy) but not Dy alone") == [("mineral", "dysprosium")]
    assert [h.text for h in t.tag_sentence("China's rare-earth magnets", 0).hits] == [
        "rare-earth magnets"
    ]


def write_with_new_mineral(path: Path) -> None:
    data = shipped()
    data["version"] = "test.2"
    data["minerals"]["unobtainium"] = {"names": ["unobtainium"]}
    data["countries"]["china"]["major_producer_of"].append("unobtainium")
    path.write_text(yaml.safe_dump(data))


def bump_mtime(path: Path) -> None:
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))


def test_watcher_reloads_a_changed_file_and_keeps_the_old_one_when_invalid(tmp_path: Path) -> None:
    path = tmp_path / "vocabulary.yaml"
    path.write_text(DEFAULT_VOCABULARY_PATH.read_text())
    watcher = VocabularyWatcher(path, check_every_s=0)
    first = watcher.current()
    assert first.classify(*NEW_MINERAL_ITEM).level is Level.NONE
    assert watcher.current() is first  # unchanged file: same classifier

    write_with_new_mineral(path)
    bump_mtime(path)
    second = watcher.current()
    assert second is not first and second.version.endswith("test.2")
    assert second.classify(*NEW_MINERAL_ITEM).level is Level.CRITICAL
    assert watcher.last_error() is None

    path.write_text("version: broken\nminerals: {}\n")
    bump_mtime(path)
    assert watcher.current() is second  # the old vocabulary stays in use
    assert "minerals" in (watcher.last_error() or "")

    write_with_new_mineral(path)
    assert watcher.reload() is True  # e.g. on SIGHUP
    assert watcher.last_error() is None


def test_watcher_fails_at_start_up_on_an_invalid_file(tmp_path: Path) -> None:
    path = tmp_path / "vocabulary.yaml"
    path.write_text("version: x\n")
    with pytest.raises(VocabularyError, match="minerals"):
        VocabularyWatcher(path)


def test_default_watcher_uses_the_shipped_file() -> None:
    watcher = VocabularyWatcher()
    assert watcher.path is None
    assert isinstance(watcher.current(), Classifier)
    assert watcher.current().version == Classifier.from_default().version
