"""The difference between two backtest runs over the same capture, pure.

Alerts are matched on (destination, item that set the alert off). An alert only the second
run fires is ``added``, one only the first fires is ``removed``, and one both fire with a
different level or type (created/escalated) is ``changed``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from services.replay.backtest import FiredAlert

ChangeKind = Literal["added", "removed", "changed"]
_ORDER = {"removed": 0, "changed": 1, "added": 2}


@dataclass(frozen=True, slots=True)
class Change:
    kind: ChangeKind
    a: FiredAlert | None
    b: FiredAlert | None

    @property
    def alert(self) -> FiredAlert:
        alert = self.b or self.a
        assert alert is not None
        return alert


def compare(a: Sequence[FiredAlert], b: Sequence[FiredAlert]) -> list[Change]:
    """Every difference, in capture-time order (then destination, then item)."""
    in_a = {x.key: x for x in a}
    in_b = {x.key: x for x in b}
    changes: list[Change] = []
    for key, old in in_a.items():
        new = in_b.get(key)
        if new is None:
            changes.append(Change("removed", old, None))
        elif (old.level, old.type) != (new.level, new.type):
            changes.append(Change("changed", old, new))
    changes.extend(Change("added", None, new) for key, new in in_b.items() if key not in in_a)
    changes.sort(key=lambda c: (c.alert.time, c.alert.destination, c.alert.item_id, _ORDER[c.kind]))
    return changes
