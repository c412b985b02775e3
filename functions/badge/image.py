"""The badge as an SVG image: level, program name, valid-until, and its status in plain words
when it is not simply active. Pure.

The SVG is built as an element tree and serialised by ``xml.etree``, so every name is XML text
or an attribute value, escaped by the serialiser, never markup: a program called
``<script>`` shows those characters. Characters XML cannot carry at all (control characters)
are dropped. Long names are wrapped on two lines and cut with an ellipsis; the full name stays
in the ``<title>`` and ``aria-label`` that screen readers announce.
"""

from __future__ import annotations

import re
import textwrap
import xml.etree.ElementTree as ET

from functions.badge.rules import BadgeStatus, Level
from functions.badge.view import STATUS_WORDS, BadgeView
from shared.domain.badge_links import IMAGE_HEIGHT, IMAGE_WIDTH, long_date

WIDTH, HEIGHT = IMAGE_WIDTH, IMAGE_HEIGHT
#: Characters of the program name per line at 15px in a sans-serif font within the text column.
LINE_CHARS = 26
NAME_LINES = 2
#: Each level its own colour and its step number in a disc at the left, so Step 1 and Step 2
#: differ at a glance (and in greyscale: the number); a badge no longer valid turns grey.
LEVEL_FILLS = {Level.STEP_1: "#1d4e89", Level.STEP_2: "#0b6b3a"}
_INVALID_FILL = "#5f6368"
_TEXT_X = 122  # the text column, right of the step disc
# XML 1.0 allows tab, newline, carriage return and everything from U+0020 but the surrogates
# and U+FFFE/U+FFFF; anything else would make the document unparseable.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """``text`` with what XML cannot carry removed (escaping is the serialiser's job)."""
    return _NOT_XML.sub("", text)


def name_lines(name: str, width: int = LINE_CHARS, lines: int = NAME_LINES) -> list[str]:
    """The name wrapped to ``lines`` lines of at most ``width`` characters; what does not fit
    is cut, and the cut marked with an ellipsis."""
    words = " ".join(xml_text(name).split())
    wrapped = textwrap.wrap(words, width=width) or [""]
    if len(wrapped) <= lines:
        return wrapped
    kept = wrapped[:lines]
    kept[-1] = kept[-1][: width - 1].rstrip() + "\u2026"
    return kept


def status_line(status: BadgeStatus) -> str | None:
    """What the image says of the status: nothing when active (the date says it), else the
    status in plain words."""
    return None if status is BadgeStatus.ACTIVE else STATUS_WORDS[status]


def step_number(level: Level) -> str:
    return {Level.STEP_1: "1", Level.STEP_2: "2"}[level]


def until_line(view: BadgeView, status: BadgeStatus) -> str:
    """ "Valid until ..." while the badge is valid; "Was valid until ..." once it is not."""
    words = "Valid until" if status.is_valid else "Was valid until"
    return f"{words} {long_date(view.valid_until)}"


def description(view: BadgeView, status: BadgeStatus) -> str:
    """The whole badge in one sentence: the title and label for screen readers."""
    return (
        f"Step {step_number(view.level)}, {view.level.display_name}: "
        f"{xml_text(view.program_name)}. {until_line(view, status)}. "
        f"Status: {STATUS_WORDS[status]}."
    )


def badge_svg(view: BadgeView, status: BadgeStatus) -> str:
    label = description(view, status)
    svg = ET.Element(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "width": str(WIDTH),
            "height": str(HEIGHT),
            "viewBox": f"0 0 {WIDTH} {HEIGHT}",
            "role": "img",
            "aria-label": label,
        },
    )
    ET.SubElement(svg, "title").text = label
    fill = LEVEL_FILLS[view.level] if status.is_valid else _INVALID_FILL
    ET.SubElement(
        svg,
        "rect",
        {"x": "0", "y": "0", "width": str(WIDTH), "height": str(HEIGHT), "rx": "16", "fill": fill},
    )
    # The step disc: white, the level's colour inside, "STEP" over a large number.
    ET.SubElement(svg, "circle", {"cx": "62", "cy": "96", "r": "46", "fill": "#ffffff"})

    def text(x: int, y: int, content: str, size: int, weight: str = "normal", **extra: str) -> None:
        ET.SubElement(
            svg,
            "text",
            {
                "x": str(x),
                "y": str(y),
                "font-family": "Helvetica, Arial, sans-serif",
                "font-size": str(size),
                "font-weight": weight,
                "fill": "#ffffff",
                **extra,
            },
        ).text = content

    middle = {"text-anchor": "middle", "fill": fill}
    text(62, 80, "STEP", 14, "bold", **middle)
    text(62, 122, step_number(view.level), 44, "bold", **middle)
    text(_TEXT_X, 44, view.level.display_name, 19, "bold")
    for index, line in enumerate(name_lines(view.program_name)):
        text(_TEXT_X, 76 + 21 * index, line, 15)
    text(_TEXT_X, 138, until_line(view, status), 13)
    words = status_line(status)
    if words is not None:
        text(_TEXT_X, 172, words, 18, "bold")
    return ET.tostring(svg, encoding="unicode")
