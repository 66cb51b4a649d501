"""Scrapy's downloader, with the per-domain limit held when the download delay is 0, host
pauses (429/503), and a stop that really stops (the run's time limit).

In Scrapy 2.19 a slot counts a request as transferring only once the coroutine that downloads it
starts running; with no delay, the loop that starts queued requests sees free transfer slots
until then and starts all of them at once (14 concurrent requests to one host were measured with
CONCURRENT_REQUESTS_PER_DOMAIN=2). Here a request is counted the moment it leaves the queue.

Scrapy closing a spider waits for every request the downloader holds, including those queued
behind a download delay or a host paused for Retry-After (up to 300 s, again for each retry):
a time-limited run went on for minutes after its limit. ``stop()`` drops the queued requests,
cuts the pauses short, refuses new downloads, and cancels the downloads still in flight after
a grace period.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from time import monotonic

from scrapy.core.downloader import Downloader, Slot
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response
from scrapy.utils.asyncio import call_later, is_asyncio_available
from twisted.python.failure import Failure

logger = logging.getLogger(__name__)


class TimeLimitReached(IgnoreRequest):
    """The run is stopping (its time limit, or SIGINT/SIGTERM): this request was not (or not
    completely) fetched."""


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
    def __init__(self, crawler):
        super().__init__(crawler)
        self.stopped = False
        self._paused_until: dict[str, float] = {}  # slot key -> monotonic end of its pause
        self._transfers: dict[Request, asyncio.Task] = {}  # downloads in flight (asyncio)

    def _get_slot(self, request: Request, *args, **kwargs) -> tuple[str, Slot]:
        key, slot = super()._get_slot(request, *args, **kwargs)  # (a spider is deprecated)
        if not isinstance(slot.queue, _CountingQueue):
            slot.queue = _CountingQueue(slot, slot.queue)
        return key, slot

    # ------------------------------------------------------------------ host pauses
    def pause_slot(self, request: Request, wait: float) -> bool:
        """Hold the request's download slot for ``wait`` seconds (without blocking anything):
        no request to that host leaves meanwhile. False when a longer pause already holds it."""
        if wait <= 0 or self.stopped:
            return False
        key, slot = self._get_slot(request)
        resume = monotonic() + wait
        if self._paused_until.get(key, 0.0) >= resume and slot.latercall is not None:
            return False
        self._paused_until[key] = resume
        if slot.latercall is not None:
            slot.latercall.cancel()
        # the downloader's own "delay this slot" mechanism: while slot.latercall is set, no
        # request leaves the slot; when it fires, the queue is processed again
        slot.latercall = call_later(wait, self._latercall, slot)
        slot.lastseen = max(slot.lastseen, resume)  # not garbage-collected meanwhile
        return True

    def paused(self, key: str) -> bool:
        return self._paused_until.get(key, 0.0) > monotonic()

    # ------------------------------------------------------------------ stopping
    def stop(self, grace: float) -> tuple[int, int]:
        """Stop downloading: drop every queued request (their errbacks get TimeLimitReached),
        cut host pauses and delays short, refuse new requests, and cancel the downloads still
        in flight after ``grace`` seconds. Returns (requests dropped, of which held by a pause).
        """
        self.stopped = True
        dropped = paused = 0
        for key, slot in list(self.slots.items()):
            waiting = list(slot.queue)  # not popleft(): nothing leaves for the network
            slot.queue.clear()
            if slot.latercall is not None:
                slot.latercall.cancel()
                slot.latercall = None
            if self.paused(key):
                paused += len(waiting)
            self._paused_until.pop(key, None)
            dropped += len(waiting)
            for request, queue_dfd in waiting:
                queue_dfd.errback(Failure(TimeLimitReached(
                    f"time limit reached, not fetched: {request.url}")))
        if self._transfers and grace >= 0:
            call_later(grace, self._cancel_transfers)
        return dropped, paused

    def _cancel_transfers(self) -> None:
        if self._transfers:
            logger.warning("stopping the run: cancelling %d download(s) still in flight",
                           len(self._transfers))
        for task in list(self._transfers.values()):
            task.cancel()

    async def _enqueue_request(self, request: Request) -> Response:
        if self.stopped:
            raise TimeLimitReached(f"time limit reached, not fetched: {request.url}")
        return await super()._enqueue_request(request)

    async def _download(self, slot: Slot, request: Request) -> Response:
        if not is_asyncio_available():  # nothing to cancel with: the download time-out bounds it
            return await super()._download(slot, request)
        task = asyncio.ensure_future(super()._download(slot, request))
        self._transfers[request] = task
        try:
            return await task
        except asyncio.CancelledError:
            if not self.stopped:
                raise
            raise TimeLimitReached(
                f"time limit reached, download cancelled: {request.url}") from None
        finally:
            self._transfers.pop(request, None)
