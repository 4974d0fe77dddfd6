"""The scheduler process: queues periodic jobs when they fall due.

Run one (or more: each due run is claimed atomically, so extra schedulers are harmless) beside
the task workers. ``--once`` ticks once and exits, for cron or a test.
"""

import logging
import signal
import threading
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import DatabaseError, close_old_connections

from waymark.core.scheduling import queue_due_jobs, sync_schedule

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Queue periodic jobs when they are due, every SCHEDULER_TICK_SECONDS until stopped."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Queue what is due now, then exit.")

    def handle(self, *args: Any, once: bool = False, **options: Any) -> None:
        sync_schedule()
        if once:
            self._tick()
            return
        stopping = threading.Event()

        def stop(signum: int, frame: FrameType | None) -> None:
            logger.info("Scheduler received %s; stopping after this tick.", signal.Signals(signum).name)
            stopping.set()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        interval = settings.SCHEDULER_TICK_SECONDS
        logger.info("Scheduler started; checking every %s seconds.", interval)
        while not stopping.is_set():
            # A long-lived process must drop connections the database has closed or that are too old.
            close_old_connections()
            try:
                self._tick()
            except DatabaseError:
                # The database may be restarting; the run stays due and is queued on a later tick.
                logger.exception("Scheduler tick failed; trying again in %s seconds.", interval)
            close_old_connections()
            stopping.wait(interval)
        logger.info("Scheduler stopped.")

    def _tick(self) -> None:
        queued = queue_due_jobs()
        if queued:
            self.stdout.write(f"Queued: {', '.join(queued)}")
