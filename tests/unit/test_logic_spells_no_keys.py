"""Logic never spells a key, an index's key attribute or a condition expression.

Keys, index attributes and conditions belong to the records and their stores: the typed
records and store modules of each function (``functions/*/records.py``, ``functions/*/store.py``),
the shared ones (``shared/store/``, ``shared/keys/``, the consumers' inbox) and the table adapter
(``shared/adapters/``). Everything else (the use cases, jobs, consumers, handlers, and the pure
rules of ``shared/domain/``) asks them. This test fails when such a module compares or builds a
``pk``/``sk``, names an index attribute (``gsi1pk``...), writes a condition expression or builds
a ``Condition``: move that into the record's store instead. A second check keeps the modules
that no longer build keys (``shared.keys``) from starting again, and names those that still do.

Read from the parsed source (docstrings and comments may name keys; code may not).
"""

from __future__ import annotations

import ast
import functools
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

#: Where keys and conditions live: every other module of ``functions/`` and ``shared/`` is logic.
OWNERS = ("shared/store/", "shared/keys/", "shared/adapters/", "shared/consumers/inbox.py")
#: A module named so is a record's or a store's (``records.py``, ``store.py``, ``*_store.py``).
OWNER_SUFFIXES = ("records.py", "store.py")
#: Not scanned yet: the reports service (issue 22) was written alongside this guard, on other
#: branches; once merged, remove it from here and move what the test names into its stores.
NOT_YET: tuple[str, ...] = ()

#: The table's and its indexes' key attributes, and the index names.
KEY_NAMES = {"pk", "sk", "gsi1", "gsi1pk", "gsi1sk", "outbox_pending", "outbox-pending"}
#: What a condition or key-condition expression looks like, and DynamoDB's own names for them.
EXPRESSION = re.compile(
    r"attribute_(not_)?exists\s*\(|attribute_type\s*\(|begins_with\s*\("
    r"|#\w+\s*(=|<>|<|>|IN\b|BETWEEN\b)"
    r"|(Key)?ConditionExpression|ExpressionAttribute(Names|Values)"
)


def _logic_modules() -> list[Path]:
    sources = [p for d in ("functions", "shared") for p in sorted((ROOT / d).rglob("*.py"))]
    return [
        p
        for p in sources
        if not str(p.relative_to(ROOT)).startswith((*OWNERS, *NOT_YET))
        and not p.name.endswith(OWNER_SUFFIXES)
    ]


@functools.cache
def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(), filename=str(path))


def _docstrings(tree: ast.Module) -> set[int]:
    """The ids of the string constants that are docstrings (they may name anything)."""
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def spelled(source: str, filename: str = "<source>") -> list[str]:
    """What a module spells that belongs to a store: ``line: what`` for each."""
    tree = ast.parse(source, filename=filename)
    docstrings = _docstrings(tree)
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if id(node) in docstrings:
                continue
            if node.value in KEY_NAMES:
                found.append(f"{node.lineno}: the key attribute {node.value!r}")
            elif EXPRESSION.search(node.value):
                found.append(f"{node.lineno}: the expression {node.value!r}")
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name == "Condition":
                found.append(f"{node.lineno}: a Condition built")
        elif isinstance(node, ast.keyword) and node.arg in {
            "ConditionExpression",
            "KeyConditionExpression",
        }:
            found.append(f"{node.value.lineno}: the argument {node.arg}")
    return found


@pytest.mark.parametrize("path", _logic_modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_logic_spells_no_key_and_no_condition(path: Path) -> None:
    found = spelled(path.read_text(), str(path))
    assert not found, f"{path.relative_to(ROOT)} spells what its store owns:\n" + "\n".join(found)


def test_the_scan_covers_the_use_cases_and_leaves_the_stores() -> None:
    scanned = {str(p.relative_to(ROOT)) for p in _logic_modules()}
    for logic in (
        "functions/assessment/logic.py",
        "functions/plan/logic.py",
        "functions/review/logic.py",
        "functions/badge/logic.py",
        "functions/badge/issuer.py",
        "functions/badge/listing.py",
        "functions/notify/reminder_job.py",
        "functions/outbox/logic.py",
        "shared/domain/cycle_states.py",
    ):
        assert logic in scanned
    for owner in (
        "functions/plan/store.py",
        "functions/badge/records.py",
        "shared/store/cycles.py",
    ):
        assert owner not in scanned


#: Modules outside the stores that still build keys with ``shared.keys`` (work left from issue
#: 21 item 1). The list only shrinks: a module that stops building keys must leave it, and no
#: other module may start.
STILL_BUILDING_KEYS = {
    "functions/badge/listing.py",
}


def _imports_keys(tree: ast.Module) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module is not None:
            if node.module.startswith("shared.keys"):
                return True
            if node.module == "shared" and any(a.name == "keys" for a in node.names):
                return True
        if isinstance(node, ast.Import) and any(
            a.name.startswith("shared.keys") for a in node.names
        ):
            return True
    return False


def test_only_the_listed_modules_still_build_keys() -> None:
    building = {str(p.relative_to(ROOT)) for p in _logic_modules() if _imports_keys(_tree(p))}
    assert building - STILL_BUILDING_KEYS == set(), "build keys in the record's store instead"
    assert STILL_BUILDING_KEYS - building == set(), "no longer builds keys: strike it off the list"


@pytest.mark.parametrize(
    "code",
    [
        'found = {(r["pk"], r["sk"]): r for r in items}',
        'uow.update_fields(key, set_values={"listed": False}, remove=["gsi1pk", "gsi1sk"])',
        'table.query_all(scope, index="gsi1")',
        'cond = Condition("#s = :s", {"#s": "state"}, {":s": state})',
        'client.put_item(Item=item, ConditionExpression="attribute_not_exists(pk)")',
        'expression = "attribute_exists(pk) AND #v = :v"',
        'where = "#state IN (:a, :b)"',
    ],
)
def test_what_spelling_a_key_or_a_condition_looks_like(code: str) -> None:
    assert spelled(code)


def test_docstrings_and_plain_words_are_not_keys() -> None:
    code = '''
def f(item):
    """Reads item["pk"] under attribute_exists(pk): a docstring may say so."""
    return item.get("state"), "a # sign = fine", f"{item}#{item}"
'''
    assert spelled(code) == []
