"""The command-line contract (DESIGN section 2): bad usage is one line on stderr and exit 2,
nothing is half done, and the exit codes are the documented ones. Through `main()`, the
function `python -m newscrawler` runs, except where a real crawl has to happen."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime

import pytest

from newscrawler.cli import main
from newscrawler.dates import IST
from newscrawler.store import open_store
from tests.conftest import FIXTURES, ROOT

NOW = datetime(2024, 12, 23, 16, 25, tzinfo=IST).isoformat()
PAGE = FIXTURES / "newsindia24" / "putin-letter-kim-jong-un.html"
OTHER_PAGE = FIXTURES / "newsindia24" / "cold-wave-north-india-schools.html"


@pytest.fixture(autouse=True)
def no_crawl(monkeypatch):
    """These runs must stop at the checks: starting a crawl (of the real site) fails the test."""
    def started(*args, **kwargs):
        raise AssertionError("a crawl was started")

    for where in ("newscrawler.runner.crawl", "newscrawler.demo.run_demo",
                  "newscrawler.cluster.run.run_cluster"):
        monkeypatch.setattr(where, started)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_line(err: str, *needles: str) -> None:
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err
    for needle in needles:
        assert needle in err, err


# ------------------------------------------------------------------------------ extract
def test_extract_unknown_site_is_bad_usage(capsys):
    code, out, err = run(capsys, "extract", PAGE, "--site", "nosuch")
    assert code == 2 and out == ""
    assert_one_line(err, "newscrawler extract: --site: unknown site 'nosuch'", "generic")


def test_extract_bad_fetched_at_is_bad_usage(capsys):
    code, out, err = run(capsys, "extract", PAGE, "--fetched-at", "yesterday")
    assert code == 2 and out == ""
    assert_one_line(err, "--fetched-at 'yesterday' is not an ISO 8601 time")


@pytest.mark.parametrize("url", ["not-a-url", "/world/story-1", "ftp://www.site.in/x", "http://"])
def test_extract_url_must_be_an_absolute_http_url(capsys, url):
    code, out, err = run(capsys, "extract", PAGE, "--url", url)
    assert code == 2 and out == ""
    assert_one_line(err, f"--url {url!r}", "absolute http(s) URL")


def test_extract_malformed_source_url_fails_like_any_source(capsys):
    code, out, err = run(capsys, "extract", "http://[::1", PAGE, "--fetched-at", NOW)
    assert code == 1
    assert_one_line(err, "newscrawler extract: http://[::1: cannot fetch it")
    (line,) = out.splitlines()  # the other SOURCE still prints
    assert json.loads(line)["site"] == "newsindia24"


def test_extract_text_puts_one_blank_line_between_articles(capsys):
    code, one, _ = run(capsys, "extract", PAGE, "--fetched-at", NOW, "--format", "text")
    assert code == 0 and one.endswith("ago\n") and not one.endswith("\n\n")  # unchanged
    code, other, _ = run(capsys, "extract", OTHER_PAGE, "--fetched-at", NOW, "--format", "text")
    code, both, _ = run(capsys, "extract", PAGE, OTHER_PAGE, "--fetched-at", NOW,
                        "--format", "text")
    assert code == 0
    assert both == one + "\n" + other


# ------------------------------------------------------------------------------ --db
def store_commands(db: str) -> list[list[str]]:
    """Every command that takes --db, as far as it gets before using the store."""
    return [["crawl", "newsindia24", "--db", db], ["export", "--db", db], ["runs", "--db", db],
            ["demo", "--db", db], ["worker", "--frontier", "redis://127.0.0.1:1/0", "--db", db]]


def bad_db_urls(tmp_path) -> dict[str, str]:
    a_file = tmp_path / "a-file"
    a_file.write_text("not a directory")
    return {
        "foo://bar": "unknown database URL scheme 'foo'",
        "sqlite:///": "no database path",
        str(tmp_path / "plain.db"): "not a database URL",
        f"sqlite:///{a_file}/x.db": "",  # its directory cannot be created
        f"sqlite:///{tmp_path}": "",  # a directory
    }


@pytest.mark.parametrize("command", ["crawl", "export", "runs", "demo", "worker"])
def test_bad_db_is_one_line_and_exit_2(capsys, tmp_path, command):
    for db, reason in bad_db_urls(tmp_path).items():
        argv = next(a for a in store_commands(db) if a[0] == command)
        code, out, err = run(capsys, *argv)
        assert code == 2, (db, err)
        assert_one_line(err, f"newscrawler {command}: --db {db}: ", reason)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]  # nothing was created


def test_postgresql_without_psycopg_is_bad_usage(capsys, monkeypatch):
    monkeypatch.setattr("newscrawler.store.postgres.psycopg", None)
    for argv in store_commands("postgresql://news:secret@127.0.0.1:1/news"):
        code, _, err = run(capsys, *argv)
        assert code == 2, err
        assert_one_line(err, f"newscrawler {argv[0]}: --db", "needs psycopg 3")


def test_postgresql_server_down_is_one_line_and_exit_1(capsys):
    for argv in store_commands("postgresql://news:secret@127.0.0.1:1/news"):
        code, _, err = run(capsys, *argv)
        assert code == 1, err
        assert_one_line(err, "--db postgresql://news:***@127.0.0.1:1/news: cannot connect to "
                             "PostgreSQL (", "Connection refused")
        assert "secret" not in err


@pytest.mark.parametrize("command", ["export", "runs"])
def test_read_only_commands_do_not_create_a_store(capsys, tmp_path, command):
    missing = tmp_path / "x" / "doesnotexist.db"
    code, out, err = run(capsys, command, "--db", f"sqlite:///{missing}")
    assert code == 2 and out == ""
    assert_one_line(err, f"no store at {missing}")
    assert not missing.parent.exists()


@pytest.mark.parametrize("command", ["export", "runs"])
def test_read_only_commands_do_not_create_a_store_in_an_empty_postgresql_database(
        capsys, pg_url, command):
    from newscrawler.store.postgres import table_exists

    code, out, err = run(capsys, command, "--db", pg_url)
    assert code == 2 and out == ""
    assert_one_line(err, "no newscrawler store in this database")
    assert not table_exists(pg_url, "schema_migrations") and not table_exists(pg_url, "articles")
    open_store(pg_url).close()  # once a crawl has made the store, they read it
    assert run(capsys, command, "--db", pg_url)[0] == 0


def test_runs_with_nothing_to_show_says_so(capsys, tmp_path):
    db = f"sqlite:///{tmp_path / 'news.sqlite3'}"
    open_store(db).close()  # a brand-new store
    code, out, err = run(capsys, "runs", "--db", db)
    assert (code, out) == (0, "")
    assert_one_line(err, f"no runs in {db}")
    code, out, err = run(capsys, "runs", "--db", db, "--site", "nosuch")
    assert (code, out) == (0, "")
    assert_one_line(err, f"no runs of 'nosuch' in {db}")


def test_export_site_must_be_a_profile_or_a_stored_site(capsys, tmp_path):
    db = f"sqlite:///{tmp_path / 'news.sqlite3'}"
    url = "https://www.example-hindi.in/story-1"
    with open_store(db) as store:
        store.save_article({"url": url, "canonical_url": url, "site": "www.example-hindi.in",
                            "title": "शीर्षक", "body": ["पाठ"], "fetched_at": NOW},
                           url_key="k1", content_hash="h1")
    code, out, err = run(capsys, "export", "--db", db, "--site", "nosuch")
    assert code == 2 and out == ""
    assert_one_line(err, "newscrawler export: --site: unknown site 'nosuch'")
    code, out, err = run(capsys, "export", "--db", db, "--site", "indiatv")  # none stored yet
    assert (code, out, err) == (0, "", "")
    code, out, err = run(capsys, "export", "--db", db, "--site", "www.example-hindi.in")
    assert code == 0 and json.loads(out)["url"] == url


# ------------------------------------------------------------------------------ crawl
def crawl_argv(tmp_path, *extra: str) -> list[str]:
    return ["crawl", "newsindia24", "--db", f"sqlite:///{tmp_path / 'news.sqlite3'}", *extra]


def test_crawl_unwritable_output_is_bad_usage_before_crawling(capsys, tmp_path):
    a_file = tmp_path / "a-file"
    a_file.write_text("not a directory")
    for output, reason in ((tmp_path, "is a directory"),
                           (a_file / "x.jsonl", "cannot write there")):
        code, out, err = run(capsys, *crawl_argv(tmp_path, "--output", str(output)))
        assert code == 2 and out == ""
        assert_one_line(err, f"newscrawler crawl: --output {output}: {reason}")
    assert not (tmp_path / "news.sqlite3").exists()  # no crawl, no store


def test_crawl_unwritable_log_dir_is_bad_usage(capsys, tmp_path):
    a_file = tmp_path / "a-file"
    a_file.write_text("not a directory")
    code, out, err = run(capsys, *crawl_argv(tmp_path, "--log-dir", str(a_file / "logs")))
    assert code == 2 and out == ""
    assert_one_line(err, f"newscrawler crawl: --log-dir {a_file / 'logs'}: cannot write")


@pytest.mark.parametrize(("assignment", "reason"), [
    ("NEWSCRAWLER_HOST_MAP=notjson", "-s NEWSCRAWLER_HOST_MAP: needs a JSON object"),
    ("NEWSCRAWLER_SITE_SETTINGS=[1, 2]", "-s NEWSCRAWLER_SITE_SETTINGS: needs a JSON object"),
    ("DOWNLOAD_DELAY=abc", "-s DOWNLOAD_DELAY: needs a number"),
    ('NEWSCRAWLER_SITE_SETTINGS={"aajtak": {"CONCURRENT_REQUESTS_PER_DOMAIN": "x"}}',
     "-s NEWSCRAWLER_SITE_SETTINGS aajtak CONCURRENT_REQUESTS_PER_DOMAIN: needs a number"),
    ('NEWSCRAWLER_SITE_SETTINGS={"aajtkk": {"DOWNLOAD_DELAY": 2}}',
     "-s NEWSCRAWLER_SITE_SETTINGS: 'aajtkk' is not a site id"),
    ('NEWSCRAWLER_SITE_SETTINGS={"aajtak": 2}',
     "-s NEWSCRAWLER_SITE_SETTINGS: 'aajtak' needs a JSON object of settings"),
    ("DOWNLOAD_DELAY", "-s takes NAME=VALUE"),
])
def test_crawl_setting_of_the_wrong_type_is_bad_usage(capsys, tmp_path, assignment, reason):
    code, out, err = run(capsys, *crawl_argv(tmp_path, "-s", assignment))
    assert code == 2 and out == ""
    assert_one_line(err, f"newscrawler crawl: {reason}")


def test_settings_scrapy_accepts_still_pass():
    from newscrawler.cli import parse_settings

    assert parse_settings(['NEWSCRAWLER_SITE_SETTINGS={"indiatv": {"DOWNLOAD_DELAY": 2}}'])
    assert parse_settings(['NEWSCRAWLER_HOST_MAP={"www.a.in": "http://127.0.0.1:1"}',
                           "DOWNLOAD_DELAY=0.5", "TELNETCONSOLE_ENABLED=False",
                           "AUTOTHROTTLE_ENABLED=false", "LOG_LEVEL=INFO", "MY_OWN=x"]) == {
        "NEWSCRAWLER_HOST_MAP": {"www.a.in": "http://127.0.0.1:1"}, "DOWNLOAD_DELAY": 0.5,
        "TELNETCONSOLE_ENABLED": "False", "AUTOTHROTTLE_ENABLED": False, "LOG_LEVEL": "INFO",
        "MY_OWN": "x"}


def test_the_same_target_twice_is_crawled_once(fixture_server, tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "newscrawler", "crawl", "newsindia24", "newsindia24",
         "--db", f"sqlite:///{tmp_path / 'news.sqlite3'}", "--max-pages", "2",
         "-s", "NEWSCRAWLER_HOST_MAP=" + json.dumps(fixture_server.host_map()),
         "-s", "NEWSCRAWLER_CLOCK=2024-12-23T16:25:00+05:30",
         "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=false"],
        cwd=ROOT, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "still going" not in result.stderr
    rows = [line for line in result.stdout.splitlines() if line.startswith("newsindia24 ")]
    assert len(rows) == 1, result.stdout


@pytest.mark.parametrize("command", ["export", "crawl"])
def test_an_empty_since_is_bad_usage(capsys, tmp_path, command):
    db = f"sqlite:///{tmp_path / 'news.sqlite3'}"
    open_store(db).close()
    argv = [command, "--db", db, "--since", ""] + (["newsindia24"] if command == "crawl" else [])
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert_one_line(err, f"newscrawler {command}: --since: empty")
