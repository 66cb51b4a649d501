"""Log lines a person can read in a cron mail: a dropped page is one line with its reason
(the pipelines put the URL in the reason), not the whole article dumped into the log."""

from __future__ import annotations

from typing import Any

from scrapy.logformatter import LogFormatter


class NewsLogFormatter(LogFormatter):
    def dropped(self, item: Any, exception: BaseException, response, spider) -> dict:
        entry = super().dropped(item, exception, response, spider)
        entry["msg"] = "Dropped: %(exception)s"
        entry["args"] = {"exception": exception}
        return entry
