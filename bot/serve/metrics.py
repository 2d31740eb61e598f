"""The service's Prometheus metrics (``/metrics``), built per app, never at import.

Labels name kinds of things only (an update's kind, a rejection's reason): no user or chat
id, no text, so a scrape holds nothing personal and the series stay few. With several worker
processes prometheus_client's multiprocess mode is used: ``PROMETHEUS_MULTIPROC_DIR`` is set
by ``samenspraak serve`` before the workers start, every worker writes its values to files
there, and whichever worker answers a scrape sums all of them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest, multiprocess
from telegram import Update

#: Where an update's handling time falls (seconds): most are a few ms, a letter or photo longer.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


def multiprocess_dir() -> str | None:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


@dataclass(frozen=True)
class Metrics:
    updates: Counter
    latency: Histogram
    errors: Counter
    redeliveries: Counter
    rejected: Counter
    registry: CollectorRegistry

    def scrape(self) -> tuple[bytes, str]:
        """The text exposition: this process's registry, or every worker's files in multiprocess mode."""
        folder = multiprocess_dir()
        if folder is None:
            return generate_latest(self.registry), CONTENT_TYPE_LATEST
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry, path=folder)  # type: ignore[no-untyped-call]
        return generate_latest(registry), CONTENT_TYPE_LATEST


def make_metrics() -> Metrics:
    """Fresh metrics on a registry of their own (tests build several apps in one process)."""
    registry = CollectorRegistry()
    return Metrics(
        updates=Counter("samenspraak_updates", "Updates handled, by kind", ["kind"], registry=registry),
        latency=Histogram(
            "samenspraak_update_seconds",
            "Time from receiving an update to answering the webhook",
            ["kind"],
            buckets=LATENCY_BUCKETS,
            registry=registry,
        ),
        errors=Counter(
            "samenspraak_update_errors", "Updates whose handler failed, by kind", ["kind"], registry=registry
        ),
        redeliveries=Counter(
            "samenspraak_update_redeliver",
            "Updates answered 500 so Telegram delivers them again (database down)",
            registry=registry,
        ),
        rejected=Counter(
            "samenspraak_webhook_rejected",
            "Webhook posts refused, by reason (secret, body)",
            ["reason"],
            registry=registry,
        ),
        registry=registry,
    )


def update_kind(update: Update) -> str:
    """A small fixed set of kinds: never anything the user wrote."""
    if update.callback_query is not None:
        return "button"
    if update.edited_message is not None:
        return "edited"
    message = update.message
    if message is None:
        return "other"
    if message.text is not None:
        return "command" if message.text.startswith("/") else "text"
    for kind in ("photo", "document", "voice", "sticker"):
        if getattr(message, kind):
            return kind
    return "other"
