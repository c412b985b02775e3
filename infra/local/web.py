"""The web client (``web/``) served by the local stack on its own port, beside the API.

``make run`` builds the bundle when its sources changed (``npm ci`` when the lock file
changed, then ``vite build``) and serves ``web/dist`` on a loopback port, with the runtime
configuration (``/config.json``: the API's URL, the user pool, its app client, the Cognito
endpoint) made from the running stack. The app calls the API cross-origin, as in AWS, so the
web origin is added to the API's CORS allow-list (``--cors-origin``) before the stack starts.
"""

from __future__ import annotations

import json
import mimetypes
import os
import shutil
import subprocess
import threading
from collections.abc import Callable, Iterator
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from infra.local.servers import SHUTDOWN_POLL_SECONDS, bind

WEB_DIR = Path(__file__).resolve().parents[2] / "web"
#: The web client's default port: one of the origins the local API always allows.
DEFAULT_WEB_PORT = 5173
#: Marks a build: the newest source time it was built from (see :func:`needs_build`).
BUILD_STAMP = ".build-stamp"
_SOURCES = ("src", "public", "index.html", "vite.config.ts", "package-lock.json", "tsconfig.json")


class WebBuildFailed(RuntimeError):
    """npm or vite failed; the message says which command and where its output went."""


def _source_files(web_dir: Path) -> Iterator[Path]:
    for name in _SOURCES:
        path = web_dir / name
        if path.is_dir():
            yield from (p for p in path.rglob("*") if p.is_file())
        elif path.is_file():
            yield path


def needs_build(web_dir: Path = WEB_DIR) -> bool:
    """True when ``dist`` is missing or a source file changed since it was built."""
    stamp = web_dir / "dist" / BUILD_STAMP
    if not stamp.is_file():
        return True
    newest = max((p.stat().st_mtime_ns for p in _source_files(web_dir)), default=0)
    return stamp.read_text(encoding="utf-8").strip() != str(newest)


def build(web_dir: Path = WEB_DIR, say: Callable[[str], None] = print) -> None:
    """``npm ci`` (when node_modules is older than the lock file) and ``vite build``."""
    npm = shutil.which("npm")
    if npm is None:
        raise WebBuildFailed("npm is not installed: the web client needs Node 20.19+ (docs/web.md)")
    lock = web_dir / "package-lock.json"
    installed = web_dir / "node_modules" / ".package-lock.json"
    if not installed.is_file() or installed.stat().st_mtime_ns < lock.stat().st_mtime_ns:
        say("web: npm ci (first run or new dependencies)…")
        _run([npm, "ci", "--no-audit", "--no-fund"], web_dir)
    say("web: building the bundle (vite build)…")
    _run([npm, "run", "--silent", "build"], web_dir)
    newest = max((p.stat().st_mtime_ns for p in _source_files(web_dir)), default=0)
    (web_dir / "dist" / BUILD_STAMP).write_text(str(newest), encoding="utf-8")


def _run(command: list[str], cwd: Path) -> None:
    env_skip = {"PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD": "1"}
    done = subprocess.run(  # noqa: S603 - our own fixed commands
        command, cwd=cwd, capture_output=True, text=True, env={**os.environ, **env_skip}
    )
    if done.returncode != 0:
        tail = "\n".join((done.stdout + done.stderr).splitlines()[-30:])
        raise WebBuildFailed(f"`{' '.join(command[1:])}` failed in {cwd}:\n{tail}")


def app_parameters(web_url: str) -> dict[str, str]:
    """Template parameters for the served web client: ``AppUrl`` (the emails' links) is it."""
    return {"AppUrl": web_url}


def runtime_config(
    api_url: str, moto_url: str, region: str, pool: str, client: str
) -> dict[str, Any]:
    """What the app reads from ``/config.json`` (web/src/config/env.ts validates it)."""
    return {
        "apiUrl": api_url,
        "cognitoEndpoint": moto_url,
        "region": region,
        "userPoolId": pool,
        "userPoolClientId": client,
    }


class _Handler(SimpleHTTPRequestHandler):
    """Static files of the bundle; ``/config.json`` from the stack; any other path that is
    not a file is the app (client-side routes such as /cycles/…)."""

    def __init__(self, *args: Any, config: Callable[[], dict[str, Any]], **kwargs: Any) -> None:
        self._config = config
        super().__init__(*args, **kwargs)

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        if path == "/config.json":
            body = json.dumps(self._config()).encode()
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "application/json")
            self.send_header("Cache-Control", "no-store")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        target = Path(self.translate_path(path))
        if not target.is_file() and not path.startswith("/assets/"):
            self.path = "/index.html"
        super().do_GET()

    def end_headers(self) -> None:
        if self.path.startswith("/assets/"):
            self.send_header("Cache-Control", "public, max-age=31536000, immutable")
        else:
            self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        return


class WebServer:
    """``dist`` on ``host:port`` (0: any free port), served by a daemon thread."""

    def __init__(
        self, host: str, port: int, config: Callable[[], dict[str, Any]], web_dir: Path = WEB_DIR
    ) -> None:
        mimetypes.add_type("text/javascript", ".js")
        listening = bind(host, port, "the web client")
        handler = partial(_Handler, directory=str(web_dir / "dist"), config=config)
        self._server = ThreadingHTTPServer((host, port), handler, bind_and_activate=False)
        self._server.socket.close()
        self._server.socket = listening
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": SHUTDOWN_POLL_SECONDS},
            name="web-server",
            daemon=True,
        )

    @property
    def url(self) -> str:
        host, port = self._server.socket.getsockname()[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        if self._thread.is_alive():
            self._server.shutdown()
            self._thread.join(timeout=2)
        self._server.server_close()
