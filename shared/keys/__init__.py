"""Keys of the single table: typed prefixes, one function per record kind.

Tenant ids in keys come from the verified caller or a record it may see, never from a body.

Each service owns its keys in ``shared/keys/<service>.py``; the table's own (indexes, audit,
outbox) are in ``base.py``. This module assembles them, so callers keep writing
``keys.cycle(...)``: a new service adds its file and one star import below. A test
(tests/unit/test_registries.py) fails when two files define the same name or the same key
shape (the same partition and sort key prefixes, or index partition), which would make two
services' records collide.
"""

from __future__ import annotations

from shared.keys.aggregates import *  # noqa: F403
from shared.keys.assessment import *  # noqa: F403
from shared.keys.badge import *  # noqa: F403
from shared.keys.base import *  # noqa: F403
from shared.keys.consumers import *  # noqa: F403
from shared.keys.directory import *  # noqa: F403
from shared.keys.mail import *  # noqa: F403
from shared.keys.plan import *  # noqa: F403
from shared.keys.reminders import *  # noqa: F403
from shared.keys.review import *  # noqa: F403
