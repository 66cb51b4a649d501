"""Crawl-cluster test and bench support: a real redis-server on loopback, generated multi-host
sites, a fixture server whose log has each request's start and end time, and overlap counting.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from newscrawler.fixture_server import FixtureServer
from tests.sites import ROOT, TEST_SETTINGS, SyntheticSite


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def redis_server_path() -> str:
    """redis-server on PATH, or installed by scripts/ensure-redis.sh (apt-get)."""
    found = shutil.which("redis-server")
    if found:
        return found
    result = subprocess.run([str(ROOT / "scripts" / "ensure-redis.sh")], capture_output=True,
                            text=True, timeout=600)
    if result.returncode != 0:
        raise RuntimeError(f"cannot install redis-server: {result.stderr[-2000:]}")
    return result.stdout.strip().splitlines()[-1]


class RedisServer:
    """A throw-away redis-server on 127.0.0.1:<free port>, data in a temporary folder."""

    def __init__(self, workdir: Path):
        self.workdir = Path(workdir)
        self.port = free_port()
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> RedisServer:
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.proc = subprocess.Popen(
            [redis_server_path(), "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no", "--dir", str(self.workdir),
             "--protected-mode", "yes", "--loglevel", "warning"],
            stdout=open(self.workdir / "redis.log", "wb"), stderr=subprocess.STDOUT)
        import redis

        client = redis.Redis.from_url(self.url)
        deadline = time.monotonic() + 20
        while True:
            try:
                client.ping()
                break
            except redis.RedisError as exc:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("redis-server did not start: " + (
                        self.workdir / "redis.log").read_text(errors="replace")[-2000:]) from exc
                time.sleep(0.05)
        client.close()
        return self

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)


@dataclass(frozen=True)
class Timed:
    host: str
    path: str
    start: float
    end: float


class TimedFixtureServer(FixtureServer):
    """FixtureServer whose log also keeps when each request arrived and when its answer was
    ready, per host, with ``delay`` seconds of latency added to every answer.

    ``own_addresses``: each host is also served on a loopback address of its own (127.0.0.2,
    127.0.0.3, ...; all of 127.0.0.0/8 is the loopback interface on Linux), same port, so a
    client that is given the local URLs sees one distinct host per site.
    """

    def __init__(self, sites, *, delay: float = 0.0, own_addresses: bool = False, **kwargs):
        super().__init__(sites, **kwargs)
        # the handler writes the headers and the body in two sends: with Nagle's algorithm the
        # body waits for the client's delayed ACK, 40 ms more latency on every answer
        self.httpd.RequestHandlerClass.disable_nagle_algorithm = True
        self.delay = delay
        self.timed: list[Timed] = []
        self._timed_lock = threading.Lock()
        self.addresses: dict[str, str] = {}
        self.extra_servers = []
        if own_addresses:
            port = self.httpd.server_address[1]
            for i, host in enumerate(self.hosts):
                self.addresses[host] = f"127.0.0.{i + 2}"
                extra = type(self.httpd)((self.addresses[host], port),
                                         self.httpd.RequestHandlerClass)
                extra.daemon_threads = True
                self.extra_servers.append(extra)

    def host_map(self) -> dict[str, str]:
        port = self.httpd.server_address[1]
        return {host: f"http://{self.addresses[host]}:{port}" if host in self.addresses
                else self.base_url for host in self.hosts}

    def start(self) -> TimedFixtureServer:
        for extra in self.extra_servers:
            threading.Thread(target=extra.serve_forever, daemon=True).start()
        return super().start()

    def stop(self) -> None:
        for extra in self.extra_servers:
            extra.shutdown()
            extra.server_close()
        super().stop()

    def _respond(self, host, path, *args, **kwargs):  # FixtureServer's, whatever it takes
        start = time.monotonic()
        if self.delay:
            time.sleep(self.delay)
        answer = super()._respond(host, path, *args, **kwargs)
        with self._timed_lock:
            self.timed.append(Timed(host, path, start, time.monotonic()))
        return answer

    def max_concurrency(self) -> dict[str, int]:
        """Per host, the most requests that were being answered at the same moment."""
        with self._timed_lock:
            timed = list(self.timed)
        result: dict[str, int] = {}
        for host in {t.host for t in timed}:
            events = sorted([(t.start, 1) for t in timed if t.host == host]
                            + [(t.end, -1) for t in timed if t.host == host],
                            key=lambda e: (e[0], e[1]))  # an end before a start at one time
            current = peak = 0
            for _, step in events:
                current += step
                peak = max(peak, current)
            result[host] = peak
        return result


def make_sites(root: Path, hosts: int, per_host: int) -> list[SyntheticSite]:
    return [SyntheticSite(root, articles_count=per_host, host=f"www.khabar{i}.in").write()
            for i in range(hosts)]


def cluster_command(kind: str, server, frontier: str, db_url: str, *extra: str,
                    targets: list[str] | None = None, crawl_id: str = "test",
                    idle: float = 2.5, lease: float = 3.0) -> list[str]:
    cmd = [sys.executable, "-m", "newscrawler", kind, *(targets or []),
           "--frontier", frontier, "--db", db_url, "--crawl-id", crawl_id,
           "--idle-timeout", str(idle), "--lease-timeout", str(lease),
           "-s", "NEWSCRAWLER_HOST_MAP=" + json.dumps(server.host_map()), *TEST_SETTINGS,
           *extra]
    return cmd


def spawn(cmd: list[str], log: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(cmd, cwd=ROOT, stdout=open(log, "wb"), stderr=subprocess.STDOUT,
                            env=env, start_new_session=True)
