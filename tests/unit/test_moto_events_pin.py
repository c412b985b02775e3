"""What a rule sends to its targets locally: the whole event, ``account`` included."""

from __future__ import annotations

import json

from moto.events.utils import EventTemplateParser

from infra.local import moto_events


def test_the_template_replaced_is_the_one_moto_has() -> None:
    # When this fails, moto was upgraded: if its template has "account" now, drop the module.
    assert moto_events.ORIGINAL_TEMPLATE == moto_events.MOTO_TEMPLATE
    assert EventTemplateParser.DEFAULT_EVENT_INPUT_PATHS_MAP["account"] == "$.account"


def test_after_install_a_target_gets_every_field_of_the_event() -> None:
    event = {
        "version": "0",
        "id": "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
        "detail-type": "AffiliateCreated",
        "source": "nqms.directory",
        "account": "123456789012",
        "time": 1795000000,
        "region": "us-east-1",
        "resources": [],
        "detail": {"event_id": "e1"},
    }
    moto_events.install()

    sent = EventTemplateParser.parse(
        input_template=None, input_paths_map={}, event=event | {"ingestion-time": 1795000001}
    )

    assert json.loads(json.dumps(sent)) == event
