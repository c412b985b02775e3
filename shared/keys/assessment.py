"""Keys of the assessment service: cycles and their answers, instruments, evidence."""

from __future__ import annotations

from shared.keys.base import Key


def cycle(cycle_id: str) -> Key:
    """The cycle record; its answers share the partition, so one query reads both."""
    return {"pk": f"CYCLE#{cycle_id}", "sk": "CYCLE"}


def cycle_partition(cycle_id: str) -> str:
    return f"CYCLE#{cycle_id}"


ANSWER_PREFIX = "ANSWER#"


def answer(cycle_id: str, item_key: str) -> Key:
    return {"pk": f"CYCLE#{cycle_id}", "sk": ANSWER_PREFIX + item_key}


def current_cycle_guard(program_id: str) -> Key:
    """At most one current cycle per program: written in the transaction that opens one."""
    return {"pk": f"PROGRAM#{program_id}", "sk": "CURRENT_CYCLE"}


def cycles_of_program_index_pk(program_id: str) -> str:
    return f"PROGRAM#{program_id}#CYCLES"


def instrument_version(instrument_key: str, version: int) -> Key:
    return {"pk": f"INSTRUMENT#{instrument_key}", "sk": f"VERSION#{version:05d}"}


def instrument_partition(instrument_key: str) -> str:
    return f"INSTRUMENT#{instrument_key}"


# ---- evidence
EVIDENCE_PREFIX = "EVIDENCE#"


def evidence_partition(program_id: str) -> str:
    """Evidence documents live in their program's partition: one query lists them."""
    return f"PROGRAM#{program_id}"


def evidence(program_id: str, document_id: str) -> Key:
    return {"pk": evidence_partition(program_id), "sk": EVIDENCE_PREFIX + document_id}
