"""CloudFormation intrinsic functions, resolved the way CloudFormation resolves them. Pure.

The local stack resolves a resource's properties just before it creates the resource, so a
``Ref`` or ``Fn::GetAtt`` sees the physical ids of what was created before it (see
:func:`dependencies` for the order). Everything here works on plain JSON-like values.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

#: Stands for ``Ref: AWS::NoValue``: the enclosing key or list item disappears.
NO_VALUE: Any = object()

PSEUDO_PARAMETERS = (
    "AWS::AccountId",
    "AWS::NotificationARNs",
    "AWS::NoValue",
    "AWS::Partition",
    "AWS::Region",
    "AWS::StackId",
    "AWS::StackName",
    "AWS::URLSuffix",
)

_SUB_VARIABLE = re.compile(r"\$\{([^}]+)\}")


class IntrinsicError(ValueError):
    """An intrinsic the template uses cannot be resolved (unknown function, name or value)."""


@dataclass(frozen=True)
class Scope:
    """What intrinsics resolve against.

    ``ref`` and ``get_att`` answer for resources (logical id -> physical id / attribute);
    ``parameters`` holds template parameters and pseudo parameters; ``conditions`` the
    evaluated template conditions.
    """

    parameters: Mapping[str, Any]
    ref: Callable[[str], Any]
    get_att: Callable[[str, str], Any]
    conditions: Mapping[str, bool] = field(default_factory=dict)
    mappings: Mapping[str, Any] = field(default_factory=dict)


def pseudo_parameters(region: str, account_id: str, stack_name: str) -> dict[str, Any]:
    return {
        "AWS::AccountId": account_id,
        "AWS::NotificationARNs": [],
        "AWS::Partition": "aws",
        "AWS::Region": region,
        "AWS::StackId": (f"arn:aws:cloudformation:{region}:{account_id}:stack/{stack_name}/local"),
        "AWS::StackName": stack_name,
        "AWS::URLSuffix": "amazonaws.com",
    }


def parameter_values(
    declared: Mapping[str, Any], overrides: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Template parameters: the override if given, else the default; missing ones fail."""
    overrides = dict(overrides or {})
    unknown = set(overrides) - set(declared)
    if unknown:
        raise IntrinsicError(f"unknown template parameters: {', '.join(sorted(unknown))}")
    values: dict[str, Any] = {}
    for name, spec in declared.items():
        if name in overrides:
            value: Any = overrides[name]
        elif isinstance(spec, Mapping) and "Default" in spec:
            value = spec["Default"]
        else:
            raise IntrinsicError(f"parameter {name} has no default and no value was given")
        if isinstance(spec, Mapping) and str(spec.get("Type", "")).startswith("CommaDelimited"):
            value = [v.strip() for v in str(value).split(",")]
        values[name] = value
    return values


def evaluate_conditions(
    declared: Mapping[str, Any], parameters: Mapping[str, Any]
) -> dict[str, bool]:
    """Evaluate the template's Conditions section (conditions may refer to each other)."""
    conditions = _LazyConditions(declared, parameters)
    return {name: conditions[name] for name in declared}


def _no_resource(name: str, *_: str) -> Any:
    raise IntrinsicError(f"conditions cannot refer to resources ({name})")


class _LazyConditions(Mapping[str, bool]):
    """Conditions evaluated on first use, so one condition may use another (``Condition``)."""

    def __init__(self, declared: Mapping[str, Any], parameters: Mapping[str, Any]) -> None:
        self._declared = declared
        self._results: dict[str, bool] = {}
        self._visiting: set[str] = set()
        self._scope = Scope(parameters, _no_resource, _no_resource, conditions=self)

    def __getitem__(self, name: str) -> bool:
        if name in self._results:
            return self._results[name]
        if name not in self._declared:
            raise IntrinsicError(f"unknown condition {name}")
        if name in self._visiting:
            raise IntrinsicError(f"circular condition {name}")
        self._visiting.add(name)
        value = resolve(self._declared[name], self._scope)
        self._visiting.discard(name)
        if not isinstance(value, bool):
            raise IntrinsicError(f"condition {name} is not a boolean: {value!r}")
        self._results[name] = value
        return value

    def __contains__(self, name: object) -> bool:
        return name in self._declared

    def __iter__(self) -> Iterator[str]:
        return iter(self._declared)

    def __len__(self) -> int:
        return len(self._declared)


def resolve(value: Any, scope: Scope) -> Any:
    """Resolve every intrinsic function inside ``value``; ``AWS::NoValue`` entries vanish."""
    resolved = _resolve(value, scope)
    return None if resolved is NO_VALUE else resolved


def _resolve(value: Any, scope: Scope) -> Any:
    if isinstance(value, Mapping):
        if len(value) == 1:
            (key,) = value
            if key == "Ref" or key.startswith("Fn::") or key == "Condition":
                return _intrinsic(key, value[key], scope)
        resolved_map = {k: _resolve(v, scope) for k, v in value.items()}
        return {k: v for k, v in resolved_map.items() if v is not NO_VALUE}
    if isinstance(value, list):
        items = [_resolve(v, scope) for v in value]
        return [v for v in items if v is not NO_VALUE]
    return value


def _intrinsic(name: str, argument: Any, scope: Scope) -> Any:
    function = _FUNCTIONS.get(name)
    if function is None:
        raise IntrinsicError(f"unsupported intrinsic function {name}")
    return function(argument, scope)


def _ref(argument: Any, scope: Scope) -> Any:
    name = _resolve(argument, scope)
    if name == "AWS::NoValue":
        return NO_VALUE
    if name in scope.parameters:
        return scope.parameters[name]
    if isinstance(name, str) and name.startswith("AWS::"):
        raise IntrinsicError(f"unsupported pseudo parameter {name}")
    return scope.ref(str(name))


