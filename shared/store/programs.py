"""A program in the table, typed, read as a tenant's object: every service that acts on a
program starts here (:func:`authorized_program`); a job or a consumer that acts on one the
caller was already authorized for (or on behalf of the system) reads it with :func:`read_program`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from shared import keys
from shared.access import relations_to_program
from shared.adapters.table import Table
from shared.context import Context
from shared.errors import NotFound


@dataclass(frozen=True)
class ProgramRecord:
    """A stored program, typed. ``item`` is the record as read: a change writes it back with
    its fields, and the directory's views show it."""

    program_id: str
    name: str
    primary_affiliate_id: str
    #: Every affiliate serving the program (the primary first): whose staff may see it.
    affiliate_ids: tuple[str, ...]
    matching_since: date
    version: int
    item: dict[str, Any] = field(repr=False, compare=False)

    @classmethod
    def from_item(cls, item: Mapping[str, Any]) -> ProgramRecord:
        return cls(
            program_id=str(item["program_id"]),
            name=str(item["name"]),
            primary_affiliate_id=str(item["primary_affiliate_id"]),
            affiliate_ids=tuple(str(a) for a in item["affiliate_ids"]),
            matching_since=date.fromisoformat(str(item["matching_since"])[:10]),
            version=int(item.get("version", 0)),
            item=dict(item),
        )


def read_program(table: Table, program_id: str, *, consistent: bool = True) -> ProgramRecord | None:
    """The program, without deciding access; None if there is none."""
    item = table.get(keys.program(program_id), consistent=consistent)
    return ProgramRecord.from_item(item) if item is not None else None


def require_program(table: Table, program_id: str) -> ProgramRecord:
    """The program, or 404 "Program not found." (access not decided: a job's read)."""
    program = read_program(table, program_id)
    if program is None:
        raise NotFound("Program not found.")
    return program


def authorized_program(
    ctx: Context, table: Table, program_id: str | None, *, what: str = "Program"
) -> ProgramRecord:
    """The program record, if the caller may perform this operation on it; else 403 or 404.

    403 when the caller may read the object but not do this (see ``shared.access``); missing
    and not-yours look the same (404). Which affiliates serve the program comes from the
    program record (``affiliate_ids``), never from the request. ``what`` names the object the
    caller asked for (a cycle of the program, say); with no ``program_id`` (that object does
    not exist) the answer is the same 404, after the same decision.
    """
    item = table.get(keys.program(program_id)) if program_id else None
    affiliates = item["affiliate_ids"] if item else []
    relations = relations_to_program(ctx.caller, program_id or "", affiliates)
    ctx.authorize(relations, what=what, exists=item is not None)
    if item is None:
        raise NotFound(f"{what} not found.")
    return ProgramRecord.from_item(item)


def programs_served_by(table: Table, affiliate_id: str) -> list[str]:
    """The ids of the programs the affiliate serves (primary or secondary), by name: one
    query of its programs' index partition."""
    found = table.query_all(keys.programs_of_affiliate_index_pk(affiliate_id), index=keys.GSI1)
    return [str(link["program_id"]) for link in found]
