"""The origins whose browsers may call the local API (CORS): the usual development servers',
and any added with ``make run CORS_ORIGINS=...`` (``--cors-origin``)."""

from __future__ import annotations

from urllib.parse import urlsplit

#: Ports of the usual web and mobile development servers (React/Next, Vite, others).
LOCAL_PORTS = (3000, 5173, 8080)
#: Origins a web or mobile client in development runs on, so that its browser may call the
#: local API (a deployment passes its own list as the template's ``AllowedOrigins``).
LOCAL_ORIGINS = tuple(
    f"http://{host}:{port}" for host in ("localhost", "127.0.0.1") for port in LOCAL_PORTS
)


class NotAnOrigin(ValueError):
    """Not an origin as a browser sends it."""


def parse_origin(text: str) -> str:
    """``http(s)://host[:port]`` exactly, no path or slash (what a browser's ``Origin`` is)."""
    parts = urlsplit(text)
    if (
        parts.scheme not in ("http", "https")
        or not parts.hostname
        or text != f"{parts.scheme}://{parts.netloc}"
    ):
        raise NotAnOrigin(
            f"{text!r} is not an origin: write it as a browser sends it, e.g. http://localhost:4200"
        )
    return text


def allowed_origins(extra: tuple[str, ...] = ()) -> list[str]:
    """The local stack's CORS origins: the usual development servers', then ``extra``
    (an Angular or Expo dev server, say), each once."""
    return list(dict.fromkeys((*LOCAL_ORIGINS, *extra)))


def describe(origins: list[str]) -> str:
    """The banner's words for ``origins``: the usual ones in short, the added ones in full."""
    added = [o for o in origins if o not in LOCAL_ORIGINS]
    usual = f"localhost and 127.0.0.1 on ports {', '.join(map(str, LOCAL_PORTS))}"
    return ", ".join([usual, *added])