def _get_att(argument: Any, scope: Scope) -> Any:
    if isinstance(argument, str):
        logical_id, _, attribute = argument.partition(".")
    else:
        logical_id, attribute = (_resolve(a, scope) for a in argument)
    if not attribute:
        raise IntrinsicError(f"Fn::GetAtt needs an attribute: {argument!r}")
    return scope.get_att(str(logical_id), str(attribute))


def _sub(argument: Any, scope: Scope) -> str:
    if isinstance(argument, str):
        text, variables = argument, {}
    else:
        text, raw_variables = argument
        variables = {k: _resolve(v, scope) for k, v in raw_variables.items()}

    def substitute(match: re.Match[str]) -> str:
        name = match.group(1)
        if name.startswith("!"):
            return "${" + name[1:] + "}"
        if name in variables:
            return _text(variables[name], name)
        if name in scope.parameters:
            return _text(scope.parameters[name], name)
        if "." in name:
            logical_id, _, attribute = name.partition(".")
            return _text(scope.get_att(logical_id, attribute), name)
        return _text(_ref(name, scope), name)

    return _SUB_VARIABLE.sub(substitute, text)


def _text(value: Any, name: str) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | float):
        return str(value)
    raise IntrinsicError(f"Fn::Sub variable {name} is not a string: {value!r}")


def _if(argument: Any, scope: Scope) -> Any:
    condition, if_true, if_false = argument
    return _resolve(if_true if _condition(condition, scope) else if_false, scope)


def _condition(name: Any, scope: Scope) -> bool:
    if name not in scope.conditions:
        raise IntrinsicError(f"unknown condition {name}")
    return bool(scope.conditions[name])


def _equals(argument: Any, scope: Scope) -> bool:
    left, right = (_resolve(a, scope) for a in argument)
    return bool(_plain(left) == _plain(right))


def _plain(value: Any) -> Any:
    return str(value) if isinstance(value, int | float) and not isinstance(value, bool) else value


def _not(argument: Any, scope: Scope) -> bool:
    (operand,) = argument
    return not _truth(operand, scope)


def _and(argument: Any, scope: Scope) -> bool:
    return all(_truth(a, scope) for a in argument)


def _or(argument: Any, scope: Scope) -> bool:
    return any(_truth(a, scope) for a in argument)


def _truth(operand: Any, scope: Scope) -> bool:
    value = _resolve(operand, scope)
    if not isinstance(value, bool):
        raise IntrinsicError(f"condition operand is not a boolean: {value!r}")
    return value


def _select(argument: Any, scope: Scope) -> Any:
    index, items = (_resolve(a, scope) for a in argument)
    return items[int(index)]


def _split(argument: Any, scope: Scope) -> list[str]:
    delimiter, text = (_resolve(a, scope) for a in argument)
    return str(text).split(str(delimiter))


def _join(argument: Any, scope: Scope) -> str:
    delimiter, items = (_resolve(a, scope) for a in argument)
    return str(delimiter).join(_text(i, "Fn::Join item") for i in items)


def _find_in_map(argument: Any, scope: Scope) -> Any:
    map_name, top_key, second_key = (_resolve(a, scope) for a in argument)
    try:
        return scope.mappings[map_name][top_key][second_key]
    except KeyError as exc:
        raise IntrinsicError(f"Fn::FindInMap: no {map_name}.{top_key}.{second_key}") from exc


def _base64(argument: Any, scope: Scope) -> str:
    return base64.b64encode(str(_resolve(argument, scope)).encode()).decode()


_FUNCTIONS: dict[str, Callable[[Any, Scope], Any]] = {
    "Ref": _ref,
    "Condition": lambda name, scope: _condition(name, scope),
    "Fn::GetAtt": _get_att,
    "Fn::Sub": _sub,
    "Fn::If": _if,
    "Fn::Equals": _equals,
    "Fn::Not": _not,
    "Fn::And": _and,
    "Fn::Or": _or,
    "Fn::Select": _select,
    "Fn::Split": _split,
    "Fn::Join": _join,
    "Fn::FindInMap": _find_in_map,
    "Fn::Base64": _base64,
}


def references(value: Any) -> set[str]:
    """Logical ids (or parameter names) that ``value`` refers to through Ref/GetAtt/Sub."""
    found: set[str] = set()
    if isinstance(value, Mapping):
        for key, argument in value.items():
            if key == "Ref" and isinstance(argument, str):
                found.add(argument)
            elif key == "Fn::GetAtt":
                target = argument.split(".", 1)[0] if isinstance(argument, str) else argument[0]
                if isinstance(target, str):
                    found.add(target)
            elif key == "Fn::Sub":
                text = argument if isinstance(argument, str) else argument[0]
                own = set(argument[1]) if isinstance(argument, list) else set()
                for name in _SUB_VARIABLE.findall(text):
                    if not name.startswith("!") and name.split(".", 1)[0] not in own:
                        found.add(name.split(".", 1)[0])
                if isinstance(argument, list):
                    found |= references(argument[1])
            else:
                found |= references(argument)
    elif isinstance(value, list):
        for item in value:
            found |= references(item)
    return found


def dependencies(resources: Mapping[str, Mapping[str, Any]]) -> dict[str, set[str]]:
    """For each resource, the resources it needs first (references plus ``DependsOn``)."""
    graph: dict[str, set[str]] = {}
    for logical_id, resource in resources.items():
        needed = references(resource.get("Properties", {}))
        depends_on = resource.get("DependsOn", [])
        needed |= {depends_on} if isinstance(depends_on, str) else set(depends_on)
        graph[logical_id] = {n for n in needed if n in resources and n != logical_id}
    return graph
