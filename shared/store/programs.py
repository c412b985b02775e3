"""Reading a program as a tenant's object: every service that acts on a program starts here."""

from __future__ import annotations

from typing import Any

from shared import keys
from shared.access import relations_to_program
from shared.adapters.table import Table
from shared.context import Context
from shared.errors import NotFound


def authorized_program(
    ctx: Context, table: Table, program_id: str | None, *, what: str = "Program"
) -> dict[str, Any]:
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
    return item
