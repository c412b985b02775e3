"""What the verify endpoint shows a browser, and the snippet programs paste into their
website. Pure.

The page answers a link whose signature has already been checked, so it may call the badge
genuine; whether it is valid today is its status, said in words. It shows a partner's facts
only (``BadgeView``): nothing of the assessment or the plan. Every value goes through
``html.escape`` (Jinja2 is not a runtime dependency, and two small templates do not need it),
so a program called ``<script>`` shows those characters and runs nothing.
"""

from __future__ import annotations

from functions.badge.image import HEIGHT, WIDTH
from functions.badge.rules import BadgeStatus
from functions.badge.view import STATUS_WORDS, BadgeView
from shared.domain import badge_links
from shared.domain.badge_links import html_text, html_url, long_date

_VERDICTS: dict[BadgeStatus, str] = {
    BadgeStatus.ACTIVE: "This badge is genuine and valid.",
    BadgeStatus.RENEWAL_IN_PROGRESS: (
        "This badge is genuine and stays valid while the program renews it in a new cycle."
    ),
    BadgeStatus.EXPIRED: "This badge is genuine but has expired: it is no longer valid.",
    BadgeStatus.REVOKED: "This badge is genuine but was revoked: it is not valid.",
    BadgeStatus.SUPERSEDED: (
        "This badge is genuine but was replaced by a newer badge of the same program: "
        "it is no longer valid."
    ),
}

_STYLE = (
    "body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:40rem;padding:0 1rem;"
    "line-height:1.5;color:#1f1f1f}dt{font-weight:bold}dd{margin:0 0 .75rem}"
    ".valid{color:#0b6b2b}.invalid{color:#a50e0e}img{max-width:100%;height:auto}"
)


def alt_text(view: BadgeView) -> str:
    return badge_links.alt_text(view.level.display_name, view.program_name)


def verify_page(view: BadgeView, status: BadgeStatus, image_url: str) -> str:
    """The small accessible page for a browser (``text/html``) following a verify link."""
    facts = [
        ("Program", view.program_name),
        ("Affiliate", view.affiliate_name),
        ("Level", view.level.display_name),
        ("Issued", long_date(view.issued)),
        ("Valid until" if status.is_valid else "Was valid until", long_date(view.valid_until)),
        ("Status", STATUS_WORDS[status]),
    ]
    listed = "".join(
        f"<dt>{html_text(term)}</dt><dd>{html_text(value)}</dd>" for term, value in facts
    )
    tone = "valid" if status.is_valid else "invalid"
    title = f"{view.level.display_name}: {view.program_name}"
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html_text(title)} - NQMS badge</title><style>{_STYLE}</style></head>"
        f"<body><main><h1>{html_text(title)}</h1>"
        f'<p class="{tone}" role="status">{html_text(_VERDICTS[status])}</p>'
        f"<dl>{listed}</dl>"
        f'<img src="{html_url(image_url)}" alt="{html_text(alt_text(view))}" '
        f'width="{WIDTH}" height="{HEIGHT}">'
        "<p>Badges of the National Quality Mentoring System say where a mentoring program "
        "stands in MENTOR's quality improvement process. They are not a score, a "
        "certification or a ranking.</p></main></body></html>"
    )


#: What a browser is told of a link that is not a badge's: what happened, and what to do.
_NOT_VALID: dict[str, tuple[str, str]] = {
    "invalid": (
        "This badge link is not valid",
        "The link is incomplete or was changed after it was made, so it cannot show a badge. "
        "Links are often cut short when copied from an email or a document.",
    ),
    "not_found": (
        "This badge no longer exists",
        "The link is genuine, but the badge it names is no longer in NQMS.",
    ),
}


def invalid_link_page(kind: str) -> str:
    """The page for a browser whose verify link is malformed, altered or names an unknown key
    (``invalid``), or names a badge that is gone (``not_found``): plainly not a badge, and
    what to do. Nothing of the link is echoed back."""
    title, why = _NOT_VALID[kind]
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html_text(title)} - NQMS badge</title><style>{_STYLE}</style></head>"
        f'<body><main><h1>{html_text(title)}</h1><p class="invalid" role="alert">'
        "Do not rely on it as proof of an NQMS badge.</p>"
        f"<p>{html_text(why)}</p>"
        "<h2>What to do</h2><ul>"
        "<li>Open the badge from the program's own website, or copy the whole link again.</li>"
        "<li>Ask the program for its badge link: a genuine one opens a page that names the "
        "program, its badge and whether the badge is valid today.</li>"
        "</ul>"
        "<p>Badges of the National Quality Mentoring System say where a mentoring program "
        "stands in MENTOR's quality improvement process.</p></main></body></html>"
    )


def embed_snippet(view: BadgeView, verify_url: str, image_url: str) -> str:
    """The HTML a program pastes into its website (``shared.domain.badge_links.embed_snippet``)."""
    return badge_links.embed_snippet(verify_url, image_url, alt_text(view))
