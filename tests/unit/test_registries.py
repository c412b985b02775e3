"""The registries every service adds to (access rules, events, keys) are assembled from one
part per service: two parts may never define the same operation, event, name or key shape."""

from __future__ import annotations

import ast
import inspect
import pkgutil
from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest

import shared.access
import shared.events
import shared.keys
from shared.events.base import EventData
from shared.registry import clashes, merge


def _modules(package: ModuleType, *, besides: set[str]) -> dict[str, ModuleType]:
    """The package's modules (the services' parts), other than its shared vocabulary."""
    found = {}
    for info in pkgutil.iter_modules(package.__path__):
        if info.name not in besides:
            found[info.name] = __import__(f"{package.__name__}.{info.name}", fromlist=["_"])
    return found


def _defined(module: ModuleType) -> dict[str, Any]:
    """Public names a module defines itself at top level (not those it imports)."""
    tree = ast.parse(inspect.getsource(module))
    names: list[str] = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            names.append(node.name)
        elif isinstance(node, ast.Assign):
            names += [t.id for t in node.targets if isinstance(t, ast.Name)]
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.append(node.target.id)
    return {name: getattr(module, name) for name in names if not name.startswith("_")}


# --------------------------------------------------------------------------- the assembler
def test_merging_refuses_a_name_two_parts_define_and_names_them() -> None:
    with pytest.raises(ValueError, match=r"getCycle in assessment, review"):
        merge("access rule", {"assessment": {"getCycle": 1}, "review": {"getCycle": 2}})
    assert merge("event", {"a": {"X": 1}, "b": {"Y": 2}}) == {"X": 1, "Y": 2}


# --------------------------------------------------------------------------- access
ACCESS_PARTS = _modules(shared.access, besides={"rules"})


def test_every_access_part_is_assembled() -> None:
    assert set(shared.access.PARTS) == set(ACCESS_PARTS)
    assert set(shared.access.ACCESS) == {op for p in ACCESS_PARTS.values() for op in p.ACCESS}


def test_no_operation_is_defined_by_two_services() -> None:
    assert clashes({name: part.ACCESS for name, part in ACCESS_PARTS.items()}) == {}


@pytest.mark.parametrize("part", sorted(ACCESS_PARTS))
def test_each_service_phrases_exactly_its_own_operations(part: str) -> None:
    module = ACCESS_PARTS[part]
    assert set(module.ACTIONS) == set(module.ACCESS)


# --------------------------------------------------------------------------- events
EVENT_PARTS = _modules(shared.events, besides={"base"})


def test_every_event_part_is_assembled() -> None:
    assert set(shared.events.PARTS) == set(EVENT_PARTS)


def test_no_event_is_defined_by_two_services() -> None:
    assert clashes({name: part.CATALOGUE for name, part in EVENT_PARTS.items()}) == {}


@pytest.mark.parametrize("part", sorted(EVENT_PARTS))
def test_each_service_catalogues_every_event_it_defines(part: str) -> None:
    module = EVENT_PARTS[part]
    models = {
        name
        for name, value in vars(module).items()
        if isinstance(value, type)
        and issubclass(value, EventData)
        and value.__module__ == module.__name__
    }
    assert set(module.CATALOGUE) == models
    assert {source for source, _ in module.CATALOGUE.values()} == {f"nqms.{part}"}


# --------------------------------------------------------------------------- keys
KEY_PARTS = _modules(shared.keys, besides=set())


def _placeholder(parameter: inspect.Parameter) -> object:
    return 0 if parameter.annotation in ("int", int) else "{}"


def _shapes(module: ModuleType) -> set[str]:
    """What the part's keys look like with every id left out: a Key's partition and sort key,
    an index partition. Bare partitions (``*_partition``) are left out: a service may keep its
    records in another's partition (evidence in the program's), with its own sort keys."""
    shapes = set()
    for name, value in _defined(module).items():
        if name.endswith("_INDEX_PK"):
            shapes.add(f"index {value}")
        elif inspect.isfunction(value) and not name.endswith("_partition"):
            function: Callable[..., object] = value
            parameters = inspect.signature(function).parameters.values()
            made = function(*(_placeholder(p) for p in parameters))
            if isinstance(made, dict) and set(made) == {"pk", "sk"}:
                shapes.add(f"key {made['pk']} {made['sk']}")
            elif name.endswith("_index_pk"):
                shapes.add(f"index {made}")
    return shapes


def test_every_key_part_is_importable_from_shared_keys() -> None:
    for part in KEY_PARTS.values():
        for name, value in _defined(part).items():
            assert getattr(shared.keys, name, None) is value, f"shared.keys.{name}"


def test_no_key_name_is_defined_by_two_services() -> None:
    defined = {name: _defined(part) for name, part in KEY_PARTS.items()}
    assert clashes(defined) == {}


def test_no_two_services_write_keys_of_the_same_shape() -> None:
    shapes = {name: _shapes(part) for name, part in KEY_PARTS.items()}
    assert "key CYCLE#{} CYCLE" in shapes["assessment"]  # the shapes are what they seem
    assert "index AFFILIATE#{}#PROGRAMS" in shapes["directory"]
    assert clashes(shapes) == {}
