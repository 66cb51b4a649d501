"""`newscrawler demo` (what `make demo` runs): every bundled site crawled into SQLite."""

from __future__ import annotations

import subprocess
import sys

from newscrawler.profiles import all_profiles
from tests.conftest import ROOT


def test_demo_crawls_every_fixture_site_and_shows_the_seed_article(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "newscrawler", "demo", "--db", f"sqlite:///{tmp_path}/d.sqlite3"],
        cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    out = result.stdout
    stored = out.split("Stored in", 1)[1]
    for site in all_profiles():
        assert f"  {site} " in stored, f"{site} stored nothing"
    assert "www.hindisamachar24x7.in" in stored  # a site with no profile: generic spider
    text = out.split("as text:", 1)[1]
    assert "यूक्रेन युद्ध में पहली बार रूस ने मांगी" in text
    assert "Recent Posts" in text and "36 minutes ago" in text
    assert "Image Source" not in text
