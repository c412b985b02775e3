"""EventBridge targets get the whole event, as in AWS (pinned to moto 5.2.5).

moto 5.2.5 builds what a rule sends to its targets from ``EventTemplateParser``'s
``DEFAULT_EVENT_INPUT_TEMPLATE`` (moto/events/utils.py), which leaves out ``account``: every
event a queue or a dispatched function got from the local bus lacked a field that AWS always
sends, and that Powertools' ``EventBridgeModel`` (so ``shared.consumers``) requires, so a
consumer refused every event. :func:`install` puts ``account`` back (its path is already in
moto's ``DEFAULT_EVENT_INPUT_PATHS_MAP``). ``tests/unit/test_moto_events_pin.py`` fails when
a moto upgrade changes the template replaced here.
"""

from __future__ import annotations

from moto.events.utils import EventTemplateParser

#: moto's own template, as this module was written for it.
MOTO_TEMPLATE = (
    '{"id": "<id>", "time": <time>, "version": "0", "detail-type": "<detail-type>", '
    '"source": "<source>", "region": "<region>", "resources": <resources>, "detail": <detail>}'
)
#: The same, with ``account`` where AWS puts it.
TEMPLATE = (
    '{"id": "<id>", "time": <time>, "version": "0", "detail-type": "<detail-type>", '
    '"source": "<source>", "account": "<account>", "region": "<region>", '
    '"resources": <resources>, "detail": <detail>}'
)
#: What moto had when this module was first imported (before any install).
ORIGINAL_TEMPLATE: str = EventTemplateParser.DEFAULT_EVENT_INPUT_TEMPLATE


def install() -> None:
    """Send ``account`` with every event; repeating it changes nothing."""
    EventTemplateParser.DEFAULT_EVENT_INPUT_TEMPLATE = TEMPLATE
