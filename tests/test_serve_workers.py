"""`wirecoder serve --workers N`: N processes on one port, each with its own app, replaced when one dies, all
stopped by SIGTERM."""

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from wirecoder.pipeline import make_article
from wirecoder.store import open_store

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads worker processes from /proc")

TEXT = ("Gunmen attacked a police post in Kandahar on Monday, killing two officers, a provincial spokesman "
        "said.")  # invented


def _children(pid: int) -> set[int]:
    return {int(c) for task in Path(f"/proc/{pid}/task").iterdir() for c in (task / "children").read_text().split()}


def _workers(pid: int) -> set[int]:
    """The server processes (multiprocessing's helper processes left out by their command line)."""
    return {c for c in _children(pid) if b"spawn_main" in Path(f"/proc/{c}/cmdline").read_bytes()}


def _get(port: int, path: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)  # a new connection each time
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def _until(check, timeout: float = 60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            result = check()
            if result:
                return result
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError("timed out")


@pytest.fixture(scope="module")
def server(tmp_path_factory, pipeline):
    db = str(tmp_path_factory.mktemp("workers") / "store.db")
    with open_store(db) as store:
        article = make_article(TEXT, id="kandahar-1", published="2024-05-06")
        store.save(article, pipeline(article), source="test:kandahar-1")
    process = subprocess.Popen(
        [sys.executable, "-m", "wirecoder", "serve", "--db", db, "--port", "0", "--workers", "2", "--max-page", "3"],
        stderr=subprocess.PIPE, text=True)
    line = process.stderr.readline()  # the address line, printed once the port is bound
    port = int(line.split("http://127.0.0.1:")[1].split("/")[0])
    yield process, port
    if process.poll() is None:
        process.kill()
        process.wait()


def test_serve_workers_share_a_port_and_replace_a_dead_one(server):
    process, port = server
    assert port > 0
    _until(lambda: _get(port, "/api/events")[0] == 200)
    workers = _until(lambda: len(_workers(process.pid)) == 2 and _workers(process.pid))
    # every process built its app from the command's options: the page limit is 3 in each
    answers = [_get(port, "/api/events?limit=3") for _ in range(20)] + [_get(port, "/api/events?limit=4")]
    assert [status for status, _ in answers] == [200] * 20 + [422]
    assert b"Kandahar" in answers[0][1]

    os.kill(min(workers), signal.SIGKILL)
    replaced = _until(lambda: len(_workers(process.pid) - workers) == 1 and _workers(process.pid))
    assert len(replaced) == 2 and min(workers) not in replaced
    _until(lambda: all(_get(port, "/api/events")[0] == 200 for _ in range(10)))

    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) == 0
    assert all(not Path(f"/proc/{pid}").exists() or b"zombie" in Path(f"/proc/{pid}/status").read_bytes().lower()
               for pid in replaced)


def test_serve_workers_refuse_a_taken_address(tmp_path):
    from click.testing import CliRunner

    from wirecoder.cli import main

    db = str(tmp_path / "store.db")
    open_store(db).close()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(main, ["serve", "--db", db, "--port", str(port), "--workers", "2"])
    assert result.exit_code == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.output
