"""A program's public name, and every copy of it other services keep.

The name is copied where it is shown so that reading those needs no program record: the
cycles (and their review-queue entries) show it in the queue, the badges (and the partner
directory's listing records) on the verify page, the image, the emails and the directory.
A rename (``PATCH /programs/{programId}``) rewrites every copy in its own transaction, so no
page shows the old name once it has answered. Versioned records (cycles, badges) are
rewritten at the version read, so a concurrent change of one of them makes the rename a 409
rather than losing either; derived records follow the record they copy.
"""

from __future__ import annotations

from typing import Any

from shared import keys
from shared.adapters.table import Table, UnitOfWork


def listing_sort_key(program_name: str, program_id: str) -> str:
    """The partner directory's order: by name, case-insensitively (then the id, so equal
    names both show)."""
    return f"{program_name.casefold()}#{program_id}"


def rename_copies(table: Table, uow: UnitOfWork, program: dict[str, Any], name: str) -> None:
    """Add to ``uow`` the rewrite of every copy of ``program``'s name as ``name``."""
    program_id = str(program["program_id"])
    cycles = table.query_all(keys.cycles_of_program_index_pk(program_id), index=keys.GSI1)
    for cycle in cycles:
        if cycle.get("type") != "cycle":
            continue
        stored = table.require(keys.cycle(str(cycle["cycle_id"])), "Cycle")
        uow.replace(
            {**stored, "program_name": name},
            expected_version=int(stored["version"]),
            what="Cycle",
        )
        if stored.get("submitted_at"):  # queued once: it has an entry in each queue
            for scope in [*sorted(set(stored["affiliate_ids"])), keys.NATIONAL_QUEUE]:
                uow.update_fields(
                    keys.review_queue_entry(str(stored["cycle_id"]), scope),
                    set_values={"program_name": name},
                )
    for badge in table.query_all(keys.badges_of_program_index_pk(program_id), index=keys.GSI1):
        stored = table.require(keys.badge(str(badge["badge_id"])), "Badge")
        uow.replace(
            {**stored, "program_name": name},
            expected_version=int(stored["version"]),
            what="Badge",
        )
    for listing in table.query_all(keys.program_listing_partition(program_id)):
        shown: dict[str, Any] = {"program_name": name}
        if listing.get("listed"):
            shown["gsi1sk"] = listing_sort_key(name, program_id)
        uow.update_fields({"pk": listing["pk"], "sk": listing["sk"]}, set_values=shown)
