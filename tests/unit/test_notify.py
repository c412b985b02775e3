"""The notifications table, its templates and its messages, without AWS."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from email import policy
from email.parser import BytesParser
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from jinja2 import meta, nodes

from functions.notify import bounces
from functions.notify.content import Facts, Links, Source
from functions.notify.messages import MESSAGES, event_types, kinds, optional_label
from functions.notify.recipients import Preferences
from functions.notify.render import environment, mime, render
from infra.local.template import load_template
from shared import keys
from shared.domain.calendar import Person, render_invite
from shared.events import CATALOGUE, Envelope
from shared.events.base import Actor

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)

VALUES: dict[str, Any] = {
    "download_url": "https://bucket.example/research-exports/rex_1/export.csv?X-Amz-Signature=s",
    "rows": 42,
    "export_id": "rex_1",
    "zone": ZoneInfo("America/Chicago"),
    "recipient_name": "Ana <script>alert(1)</script>",
    "affiliate": {"name": "MENTOR Virginia", "contact_email": "nqms@mentor-va.example"},
    "program_name": "Rich & <Co> Mentoring",
    "app_url": "https://app.example",
    "cycle_url": "https://app.example/cycles/cyc_1",
    "due_date": "2026-12-01",
    "comment": "Please attach <the policy>",
    "start": datetime(2026, 12, 8, 15, 0, tzinfo=UTC),
    "end": datetime(2026, 12, 8, 17, 0, tzinfo=UTC),
    "meeting_zone": "America/New_York",
    "place": "100 Main St",
    "online": False,
    "held": False,
    "review_date": "2026-12-08",
    "goal_count": 3,
    "goal": {"number": 2, "item_code": "B7", "target_date": "2027-05-01"},
    "level_name": "Initiated in NQMS",
    "valid_until": "2029-12-08",
    "days_left": 30,
    "verify_url": "https://api.example/verify/tok",
    "image_url": "https://api.example/badges/bdg_1/image.svg",
    "snippet": '<a href="https://api.example/verify/tok"><img src="x"></a>',
    "image_alt": "Initiated in NQMS: Rich & <Co> Mentoring. Verify this NQMS badge.",
    "image_size": (360, 200),
    "revoked_on": "2027-03-04",
    "reason": "The program <closed>.",
    "submitted_at": datetime(2026, 11, 2, 3, 30, tzinfo=UTC),
    "week_of": "2026-11-23",
    "assessments": [{"program_name": "P <1>", "due_date": "2026-11-01"}],
    "goals": [{"program_name": "P2", "number": 1, "item_code": "A1", "target_date": "2026-10-01"}],
    "new_account": True,
}


def readme_table() -> list[tuple[str, str, str, str]]:
    text = (ROOT / "docs" / "notifications.md").read_text(encoding="utf-8")  # moved from README
    section = text.split("# Notifications (email)", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    cells = [[c.strip() for c in row.strip("|").split("|")] for row in rows]
    return [(e.strip("`"), who, what, optional) for e, who, what, optional in cells]


def test_the_readme_carries_the_table_of_the_code() -> None:
    expected = [
        (
            m.event_type,
            m.audience.value,
            f"`{m.kind}`" + (" + `.ics`" if m.invite else ""),
            optional_label(m),
        )
        for m in MESSAGES
    ]
    assert readme_table() == expected


def test_the_rule_routes_exactly_the_events_of_the_table() -> None:
    template = load_template(region="us-east-1", account_id="123456789012", stack_name="t")
    pattern = template.source["Resources"]["NotifyRule"]["Properties"]["EventPattern"]

    assert pattern["detail-type"] == event_types()
    assert sorted(pattern["source"]) == sorted({CATALOGUE[e][0] for e in event_types()})


def test_the_issue_list_of_messages_is_covered() -> None:
    """Program staff: invitation to badge expired; affiliate staff: submitted, goal completed,
    badge expiring soon and the digest (issue 11)."""
    program = {m.kind for m in MESSAGES if m.audience.value in ("program staff", "invitee")}
    affiliate = {
        m.kind
        for m in MESSAGES
        if "staff" in m.audience.value and "program" not in m.audience.value
    }
    assert {
        "invitation",
        "cycle-opened",
        "assessment-returned",
        "meeting-scheduled",
        "meeting-rescheduled",
        "meeting-cancelled",
        "review-completed",
        "plan-finalized",
        "goal-sent-back",
        "badge-issued",
        "badge-expiring-soon",
        "badge-expired",
    } <= program
    assert affiliate == {
        "assessment-submitted",
        "goal-completed",
        "badge-expiring-soon",
        "overdue-digest",
    }


@pytest.mark.parametrize("kind", kinds())
def test_each_message_has_a_one_line_subject_and_escapes_user_text_in_html(kind: str) -> None:
    rendered = render(kind, VALUES)

    assert rendered.subject
    assert "\n" not in rendered.subject
    assert "<script>" not in rendered.html
    assert "&lt;script&gt;" in rendered.html
    assert "MENTOR Virginia" in rendered.text
    assert "nqms@mentor-va.example" in rendered.html
    assert "<script>" in rendered.text  # plain text is not HTML: shown as typed


def test_times_are_shown_in_the_recipients_zone() -> None:
    chicago = render("meeting-scheduled", VALUES).text
    tokyo = render("meeting-scheduled", VALUES | {"zone": ZoneInfo("Asia/Tokyo")}).text

    assert "09:00 CST (America/Chicago)" in chicago
    assert "11:00 CST" in chicago
    assert "Wednesday 09 December 2026, 00:00 JST (Asia/Tokyo)" in tokyo


def test_the_badge_email_carries_the_link_and_the_snippet_to_paste() -> None:
    rendered = render("badge-issued", VALUES)

    assert "https://api.example/verify/tok" in rendered.text
    assert VALUES["snippet"] in rendered.text
    assert "&lt;a href=&#34;https://api.example/verify/tok&#34;&gt;" in rendered.html
    assert "valid until 8 December 2029" in rendered.text  # as people write dates


def test_the_badge_email_shows_the_image_a_button_and_a_snippet_that_wraps() -> None:
    from html.parser import HTMLParser

    class Reader(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.open: list[tuple[str, dict[str, str | None]]] = []
            self.shown: list[str] = []  # text a reader sees, outside the snippet's block
            self.in_pre = False

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            self.open.append((tag, dict(attrs)))
            self.in_pre = self.in_pre or tag == "pre"

        def handle_endtag(self, tag: str) -> None:
            self.in_pre = self.in_pre and tag != "pre"

        def handle_data(self, data: str) -> None:
            if not self.in_pre:
                self.shown.append(data)

    reader = Reader()
    reader.feed(render("badge-issued", VALUES).html)
    tags = reader.open
    images = [a for tag, a in tags if tag == "img"]
    assert [(i["src"], i["width"]) for i in images] == [(VALUES["image_url"], "360")]
    assert "max-width: 100%" in (images[0]["style"] or "")
    button = next(a for tag, a in tags if tag == "a" and a.get("href") == VALUES["verify_url"])
    assert "display: inline-block" in (button["style"] or "")
    shown = " ".join(reader.shown)
    assert "Open the badge's verification page" in shown
    assert VALUES["verify_url"] not in shown  # a button, not the raw link
    pre = next(a for tag, a in tags if tag == "pre")
    assert "white-space: pre-wrap" in (pre["style"] or "")
    assert "valid until 8 December 2029" in shown


@pytest.mark.parametrize("kind", ["badge-expired", "badge-expiring-soon"])
def test_the_expiry_emails_give_the_badges_valid_until_date(kind: str) -> None:
    rendered = render(kind, VALUES)
    assert "valid until 8 December 2029" in rendered.text
    assert "2029-12-08" not in rendered.text + rendered.subject


def test_the_revocation_email_says_when_and_why() -> None:
    rendered = render("badge-revoked", VALUES)
    assert "was revoked on 4 March 2027" in rendered.text
    assert "The reason given: The program <closed>." in rendered.text
    assert "The program &lt;closed&gt;." in rendered.html


def test_a_meeting_email_is_text_html_and_an_invite_a_calendar_reads() -> None:
    meeting = _Meeting()
    calendar = render_invite(
        meeting,
        program_name="Rich Mentoring",
        organizer=Person("notifications@nqms.example.org", "NQMS review"),
        attendees=[Person("ana@rich.example", "Ana")],
        now=NOW,
    )
    raw = mime(
        render("meeting-rescheduled", VALUES),
        sender="notifications@nqms.example.org",
        recipient="ana@rich.example",
        recipient_name="Ana",
        reply_to="nqms@mentor-va.example",
        kind="meeting-rescheduled",
        event_id="evt-1",
        invite=(calendar, "REQUEST"),
    )

    message = BytesParser(policy=policy.default).parsebytes(raw)
    parts = {part.get_content_type(): part for part in message.walk()}
    assert message.get_content_type() == "multipart/mixed"
    assert {"text/plain", "text/html", "text/calendar"} <= set(parts)
    assert parts["text/calendar"].get_param("method") == "REQUEST"
    ics = Calendar.from_ical(parts["text/calendar"].get_content())
    [event] = ics.walk("VEVENT")
    assert (str(event["UID"]), int(event["SEQUENCE"])) == ("rm-cyc_1@nqms.example", 3)
    assert str(event["ORGANIZER"]) == "mailto:notifications@nqms.example.org"
    assert raw.isascii()  # quoted-printable: any relay takes it


class _Meeting:
    uid, sequence, status, time_zone = "rm-cyc_1@nqms.example", 3, "scheduled", "America/New_York"
    start = datetime(2026, 12, 8, 15, 0, tzinfo=UTC)
    end = datetime(2026, 12, 8, 17, 0, tzinfo=UTC)
    mode, address, link, agenda = "in_person", "100 Main St", None, None
    local_start = start.astimezone(ZoneInfo(time_zone))
    local_end = end.astimezone(ZoneInfo(time_zone))


def test_reminders_are_on_and_the_digest_off_until_someone_chooses() -> None:
    nobody = Preferences.of(None)
    chose = Preferences.of({"reminders": False, "digest": True, "time_zone": "Asia/Tokyo"})

    assert (nobody.reminders, nobody.digest, nobody.time_zone) == (True, False, None)
    assert (chose.reminders, chose.digest, chose.time_zone) == (False, True, "Asia/Tokyo")


def _ses(detail_type: str, detail: dict[str, Any]) -> bounces.SesEvent:
    body = {"source": "aws.ses", "detail-type": detail_type, "detail": detail}
    return bounces.SesEvent.of(json.dumps(body))


def test_permanent_bounces_and_complaints_suppress_transient_bounces_do_not() -> None:
    bounce = {
        "bounce": {"bounceType": "Permanent", "bouncedRecipients": [{"emailAddress": "a@x.org"}]}
    }
    soft = {
        "bounce": {"bounceType": "Transient", "bouncedRecipients": [{"emailAddress": "b@x.org"}]}
    }
    complaint = {"complaint": {"complainedRecipients": [{"emailAddress": "c@x.org"}]}}

    assert bounces.suppressions_of(_ses("Email Bounced", bounce)) == [("a@x.org", "bounce")]
    assert bounces.suppressions_of(_ses("Email Bounced", soft)) == []
    assert bounces.suppressions_of(_ses("Email Complaint Received", complaint)) == [
        ("c@x.org", "complaint")
    ]
    with pytest.raises(ValueError, match="not an SES bounce"):
        bounces.suppressions_of(_ses("Email Delivered", {}))


def test_no_template_reads_plan_or_assessment_text() -> None:
    """Goals are shown by number and date: no template names a title, note or answer."""
    templates = ROOT / "functions" / "notify" / "templates"
    text = " ".join(p.read_text(encoding="utf-8") for p in templates.iterdir())
    assert not re.search(r"\b(title|notes?|answers?|internal_note|rating)\b\s*[|}]", text)


def test_a_saved_notification_is_never_taken_for_cognitos_invitation(tmp_path: Path) -> None:
    """`make token` reads the newest ``-invitation-`` file for a temporary password: our own
    welcome email (message ``invitation``, no password) lands beside it and must not hide it."""
    from infra.local.invitations import invitation_message, newest_invitation, save_message
    from infra.local.mailbox import eml_name

    cognito = invitation_message("ana@x.org", "ana", "Tmp-Pass-123", "Invited", "{####}")
    save_message(tmp_path, cognito, "invitation")
    raw = mime(
        render("invitation", VALUES),
        sender="notifications@nqms.example.org",
        recipient="ana@x.org",
        recipient_name="Ana",
        reply_to=None,
        kind="invitation",
        event_id="evt-1",
    ).decode()
    name = eml_name(raw, "ana@x.org")
    (tmp_path / name).write_text(raw, encoding="utf-8")

    found = newest_invitation(tmp_path, "ana@x.org")
    assert name.endswith("-notify.invitation.ana@x.org.eml")
    assert found is not None
    assert "Tmp-Pass-123" in found.body


class _Records:
    """The few records a content builder reads, by key (no AWS)."""

    def __init__(self, records: list[dict[str, Any]]) -> None:
        self.records = {(str(r["pk"]), str(r["sk"])): r for r in records}

    def get(self, key: dict[str, str]) -> dict[str, Any] | None:
        return self.records.get((key["pk"], key["sk"]))

    def batch_get(self, keys_: list[dict[str, str]]) -> list[dict[str, Any]]:
        return [r for r in (self.get(k) for k in keys_) if r is not None]


#: What every message about a program shows (gathered before its builder, or per recipient).
COMMON = {"program_name", "app_url", "due_date", "cycle_url", "zone", "recipient_name", "affiliate"}
EVENT_DATA: dict[str, object] = {
    "export_id": "rex_1",
    "requested_by": "usr_1",
    "cycle_id": "cyc_1",
    "program_id": "prg_1",
    "badge_id": "bdg_1",
    "goal_id": "gol_1",
    "goal_ids": ["gol_1"],
    "due_date": "2026-12-01",
    "review_date": "2026-12-08",
    "valid_until": "2029-12-08",
    "days_left": 30,
    "uid": "review-cyc_1@nqms.example",
    "sequence": 0,
    "start": "2026-12-08T15:00:00Z",
    "returned_at": "2026-11-20T10:00:00Z",
    "affiliate_id": "aff_1",
    "week_of": "2026-11-23",
    "cycle_ids": ["cyc_1"],
    "goals": [{"cycle_id": "cyc_1", "goal_id": "gol_1"}],
    "user_id": "u1",
    "scope": "program",
    "scope_id": "prg_1",
    "new_user": True,
    # The rest of what the events carry (each event reads its own fields, typed).
    "affiliate_ids": ["aff_1"],
    "completed_by": "u1",
    "end": "2026-12-08T17:00:00Z",
    "finalized_by": "u1",
    "instrument_key": "nqms",
    "instrument_version": 1,
    "invitation_id": "inv_1",
    "item_key": "b7",
    "level": "step1",
    "meeting_uid": "review-cyc_1@nqms.example",
    "previous_cycle_id": None,
    "readiness_overridden": False,
    "returned_by": "u1",
    "revoked_by": "u1",
    "role": "program-staff",
    "sent_back_by": "u1",
    "submitted_by": "u1",
    "time_zone": "America/New_York",
}


def _event_data(event_type: str) -> dict[str, object]:
    """The fields of ``EVENT_DATA`` that ``event_type``'s model carries."""
    fields = CATALOGUE[event_type][1].model_fields
    return {name: value for name, value in EVENT_DATA.items() if name in fields}


