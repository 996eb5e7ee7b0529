"""`wirecoder serve --workers N`: N server processes on one address, kept running until the command is stopped.

Why not uvicorn's own `--workers`: there every process accepts from one shared socket, and the one that wakes
first takes every connection waiting (asyncio accepts up to 100 at once), so keep-alive clients that connect
together stay unevenly spread for as long as they are connected. Under bench/serve_load.py one process held 33
of the 50 clients (375 ms a request) while the other held 17 (205 ms), and the p99 was set by the crowded one.
On Linux each process here listens on a socket of its own, all bound to the same port with SO_REUSEPORT, and
the kernel spreads new connections over them by a hash of the client's address and port: even on average, if
not exactly (the 50 clients' mean latencies were 217-227 ms in that run, 128-184 ms in a worse one).
Elsewhere (no such balancing) the processes share one socket, as with uvicorn.

Each process builds its own app from the options (SQLite connections must not cross processes), in a fresh
interpreter (spawn, never fork). A process that dies is replaced; SIGINT or SIGTERM stops them all.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import socket
import sys
from multiprocessing.connection import wait

logger = logging.getLogger("wirecoder.serve")

SPREAD_BY_KERNEL = sys.platform.startswith("linux") and hasattr(socket, "SO_REUSEPORT")

# the status a process exits with when it cannot start (uvicorn's, which uses it for the same): then the next
# would fail too, so all stop instead of restarting it in a loop
STARTUP_FAILURE = 3


def _bind(host: str, port: int, reuse_port: bool) -> socket.socket:
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if reuse_port:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    return sock


def _worker(options: dict, host: str, port: int, shared: socket.socket | None) -> None:
    import uvicorn

    from .app import create_app

    try:
        app = create_app(**options)
        sock = shared or _bind(host, port, reuse_port=True)
    except Exception:
        logger.exception("server process %s cannot start", os.getpid())
        sys.exit(STARTUP_FAILURE)
    uvicorn.Server(uvicorn.Config(app, log_level="warning")).run(sockets=[sock])


def listen(host: str, port: int) -> socket.socket:
    """The address the processes will serve, bound now: a taken address fails here with one message, and port 0
    becomes the free port they all bind to. With SO_REUSEPORT this socket only holds the port (a socket that does
    not listen is given no connections); otherwise it is the one socket they share."""
    sock = _bind(host, port, reuse_port=SPREAD_BY_KERNEL)
    if not SPREAD_BY_KERNEL:
        sock.listen(2048)
    return sock


def run(options: dict, sock: socket.socket, workers: int) -> int:
    """Serve `create_app(**options)` from `workers` processes on the address of `sock` (from `listen`) until
    SIGINT or SIGTERM; returns the exit status: 0, or 1 when a process failed to start."""
    host, port = sock.getsockname()[:2]
    shared = None if SPREAD_BY_KERNEL else sock
    context = multiprocessing.get_context("spawn")
    stopping = False

    def start() -> multiprocessing.Process:
        process = context.Process(target=_worker, args=(options, host, port, shared))
        process.start()
        return process

    def stop(signum, frame) -> None:
        nonlocal stopping
        stopping = True

    previous = {s: signal.signal(s, stop) for s in (signal.SIGINT, signal.SIGTERM)}
    processes = [start() for _ in range(workers)]
    status = 0
    try:
        while not stopping:
            wait([p.sentinel for p in processes], timeout=0.5)
            for i, process in enumerate(processes):
                if process.is_alive() or stopping:
                    continue
                if process.exitcode == STARTUP_FAILURE:
                    logger.error("server process %s could not start: stopping", process.pid)
                    stopping, status = True, 1
                    break
                logger.warning("server process %s exited (status %s): starting another", process.pid,
                               process.exitcode)
                processes[i] = start()
    finally:
        for process in processes:
            if process.is_alive():
                process.terminate()  # SIGTERM: uvicorn finishes the requests in flight, then exits
        for process in processes:
            process.join(30)
            if process.is_alive():
                process.kill()
                process.join()
        for s, handler in previous.items():
            signal.signal(s, handler)
        sock.close()
    return status
