"""EventBridge-style event patterns (Lambda FilterCriteria use the same language). Pure.

A thin wrapper over moto's own matcher (``moto.events.models.EventPattern``), so the
workers filter stream and queue records exactly as moto's EventBridge filters events on the
bus. Two things are added: Lambda's "no filter lets everything through, else any filter may
match" (:func:`matches_any`), and a check of operator names, because moto treats an operator
it does not know as matching everything; a template that starts using a new operator
should fail loudly instead.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, cast

from moto.events.exceptions import InvalidEventPatternException
from moto.events.models import EventPattern

#: The content filters moto's matcher implements (``_does_item_match_named_filter``).
OPERATORS = frozenset(
    {"anything-but", "cidr", "equals-ignore-case", "exists", "numeric", "prefix", "suffix"}
    | {"wildcard"}
)


class PatternError(ValueError):
    """The pattern is not a valid event pattern, or uses an operator moto does not match."""


def matches_any(patterns: Sequence[Mapping[str, Any]], event: Mapping[str, Any]) -> bool:
    """Filter criteria semantics: no patterns lets everything through, else any may match."""
    # moto types the argument as its bus event, but flattens any JSON object alike.
    record = cast(Any, dict(event))
    return not patterns or any(compile_pattern(p).matches_event(record) for p in patterns)


def compile_pattern(pattern: Mapping[str, Any]) -> EventPattern:
    """moto's matcher for ``pattern``; :class:`PatternError` names what is wrong with it."""
    try:
        compiled = EventPattern.load(json.dumps(pattern))
    except InvalidEventPatternException as exc:
        raise PatternError(f"invalid event pattern {json.dumps(pattern)}: {exc.message}") from exc
    for name in _operators(pattern):
        if name not in OPERATORS:
            raise PatternError(f"unsupported pattern operator {name!r} in {json.dumps(pattern)}")
    return compiled


def _operators(node: Any) -> Iterator[str]:
    """Operator names of every content filter (``{"prefix": ...}`` inside a value list)."""
    if isinstance(node, Mapping):
        for key, value in node.items():
            if key == "$or" and isinstance(value, list):
                for branch in value:
                    yield from _operators(branch)
            else:
                yield from _operators(value)
    elif isinstance(node, list):
        for item in node:
            if isinstance(item, Mapping):
                yield from item.keys()