def _table() -> Any:
    def record(key: dict[str, str], **fields: object) -> dict[str, Any]:
        return {**key, **fields}

    return _Records(
        [
            record(keys.program("prg_1"), program_id="prg_1", name="Rich Mentoring"),
            record(
                keys.cycle("cyc_1"),
                cycle_id="cyc_1",
                program_id="prg_1",
                due_date="2026-12-01",
                return_comment="Attach the policy",
                state="open",
            ),
            record(
                keys.badge("bdg_1"),
                badge_id="bdg_1",
                level="step1",
                valid_until="2029-12-08",
                verify_token="tok",
                program_name="Rich Mentoring",
                revoked_at="2027-03-04T00:00:00Z",
                revoked_reason="Closed",
            ),
            record(
                keys.review_meeting_version("cyc_1", 0),
                uid="review-cyc_1@nqms.example",
                sequence=0,
                start="2026-12-08T15:00:00Z",
                end="2026-12-08T17:00:00Z",
                time_zone="America/New_York",
                mode="in_person",
                address="100 Main St",
            ),
            record(keys.plan_goal("cyc_1", "gol_1"), item_code="B7", target_date="2027-05-01"),
            record(keys.plan_goal_set("cyc_1"), active=["gol_1"]),
        ]
    )


def _template_names(kind: str) -> set[str]:
    env = environment()
    names: set[str] = set()
    for extension in ("txt", "html"):
        assert env.loader is not None
        source = env.loader.get_source(env, f"{kind}.{extension}")[0]
        parsed = env.parse(source)
        imported = {node.target for node in parsed.find_all(nodes.Import)}
        names |= meta.find_undeclared_variables(parsed) - imported
    return names


@pytest.mark.parametrize("message", MESSAGES, ids=lambda m: f"{m.event_type}-{m.audience.name}")
def test_each_message_has_its_own_content_builder_that_fills_its_templates(
    message: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The table names, for every message, the builder of what its templates show: whatever a
    template names beyond what every message shows, the message's own builder provides."""
    from functions.notify import content

    # The research export's link is presigned by S3's client: no AWS here.
    monkeypatch.setattr(content, "presigned_get", lambda bucket, key, *_: f"https://s3/{key}")
    event = Envelope(
        event_id="evt-1",
        event_type=message.event_type,
        occurred_at="2026-11-23T12:00:00Z",
        correlation_id="c-1",
        actor=Actor(kind="system"),
        program_id="prg_1",
        cycle_id="cyc_1",
        data=_event_data(message.event_type),
    )
    table = _table()
    cycle = table.get(keys.cycle("cyc_1"))
    facts = Facts([], {})
    links = Links("https://app.example", "https://api.example")
    message.content(Source(table, event, links, facts, cycle))
    wanted = _template_names(message.kind) - COMMON
    assert wanted <= set(facts.values), (message.kind, wanted - set(facts.values))
