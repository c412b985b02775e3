"""The badge image: well-formed SVG whatever the names, statuses said plainly, long names cut
visibly, and the whole badge told to screen readers."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date

import pytest

from functions.badge.image import LEVEL_FILLS, LINE_CHARS, badge_svg, name_lines
from functions.badge.rules import BadgeStatus, Level
from functions.badge.view import BadgeView

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = "<script>alert('x')</script> & \"Friends\" <b>"


def view(program_name: str = "Big Friends of the Valley", level: Level = Level.STEP_1) -> BadgeView:
    return BadgeView(
        badge_id="bdg_0123456789abcdef0123",
        level=level,
        program_id="prg_42",
        program_name=program_name,
        affiliate_id="aff_7",
        affiliate_name="MENTOR Valley",
        affiliate_url=None,
        issued=date(2026, 11, 23),
        valid_until=date(2029, 11, 20),
        base_url="https://api.nqms.example",
    )


def parse(svg: str) -> ET.Element:
    # The document is the code under test, not input from outside; a parse error fails the test.
    return ET.fromstring(svg)  # noqa: S314


def texts(svg: str) -> list[str]:
    root = parse(svg)
    return [element.text or "" for element in root.iter(f"{SVG}text")]


def test_an_active_badge_shows_its_level_program_and_date() -> None:
    svg = badge_svg(view(level=Level.STEP_2), BadgeStatus.ACTIVE)
    root = parse(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("width") == "360"  # fits a 390 px phone screen with margins
    assert texts(svg) == [
        "STEP",
        "2",
        "Progressing in NQMS",
        "Big Friends of the Valley",
        "Valid until 20 November 2029",
    ]


def test_step_1_and_step_2_differ_at_a_glance() -> None:
    """Each level has its own colour and its step number in large type; a badge no longer
    valid is grey, still with its number, and its date is said in the past."""
    one, two = (parse(badge_svg(view(level=lv), BadgeStatus.ACTIVE)) for lv in Level)
    fills = [root.find(f"{SVG}rect").get("fill") for root in (one, two)]  # type: ignore[union-attr]
    assert fills[0] != fills[1]
    numbers = [
        next(t for t in root.iter(f"{SVG}text") if t.get("font-size") == "44").text
        for root in (one, two)
    ]
    assert numbers == ["1", "2"]
    revoked = badge_svg(view(level=Level.STEP_2), BadgeStatus.REVOKED)
    assert "2" in texts(revoked)
    assert "Was valid until 20 November 2029" in texts(revoked)
    assert "Step 2" in (parse(revoked).get("aria-label") or "")


@pytest.mark.parametrize(
    ("status", "words"),
    [
        (BadgeStatus.EXPIRED, "Expired"),
        (BadgeStatus.REVOKED, "Revoked"),
        (BadgeStatus.SUPERSEDED, "Superseded"),
        (BadgeStatus.RENEWAL_IN_PROGRESS, "Renewal in progress"),
    ],
)
def test_a_badge_not_simply_active_says_so_plainly(status: BadgeStatus, words: str) -> None:
    svg = badge_svg(view(), status)
    assert texts(svg)[-1] == words
    root = parse(svg)
    assert words in (root.get("aria-label") or "")
    # Valid (renewal in progress) keeps the badge's colour; the others turn grey.
    fill = root.find(f"{SVG}rect")
    assert fill is not None
    assert (fill.get("fill") == LEVEL_FILLS[Level.STEP_1]) == status.is_valid


def test_a_hostile_program_name_stays_text() -> None:
    svg = badge_svg(view(program_name=HOSTILE), BadgeStatus.ACTIVE)
    root = parse(svg)  # still well-formed
    assert {element.tag for element in root.iter()} == {
        f"{SVG}svg",
        f"{SVG}title",
        f"{SVG}rect",
        f"{SVG}circle",
        f"{SVG}text",
    }
    assert "<script>" not in svg
    shown = " ".join(texts(svg)[3:5])
    # the characters, as text (wrapped where the line ends)
    assert shown.replace(" ", "").startswith("<script>alert('x')</script>&")
    assert HOSTILE in (root.get("aria-label") or "")
    title = root.find(f"{SVG}title")
    assert title is not None
    assert HOSTILE in (title.text or "")


def test_control_characters_cannot_break_the_document() -> None:
    svg = badge_svg(view(program_name="Friends\x00 of\x1b the Valley"), BadgeStatus.ACTIVE)
    assert texts(svg)[3] == "Friends of the Valley"


def test_a_long_name_is_wrapped_on_two_lines_and_cut_with_an_ellipsis() -> None:
    name = "Big Brothers Big Sisters of the Greater Rio Grande Valley Partnership for Youth"
    lines = name_lines(name)
    assert len(lines) == 2
    assert all(len(line) <= LINE_CHARS for line in lines)
    assert lines[0] == "Big Brothers Big Sisters"
    assert lines[1].endswith("\u2026")
    svg = badge_svg(view(program_name=name), BadgeStatus.ACTIVE)
    assert texts(svg)[3:5] == lines
    assert name in (parse(svg).get("aria-label") or "")  # the whole name, for readers


def test_a_name_that_fits_is_not_cut() -> None:
    assert name_lines("Friends of the Valley Mentoring Program") == [
        "Friends of the Valley",
        "Mentoring Program",
    ]
    assert name_lines("x" * 100)[1] == "x" * (LINE_CHARS - 1) + "\u2026"
