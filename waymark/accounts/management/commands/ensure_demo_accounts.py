"""Add the demo people (one for each working role) to a loaded demo borough, and print where to sign in."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from waymark.accounts import demo
from waymark.core.demo import demo_borough_exists


class Command(BaseCommand):
    help = (
        "Create the demo accounts for each working role if the demo borough is loaded and they are missing, "
        "and print where their passwords are. Never under WAYMARK_ENV=production."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            self.stdout.write("No demo accounts under WAYMARK_ENV=production.")
            return
        path = demo.credentials_path()
        if not demo_borough_exists():
            # The demo borough's own job makes them (accounts' demo hook), once the records they need exist;
            # seed_demo says so, so ``make run`` says it once.
            if options["verbosity"] > 1:
                self.stdout.write(f"No demo borough yet: its job makes the demo accounts and lists them in {path}")
            return
        usernames = demo.ensure_personas(actor=None)
        if usernames:
            self.stdout.write(f"==> Demo accounts {', '.join(usernames)}: usernames and passwords in {path}")
        else:
            self.stdout.write(
                f"==> The demo accounts' passwords are not in {path}: set new ones with manage.py changepassword."
            )
