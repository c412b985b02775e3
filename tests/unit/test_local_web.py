"""The local stack's web server: the bundle, the runtime configuration, the origin it adds."""

from __future__ import annotations

import json
import os
import urllib.request
from pathlib import Path

import pytest

from infra.local import web


@pytest.fixture
def site(tmp_path: Path) -> Path:
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text("<!doctype html><title>app</title>", encoding="utf-8")
    (dist / "assets" / "index-abc.js").write_text("console.log(1)", encoding="utf-8")
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "main.tsx").write_text("x", encoding="utf-8")
    return tmp_path


def _get(url: str) -> tuple[int, str, str]:
    with urllib.request.urlopen(url) as response:  # noqa: S310 - loopback test server
        body = response.read().decode()
        return response.status, response.headers["Content-Type"], body


def test_the_server_gives_the_config_the_bundle_and_the_app_for_client_routes(site: Path) -> None:
    config = web.runtime_config("http://api", "http://moto", "us-east-1", "pool", "client")
    server = web.WebServer("127.0.0.1", 0, lambda: config, web_dir=site)
    server.start()
    try:
        status, kind, body = _get(f"{server.url}/config.json")
        assert (status, kind) == (200, "application/json")
        assert json.loads(body)["cognitoEndpoint"] == "http://moto"
        assert "console.log" in _get(f"{server.url}/assets/index-abc.js")[2]
        # A client-side route (reload on an item page) gets the app, not a 404.
        assert "<title>app</title>" in _get(f"{server.url}/cycles/cyc_1/items/A1")[2]
    finally:
        server.stop()


def test_the_emails_link_to_the_served_app() -> None:
    assert web.app_parameters("http://127.0.0.1:41234") == {"AppUrl": "http://127.0.0.1:41234"}


def test_a_changed_source_needs_a_new_build(site: Path) -> None:
    assert web.needs_build(site)  # never built
    newest = max(p.stat().st_mtime_ns for p in web._source_files(site))
    (site / "dist" / web.BUILD_STAMP).write_text(str(newest), encoding="utf-8")
    assert not web.needs_build(site)
    (site / "src" / "main.tsx").write_text("changed", encoding="utf-8")

    os.utime(site / "src" / "main.tsx", ns=(newest + 10**9, newest + 10**9))
    assert web.needs_build(site)
