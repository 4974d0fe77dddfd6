"""A real task worker (``db_worker``) for the fault tests, which can be made to stop dead at a known point.

Run as ``python -m tests.faults.worker <halt point>``, with DATABASE_URL naming the database the test uses:

- ``inside-import-write``: the import's figures are inserted inside its transaction, then the worker prints
  HALTED and waits there for the test to kill it with SIGKILL, as a crash or the out-of-memory killer would.
- ``none``: an ordinary worker that runs what is queued and exits when the queue is empty.
"""

import os
import sys
import threading
from typing import Any

import django

HALTED = "HALTED"


def halt_inside_import_write() -> None:
    from waymark.monitoring.imports import batches

    insert_frame = batches.insert_frame

    def insert_then_halt(*args: Any, **kwargs: Any) -> int:
        written = insert_frame(*args, **kwargs)
        print(HALTED, flush=True)
        threading.Event().wait()  # until killed
        return written

    batches.insert_frame = insert_then_halt


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "waymark.settings")
    django.setup()
    from django.core.management import call_command

    if sys.argv[1] == "inside-import-write":
        halt_inside_import_write()
    call_command("db_worker", "--batch", "--interval", "0", "--no-startup-delay")


if __name__ == "__main__":
    main()
