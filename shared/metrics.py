"""Every Prometheus metric, defined once. Names follow Prometheus practice: one
``rarewatch_`` prefix, base units, ``_total`` counters, bounded label values."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

from shared.version import VERSION

_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)

BUILD_INFO = Gauge("rarewatch_build_info", "Build information (value is always 1)", ["version"])
BUILD_INFO.labels(version=VERSION).set(1)

# ingest
ITEMS_FETCHED = Counter(
    "rarewatch_items_fetched_total", "Items read from a source before dedup", ["source"]
)
ITEMS_PUBLISHED = Counter(
    "rarewatch_items_published_total", "Items published to the items stream", ["source"]
)
DUPLICATES_DROPPED = Counter(
    "rarewatch_duplicates_dropped_total", "Items dropped as already seen", ["source"]
)
FETCH_DURATION = Histogram(
    "rarewatch_fetch_duration_seconds",
    "Time to poll a source",
    ["source"],
    buckets=_LATENCY_BUCKETS,
)
SOURCE_POLLS = Counter(
    "rarewatch_source_polls_total", "Source polls by outcome", ["source", "outcome"]
)
SOURCE_CONSECUTIVE_FAILURES = Gauge(
    "rarewatch_source_consecutive_failures", "Failed polls in a row", ["source"]
)
SOURCE_LAST_SUCCESS = Gauge(
    "rarewatch_source_last_success_timestamp_seconds", "Unix time of the last good poll", ["source"]
)

# classify
CLASSIFY_DURATION = Histogram(
    "rarewatch_classify_duration_seconds",
    "Time to classify one batch item",
    buckets=(0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05),
)
EVENTS_CLASSIFIED = Counter(
    "rarewatch_events_classified_total", "Items classified, by level", ["level"]
)

# bus
MESSAGES_PROCESSED = Counter(
    "rarewatch_messages_processed_total",
    "Stream entries handled by a consumer group, by outcome",
    ["stream", "group", "outcome"],
)
DEAD_LETTERS = Counter(
    "rarewatch_dead_letters_total", "Entries moved to a dead-letter stream", ["stream"]
)
STREAM_LAG = Gauge(
    "rarewatch_stream_lag_messages", "Entries not yet read by a consumer group", ["stream", "group"]
)
STREAM_PENDING = Gauge(
    "rarewatch_stream_pending_messages", "Entries read but not acknowledged", ["stream", "group"]
)
REDIS_RTT = Gauge("rarewatch_redis_round_trip_seconds", "Last measured Redis PING time")

# notify
DELIVERIES = Counter(
    "rarewatch_deliveries_total", "Delivery attempts and decisions", ["destination", "outcome"]
)
DELIVERY_LATENCY = Histogram(
    "rarewatch_delivery_latency_seconds",
    "From the item being seen to the receiver's answer",
    ["destination"],
    buckets=_LATENCY_BUCKETS,
)
DELIVERY_RETRIES = Counter(
    "rarewatch_delivery_retries_total", "Retried delivery attempts", ["destination"]
)
DESTINATION_ENABLED = Gauge(
    "rarewatch_destination_enabled",
    "1 when a destination takes alerts, 0 when disabled",
    ["destination"],
)
