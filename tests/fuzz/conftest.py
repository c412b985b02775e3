"""The contract fuzzer runs against its own local stack, in its own pytest process.

It writes whatever the generated requests ask for (affiliates, cycles, answers...), so it must
not share a stack with the e2e tests, whose assertions assume the demo data.
"""

from __future__ import annotations

from tests.e2e.conftest import local

__all__ = ["local"]
