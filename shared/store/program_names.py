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


def rename_copies(table: Table, uow: UnitOfWork, program_id: str, name: str) -> None:
    """Add to ``uow`` the rewrite of every copy of the program's name as ``name``.

    The index finds the program's cycles and badges; their current versions come in one
    consistent batch read (not one read each), and each is rewritten at the version read."""
    indexed = [
        *(
            keys.cycle(str(c["cycle_id"]))
            for c in table.query_all(keys.cycles_of_program_index_pk(program_id), index=keys.GSI1)
            if c.get("type") == "cycle"
        ),
        *(
            keys.badge(str(b["badge_id"]))
            for b in table.query_all(keys.badges_of_program_index_pk(program_id), index=keys.GSI1)
        ),
    ]
    for stored in table.batch_get(indexed):
        is_cycle = stored.get("type") == "cycle"
        uow.replace(
            {**stored, "program_name": name},
            expected_version=int(stored["version"]),
            what="Cycle" if is_cycle else "Badge",
        )
        if is_cycle and stored.get("submitted_at"):  # queued once: an entry in each queue
            for scope in [*sorted(set(stored["affiliate_ids"])), keys.NATIONAL_QUEUE]:
                uow.update_fields(
                    keys.review_queue_entry(str(stored["cycle_id"]), scope),
                    set_values={"program_name": name},
                )
    for listing in table.query_all(keys.program_listing_partition(program_id)):
        shown: dict[str, Any] = {"program_name": name}
        if listing.get("listed"):
            shown["gsi1sk"] = listing_sort_key(name, program_id)
        uow.update_fields({"pk": listing["pk"], "sk": listing["sk"]}, set_values=shown)
