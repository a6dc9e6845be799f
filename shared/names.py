"""Every stream, consumer-group and key name, in one place, under one namespace."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Names:
    namespace: str

    def _k(self, *parts: str) -> str:
        return ":".join((self.namespace, *parts))

    # streams
    @property
    def items(self) -> str:
        return self._k("items")

    @property
    def events(self) -> str:
        return self._k("events")

    @property
    def deliveries(self) -> str:
        return self._k("deliveries")

    @property
    def ops(self) -> str:
        return self._k("ops")

    def outbox(self, destination: str) -> str:
        return self._k("outbox", destination)

    @staticmethod
    def dead_letters(stream: str) -> str:
        return f"{stream}:dlq"

    # consumer groups
    GROUP_CLASSIFY = "classify"
    GROUP_NOTIFY = "notify"
    GROUP_SENDER = "sender"

    # keys
    @staticmethod
    def failures(stream: str, group: str) -> str:
        """Hash of msg id -> last error, for entries that failed and wait for a retry."""
        return f"{stream}:errors:{group}"

    def seen_item(self, item_id: str) -> str:
        return self._k("seen", "item", item_id)

    def seen_url(self, canonical_url: str) -> str:
        return self._k("seen", "url", canonical_url)

    def source_state(self, source_id: str) -> str:
        return self._k("source", source_id)

    def ledger(self, alert_id: str) -> str:
        return self._k("ledger", alert_id)

    def sending_lock(self, alert_id: str) -> str:
        return self._k("sending", alert_id)

    def story(self, story_id: str) -> str:
        return self._k("story", story_id)

    def story_index(self) -> str:
        return self._k("stories")

    def story_of_item(self, item_id: str) -> str:
        """The story an item joined, so a re-delivered item is not counted twice."""
        return self._k("story-of", item_id)

    def story_lock(self) -> str:
        """Held while one classify replica assigns an item to a story."""
        return self._k("stories", "lock")

    def story_alerted(self, story_id: str, destination: str) -> str:
        return self._k("alerted", story_id, destination)

    def destination_state(self, destination: str) -> str:
        return self._k("destination", destination)

    def silences(self) -> str:
        return self._k("silences")

    def digest(self, destination: str) -> str:
        """List of alerts held for a destination's next digest."""
        return self._k("digest", destination)

    def digest_period(self, destination: str) -> str:
        """The last digest period (a number) flushed for a destination."""
        return self._k("digest", destination, "period")
