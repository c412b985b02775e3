"""EventBridge-style event patterns (Lambda FilterCriteria use the same language). Pure.

The subset implemented: exact values (strings, numbers, booleans, null), ``prefix``,
``suffix``, ``equals-ignore-case``, ``anything-but`` (a value or a list of values),
``exists`` and ``numeric``. Anything else raises :class:`PatternError`, so a template that
starts using a new operator fails loudly instead of matching silently.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping, Sequence
from typing import Any


class PatternError(ValueError):
    """The pattern uses syntax this matcher does not implement."""


_MISSING = object()

_NUMERIC: dict[str, Callable[[float, float], bool]] = {
    "=": operator.eq,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


def matches_any(patterns: Sequence[Mapping[str, Any]], event: Mapping[str, Any]) -> bool:
    """Filter criteria semantics: no patterns lets everything through, else any may match."""
    return not patterns or any(matches(p, event) for p in patterns)


def matches(pattern: Mapping[str, Any], event: Mapping[str, Any]) -> bool:
    """Whether ``event`` matches ``pattern`` (every field of the pattern must match)."""
    for key, expected in pattern.items():
        value = event.get(key, _MISSING) if isinstance(event, Mapping) else _MISSING
        if isinstance(expected, Mapping):
            if not isinstance(value, Mapping) or not matches(expected, value):
                return False
        elif isinstance(expected, list):
            if not _field_matches(expected, value):
                return False
        else:
            raise PatternError(f"pattern field {key!r} must be an object or a list")
    return True


def _field_matches(rules: list[Any], value: Any) -> bool:
    values = value if isinstance(value, list) else [value]
    return any(_rule_matches(rule, value, values) for rule in rules)


def _rule_matches(rule: Any, value: Any, values: list[Any]) -> bool:
    if not isinstance(rule, Mapping):
        return value is not _MISSING and any(_same(rule, v) for v in values)
    if len(rule) != 1:
        raise PatternError(f"a content filter has exactly one operator: {rule!r}")
    ((name, argument),) = rule.items()
    if name == "exists":
        return (value is not _MISSING) is bool(argument)
    if value is _MISSING:
        return False
    if name == "anything-but":
        return _anything_but(argument, values)
    test = _STRING_OPERATORS.get(name)
    if test is not None:
        return any(isinstance(v, str) and test(v, argument) for v in values)
    if name == "numeric":
        return any(_numeric(argument, v) for v in values)
    raise PatternError(f"unsupported pattern operator {name!r}")


def _same(expected: Any, actual: Any) -> bool:
    if isinstance(expected, bool) or isinstance(actual, bool):
        return expected is actual
    return bool(expected == actual)


def _prefix(value: str, argument: Any) -> bool:
    return value.startswith(_text_argument("prefix", argument))


def _suffix(value: str, argument: Any) -> bool:
    return value.endswith(_text_argument("suffix", argument))


def _equals_ignore_case(value: str, argument: Any) -> bool:
    return value.casefold() == _text_argument("equals-ignore-case", argument).casefold()


def _text_argument(name: str, argument: Any) -> str:
    if not isinstance(argument, str):
        raise PatternError(f"{name} takes a string, not {argument!r}")
    return argument


_STRING_OPERATORS: dict[str, Callable[[str, Any], bool]] = {
    "prefix": _prefix,
    "suffix": _suffix,
    "equals-ignore-case": _equals_ignore_case,
}


def _anything_but(argument: Any, values: list[Any]) -> bool:
    if isinstance(argument, Mapping):
        if set(argument) == {"prefix"}:
            prefix = _text_argument("prefix", argument["prefix"])
            return all(not (isinstance(v, str) and v.startswith(prefix)) for v in values)
        raise PatternError(f"unsupported anything-but filter {argument!r}")
    excluded = argument if isinstance(argument, list) else [argument]
    return all(not any(_same(e, v) for e in excluded) for v in values)


def _numeric(argument: Any, value: Any) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    if not isinstance(argument, list) or len(argument) % 2:
        raise PatternError(f"numeric takes operator/number pairs: {argument!r}")
    for index in range(0, len(argument), 2):
        comparison = _NUMERIC.get(argument[index])
        if comparison is None:
            raise PatternError(f"unsupported numeric operator {argument[index]!r}")
        if not comparison(float(value), float(argument[index + 1])):
            return False
    return True
