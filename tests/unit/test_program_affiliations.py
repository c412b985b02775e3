"""A program's affiliations are fixed at enrollment, so the copy each cycle keeps stays right.

Assessment authorizes an action on a cycle from the cycle's copy of its program's
``affiliate_ids`` (copied at openCycle; ``shared/store/cycles.py``). That is correct
only while nothing rewrites a program record after enrollment. This test fails when code
appears that builds or overwrites a program record anywhere else: such a change must also
rewrite the program's cycles (and the cached facts of ``shared/store/cycles.py``).
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [p for d in ("functions", "shared", "infra", "scripts") for p in (ROOT / d).rglob("*.py")]


@functools.cache
def _tree(path: Path) -> ast.Module:
    """A source parsed once per process: the checks below only read the trees."""
    return ast.parse(path.read_text(), filename=str(path))


def _calls(name: str) -> list[tuple[str, str, ast.Call, list[ast.AST]]]:
    """(file, enclosing function, call, ancestors) for each call of a function called name."""
    found = []
    for path in SOURCES:
        tree = _tree(path)
        rel = str(path.relative_to(ROOT))

        def visit(node: ast.AST, ancestors: list[ast.AST], rel: str = rel) -> None:
            if isinstance(node, ast.Call):
                func = node.func
                called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                if called == name:
                    enclosing = [a.name for a in ancestors if isinstance(a, ast.FunctionDef)]
                    found.append((rel, enclosing[-1] if enclosing else "", node, ancestors))
            for child in ast.iter_child_nodes(node):
                visit(child, [*ancestors, node], rel)

        visit(tree, [])
    return found


def test_only_enrollment_writes_a_program_record_and_only_as_new() -> None:
    # the program record's key is spread into an item in one place: the record's builder
    builders = [
        (f, fn)
        for f, fn, _, ancestors in _calls("program")
        if ancestors and isinstance(ancestors[-1], ast.Dict)
    ]
    assert builders == [("functions/directory/records.py", "program_item")]
    # ... which only enrollment calls, as a create (conditional on the key being new)
    uses = _calls("program_item")
    assert [(f, fn) for f, fn, _, _ in uses] == [("functions/directory/logic.py", "enroll_program")]
    _, _, call, ancestors = uses[0]
    writer = ancestors[-1]
    assert isinstance(writer, ast.Call)
    assert isinstance(writer.func, ast.Attribute)
    assert writer.func.attr == "create"
    assert writer.args[0] is call


def test_no_update_expression_rewrites_affiliations() -> None:
    for path in SOURCES:
        for node in ast.walk(_tree(path)):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                text = node.value
                if any(w in text for w in ("SET ", "REMOVE ", "ADD ")):
                    assert "affiliate_ids" not in text, path


def test_affiliations_are_written_only_by_enrollment_and_the_cycle_copy() -> None:
    """An item written with ``affiliate_ids`` (say ``{**program, "affiliate_ids": ...}`` in a
    future updateProgram) must be one of these two; a new one must rewrite the cycles."""
    writers = set()
    for path in SOURCES:
        rel = str(path.relative_to(ROOT))
        tree = _tree(path)
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef):
                continue
            for node in ast.walk(function):
                keys = node.keys if isinstance(node, ast.Dict) else []
                if any(isinstance(k, ast.Constant) and k.value == "affiliate_ids" for k in keys):
                    writers.add((rel, function.name))
                targets = node.targets if isinstance(node, ast.Assign) else []
                for target in targets:
                    if isinstance(target, ast.Subscript) and (
                        isinstance(target.slice, ast.Constant)
                        and target.slice.value == "affiliate_ids"
                    ):
                        writers.add((rel, function.name))
    assert writers == {
        ("functions/directory/records.py", "program_item"),
        ("shared/store/cycles.py", "cycle_item"),
        # a pending invitation keeps the program's affiliates for the event sent on accept
        ("functions/directory/records.py", "invitation_item"),
        # a review-queue entry copies the cycle's copy, rewritten by every change of the cycle
        ("shared/store/review_queue.py", "entry_fields"),
        # a badge copies its cycle's copy when issued, to address its events (never changed)
        ("functions/badge/records.py", "badge_record"),
        # `make bench` only: synthetic badges in moto, built through badge_record above
        ("scripts/bench_badges.py", "badges_with_due_dates"),
    }
