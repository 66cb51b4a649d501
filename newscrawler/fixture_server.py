"""A local HTTP server that serves the bundled fixture sites, for the demo and crawl tests.

URLs look like http://127.0.0.1:PORT/<real host>/<real path> (see HostMapMiddleware). A site
folder fixtures/<site>/ holds article pages (<name>.html, served at the path of the "url" in
<name>.expected.json) and a site/ tree with robots.txt, sitemaps, feeds and listings.
Every request is logged, so tests can assert what was fetched.

Files are served with an ETag and a Last-Modified header and answer conditional requests with
304. Faults can be injected per path (``server.faults[(host, path)] = Fault(...)``): a status
with headers (429 + Retry-After, 503, a redirect), a delay (slow pages, time-outs), for the
first N requests or for all of them.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

FIXTURES_DIR = Path(__file__).resolve().parent.parent / "fixtures"
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8", ".xml": "application/xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8", ".pdf": "application/pdf", ".gz": "application/x-gzip",
    ".json": "application/json", ".rss": "application/rss+xml; charset=utf-8",
}


@dataclass
class Fault:
    """An injected answer for one path: ``status``/``headers``/``body`` (None: serve the file as
    usual), after ``delay`` seconds, for the first ``times`` requests (None: every request)."""

    status: int | None = None
    headers: dict = field(default_factory=dict)
    body: bytes = b""
    delay: float = 0.0
    times: int | None = None
    hits: int = 0


@dataclass(frozen=True)
class LogEntry:
    host: str
    path: str
    status: int
    at: float  # time.monotonic() when the answer was sent
    received: float  # time.monotonic() when the request arrived
    headers: dict  # the request headers we care about (conditional requests)


@dataclass
class SiteFiles:
    """Where each (host, path) of the fixture sites comes from."""

    routes: dict[tuple[str, str], Path] = field(default_factory=dict)
    roots: dict[str, Path] = field(default_factory=dict)  # host -> site/ tree

    def add_site(self, folder: Path) -> list[str]:
        hosts: set[str] = set()
        for expected in sorted(folder.glob("*.expected.json")):
            html = expected.with_name(expected.name.removesuffix(".expected.json") + ".html")
            data = json.loads(expected.read_text(encoding="utf-8"))
            url = data.get("url")
            if not url or not html.exists():
                continue
            parts = urlsplit(url)
            hosts.add(parts.hostname)
            # a page addressed by its query (storypage.php?autono=N) is routed with it
            route = unquote(parts.path) + (f"?{parts.query}" if parts.query else "")
            self.routes[(parts.hostname, route)] = html
        site_root = folder / "site"
        if site_root.is_dir():
            hosts = hosts or {folder.name}  # a generated site: the folder is named by its host
            for host in hosts:
                self.roots[host] = site_root
        return sorted(hosts)

    def find(self, host: str, path: str, query: str = "") -> Path | None:
        path = unquote(path) or "/"
        hit = (self.routes.get((host, f"{path}?{query}")) if query else None) \
            or self.routes.get((host, path)) or self.routes.get((host, path.rstrip("/") + "/")) \
            or self.routes.get((host, path.rstrip("/")))
        if hit:
            return hit
        root = self.roots.get(host)
        if root is None:
            return None
        target = (root / path.lstrip("/")).resolve()
        if root.resolve() not in target.parents and target != root.resolve():
            return None
        if target.is_dir():
            for index in ("index.html", "index.xml"):
                if (target / index).exists():
                    return target / index
            return None
        return target if target.exists() else None


class _Server(ThreadingHTTPServer):
    # the default listen backlog (5) overflows when a crawl opens many connections at once:
    # the dropped SYNs are retried by the kernel after a second, stalling the crawl
    request_queue_size = 128


class FixtureServer:
    """ThreadingHTTPServer on 127.0.0.1 with a request log and optional latency."""

    def __init__(self, sites: list[Path] | None = None, *, latency: float = 0.0,
                 port: int = 0):
        self.files = SiteFiles()
        self.hosts: list[str] = []
        for folder in sites if sites is not None else default_sites():
            self.hosts.extend(self.files.add_site(folder))
        self.latency = latency
        self.log: list[tuple[str, str, int]] = []  # (host, path, status)
        self.entries: list[LogEntry] = []  # the same requests, with times and headers
        self._lock = threading.Lock()
        self.overrides: dict[tuple[str, str], tuple[int, dict, bytes]] = {}
        self.faults: dict[tuple[str, str], Fault] = {}
        self.httpd = _Server(("127.0.0.1", port), self._handler())
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def host_map(self) -> dict[str, str]:
        return {host: self.base_url for host in self.hosts}

    def start(self) -> FixtureServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self) -> FixtureServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def requests_for(self, host: str | None = None) -> list[str]:
        with self._lock:
            return [p for h, p, _ in self.log if host is None or h == host]

    def entries_for(self, host: str | None = None) -> list[LogEntry]:
        with self._lock:
            return [e for e in self.entries if host is None or e.host == host]

    def mark(self) -> int:
        """A position in the request log: pass it to ``since`` to see later requests only."""
        with self._lock:
            return len(self.entries)

    def since(self, mark: int, host: str | None = None) -> list[LogEntry]:
        with self._lock:
            return [e for e in self.entries[mark:] if host is None or e.host == host]

    def _fault(self, host: str, path: str) -> Fault | None:
        with self._lock:
            fault = self.faults.get((host, path))
            if fault is None or (fault.times is not None and fault.hits >= fault.times):
                return None
            fault.hits += 1
            return fault

    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:  # the request log replaces stderr noise
                pass

            def do_GET(self) -> None:  # noqa: N802 (http.server API)
                received = time.monotonic()
                host, _, rest = self.path.lstrip("/").partition("/")
                path, _, query = ("/" + rest).partition("?")
                fault = server._fault(host, path)
                delay = server.latency + (fault.delay if fault else 0.0)
                if delay:
                    time.sleep(delay)
                if fault is not None and fault.status is not None:
                    status, headers, body = fault.status, fault.headers, fault.body
                else:
                    status, headers, body = server._respond(host, path, self.headers, query)
                wanted = {k: self.headers[k] for k in ("If-None-Match", "If-Modified-Since",
                                                       "User-Agent") if self.headers.get(k)}
                with server._lock:
                    server.log.append((host, path, status))
                    server.entries.append(LogEntry(host, path, status, time.monotonic(),
                                                   received, wanted))
                try:
                    self.send_response(status)
                    for k, v in headers.items():
                        self.send_header(k, v)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a time-out test): nothing to tell it

        return Handler

    def _respond(self, host: str, path: str, request_headers=None,
                 query: str = "") -> tuple[int, dict, bytes]:
        if (host, path) in self.overrides:
            return self.overrides[(host, path)]
        found = self.files.find(host, path, query)
        if found is None:
            return 404, {"Content-Type": "text/html; charset=utf-8"}, \
                b"<html><body><h1>404 Not Found</h1></body></html>"
        ctype = CONTENT_TYPES.get(found.suffix, "application/octet-stream")
        try:
            body = found.read_bytes()
            mtime = found.stat().st_mtime
        except OSError:  # replaced while we read it (a test changing the site)
            return 503, {"Retry-After": "1"}, b""
        validators = {"ETag": '"' + hashlib.sha1(body).hexdigest()[:20] + '"',
                      "Last-Modified": formatdate(mtime, usegmt=True)}
        if request_headers is not None:
            etags = request_headers.get("If-None-Match")
            if etags and validators["ETag"] in [e.strip() for e in etags.split(",")]:
                return 304, validators, b""
        return 200, {"Content-Type": ctype, **validators}, body


def default_sites() -> list[Path]:
    """Every fixture site folder (article pages, and a served tree where there is one)."""
    return sorted(p for p in FIXTURES_DIR.iterdir() if p.is_dir() and not p.name.startswith("_"))
