"""The event bus (EventBridge): publish entries, re-sending only the ones that failed."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from shared.adapters import aws
from shared.adapters.retry import Retry
from shared.observability import logger

MAX_ENTRIES_PER_CALL = 10


def publish(
    entries: Sequence[dict[str, Any]],
    *,
    attempts: int = 3,
    backoff_seconds: float = 0.2,
    on_published: Callable[[list[int]], None] | None = None,
) -> set[int]:
    """Put ``entries`` on the bus; returns the indexes that still failed after ``attempts``.

    A partial ``PutEvents`` failure re-sends only the failed entries. ``on_published`` is
    called after each call with the indexes that call published, so the caller can record
    progress before a later call fails.
    """
    client = aws.events()
    pending = list(range(len(entries)))
    for _ in Retry(attempts, first_pause=backoff_seconds).tries():
        failed: list[int] = []
        for start in range(0, len(pending), MAX_ENTRIES_PER_CALL):
            chunk = pending[start : start + MAX_ENTRIES_PER_CALL]
            try:
                response = client.put_events(Entries=[entries[i] for i in chunk])  # type: ignore[misc]
            except Exception as exc:
                if getattr(exc, "response", None) is None:
                    raise
                logger.warning("PutEvents call failed", extra={"error": type(exc).__name__})
                failed.extend(chunk)
                continue
            results = response.get("Entries", [])
            chunk_failed = [i for i, r in zip(chunk, results, strict=True) if r.get("ErrorCode")]
            failed.extend(chunk_failed)
            published = [i for i in chunk if i not in set(chunk_failed)]
            if published and on_published is not None:
                on_published(published)
        pending = failed
        if not pending:
            break
    return set(pending)
