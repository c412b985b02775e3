"""The verify page and the embed snippet: a partner's facts in words, and no way for a name
to become markup in either."""

from __future__ import annotations

from datetime import date
from html.parser import HTMLParser

import pytest

from functions.badge.page import embed_snippet, invalid_link_page, verify_page
from functions.badge.rules import BadgeStatus, Level
from functions.badge.view import BadgeView

HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)> & \"Kids\" 'R' Us"
IMAGE = "https://api.nqms.example/badges/bdg_0123456789abcdef0123/image.svg"
VERIFY = "https://api.nqms.example/verify/eyJhbGciOiJFUzI1NiJ9.eyJiaWQiOiJ4In0.c2ln"


def view(program_name: str = "Big Friends of the Valley", affiliate: str = "MENTOR Valley"):
    return BadgeView(
        badge_id="bdg_0123456789abcdef0123",
        level=Level.STEP_1,
        program_id="prg_42",
        program_name=program_name,
        affiliate_id="aff_7",
        affiliate_name=affiliate,
        affiliate_url=None,
        issued=date(2026, 11, 23),
        valid_until=date(2029, 11, 20),
        base_url="https://api.nqms.example",
    )


class Reading(HTMLParser):
    """What a browser would build: the elements with their attributes, and the text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def read(html: str) -> Reading:
    reading = Reading()
    reading.feed(html)
    reading.close()
    return reading


def facts(html: str) -> dict[str, str]:
    """The definition list, term to value."""
    body = html.split("<dl>")[1].split("</dl>")[0]
    texts = read(body).text
    return dict(zip(texts[0::2], texts[1::2], strict=True))


def test_the_page_lists_a_partners_facts_and_the_status_in_words() -> None:
    html = verify_page(view(), BadgeStatus.RENEWAL_IN_PROGRESS, IMAGE)
    assert html.startswith('<!doctype html><html lang="en">')
    assert facts(html) == {
        "Program": "Big Friends of the Valley",
        "Affiliate": "MENTOR Valley",
        "Level": "Initiated in NQMS",
        "Issued": "23 November 2026",
        "Valid until": "20 November 2029",
        "Status": "Renewal in progress",
    }
    reading = read(html)
    assert [tag for tag, _ in reading.tags].count("h1") == 1
    assert "Initiated in NQMS: Big Friends of the Valley" in reading.text
    assert "This badge is genuine and stays valid" in html


@pytest.mark.parametrize(
    ("status", "says"),
    [
        (BadgeStatus.ACTIVE, "genuine and valid."),
        (BadgeStatus.EXPIRED, "has expired: it is no longer valid."),
        (BadgeStatus.REVOKED, "was revoked: it is not valid."),
        (BadgeStatus.SUPERSEDED, "replaced by a newer badge"),
    ],
)
def test_the_page_says_whether_a_partner_may_rely_on_the_badge(
    status: BadgeStatus, says: str
) -> None:
    html = verify_page(view(), status, IMAGE)
    verdict = next(a for tag, a in read(html).tags if tag == "p" and a.get("role") == "status")
    assert verdict["class"] == ("valid" if status.is_valid else "invalid")
    assert says in html
    # A badge no longer valid "was valid until" its date; a valid one "is".
    until = "Valid until" if status.is_valid else "Was valid until"
    assert facts(html)[until] == "20 November 2029"


def test_a_hostile_name_cannot_inject_markup_into_the_page() -> None:
    html = verify_page(view(HOSTILE, affiliate=HOSTILE), BadgeStatus.ACTIVE, IMAGE)
    reading = read(html)
    tags = [tag for tag, _ in reading.tags]
    assert "script" not in tags
    assert tags.count("img") == 1  # only the badge image; the name's <img> is text
    image = next(a for tag, a in reading.tags if tag == "img")
    assert image["src"] == IMAGE
    assert "onerror" not in image
    assert image["alt"] == f"Initiated in NQMS: {HOSTILE}. Verify this NQMS badge."
    assert facts(html)["Program"] == HOSTILE
    assert facts(html)["Affiliate"] == HOSTILE


def test_the_embed_snippet_links_the_image_to_the_verify_page() -> None:
    reading = read(embed_snippet(view(), VERIFY, IMAGE))
    assert reading.tags == [
        ("a", {"href": VERIFY}),
        (
            "img",
            {
                "src": IMAGE,
                "alt": "Initiated in NQMS: Big Friends of the Valley. Verify this NQMS badge.",
                "width": "360",
                "height": "200",
            },
        ),
    ]


def test_a_hostile_name_cannot_inject_markup_into_the_snippet() -> None:
    snippet = embed_snippet(view(HOSTILE), VERIFY, IMAGE)
    reading = read(snippet)
    assert [tag for tag, _ in reading.tags] == ["a", "img"]
    assert reading.tags[1][1]["alt"] == f"Initiated in NQMS: {HOSTILE}. Verify this NQMS badge."
    assert reading.text == []


def test_only_web_links_go_into_an_attribute() -> None:
    with pytest.raises(ValueError, match="not an http"):
        embed_snippet(view(), "javascript:alert(1)", IMAGE)


def test_a_link_that_is_not_a_badge_gets_a_plain_page_that_says_what_to_do() -> None:
    html = invalid_link_page("invalid")
    reading = read(html)
    assert [tag for tag, _ in reading.tags].count("h1") == 1
    text = " ".join(reading.text)
    assert "This badge link is not valid" in text
    assert "What to do" in text
    assert "Ask the program for its badge link" in text
    assert "This badge no longer exists" in " ".join(read(invalid_link_page("not_found")).text)
