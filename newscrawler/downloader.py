"""Scrapy's downloader with the per-domain limit held when the download delay is 0.

In Scrapy 2.19 a slot counts a request as transferring only once the coroutine that downloads it
starts running; with no delay, the loop that starts queued requests sees free transfer slots
until then and starts all of them at once (14 concurrent requests to one host were measured with
CONCURRENT_REQUESTS_PER_DOMAIN=2). Here a request is counted the moment it leaves the queue.
"""

from __future__ import annotations

from collections import deque

from scrapy.core.downloader import Downloader, Slot
from scrapy.http import Request


class _CountingQueue(deque):
    """A slot's queue that marks a request as transferring when it is taken out."""

    def __init__(self, slot: Slot, items=()):
        super().__init__(items)
        self.slot = slot

    def popleft(self):
        request, queue_dfd = super().popleft()
        self.slot.transferring.add(request)  # the download removes it when it ends
        return request, queue_dfd


class PoliteDownloader(Downloader):
    def _get_slot(self, request: Request, *args, **kwargs) -> tuple[str, Slot]:
        key, slot = super()._get_slot(request, *args, **kwargs)  # (a spider is deprecated)
        if not isinstance(slot.queue, _CountingQueue):
            slot.queue = _CountingQueue(slot, slot.queue)
        return key, slot
