"""Loopback ports of the local stack: a clear error when one is taken, and the moto server.

moto's own ``ThreadedMotoServer`` creates its werkzeug server inside its thread; when the
port is taken werkzeug prints "Port ... is in use" and calls ``sys.exit(1)`` there, which
ends only that thread, while ``start()`` waits without a timeout for a ready signal that
never comes (and Ctrl-C only sets a flag nobody reads). Here the socket is bound in the
caller's thread first, so a taken port is a :class:`PortInUse` at once, and werkzeug is
handed the bound socket.
"""

from __future__ import annotations

import errno
import socket
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from werkzeug.serving import BaseWSGIServer

#: The stack serves on loopback only.
HOST = "127.0.0.1"
#: How often a server's loop checks for shutdown: stopping waits at most this long.
SHUTDOWN_POLL_SECONDS = 0.1
_LISTEN_BACKLOG = 128


class PortInUse(RuntimeError):
    """Another program listens on a port the stack needs."""

    def __init__(self, host: str, port: int, what: str) -> None:
        super().__init__(f"port {port} on {host} ({what}) is already in use by another program")
        self.host = host
        self.port = port
        self.what = what


def bind(host: str, port: int, what: str) -> socket.socket:
    """A listening socket on ``host:port`` (0: any free port); PortInUse when it is taken."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        # As the servers themselves do: a port left in TIME_WAIT by a previous run is free.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(_LISTEN_BACKLOG)
    except OSError as exc:
        sock.close()
        if exc.errno in (errno.EADDRINUSE, errno.EACCES):
            raise PortInUse(host, port, what) from exc
        raise
    return sock


def ensure_free(host: str, port: int, what: str) -> None:
    """Fail before starting anything when ``port`` is taken (nothing to check for 0)."""
    if port:
        bind(host, port, what).close()


class MotoServer:
    """moto's server app on a loopback port, served by a daemon thread (what
    ``ThreadedMotoServer`` does, without its hang when the port is taken)."""

    def __init__(self, host: str, port: int) -> None:
        # Imported here: the port check and the CLI's other commands do without moto.
        from moto.moto_server.werkzeug_app import (
            DomainDispatcherApplication,
            MotoRequestHandler,
            create_backend_app,
        )
        from werkzeug.serving import make_server

        listening = bind(host, port, "moto, the emulated AWS")
        try:
            app = DomainDispatcherApplication(create_backend_app)
            self._server: BaseWSGIServer = make_server(
                host,
                port,
                app,
                threaded=True,
                request_handler=MotoRequestHandler,
                fd=listening.fileno(),
            )
        finally:
            listening.close()  # werkzeug holds its own duplicate of the socket
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": SHUTDOWN_POLL_SECONDS},
            name="moto-server",
            daemon=True,
        )

    def start(self) -> None:
        self._thread.start()

    def get_host_and_port(self) -> tuple[str, int]:
        host, port = self._server.server_address[:2]
        return str(host), int(port)

    def stop(self) -> None:
        if self._thread.is_alive():
            self._server.shutdown()
            self._thread.join(timeout=2)
        self._server.server_close()
