"""Create the demo administrator once and print how to sign in."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from waymark.accounts.services import ensure_demo_admin


class Command(BaseCommand):
    help = "Create the demo administrator if missing, and print its sign-in details."

    def handle(self, *args: Any, **options: Any) -> None:
        credentials_file = settings.VAR_DIR / "demo-admin.txt"
        user, password = ensure_demo_admin()
        if password:
            credentials_file.write_text(f"{user.username}\n{password}\n")
            credentials_file.chmod(0o600)
        if credentials_file.exists():
            username, saved_password = credentials_file.read_text().split("\n")[:2]
            self.stdout.write(f"==> Demo administrator: username '{username}', password '{saved_password}'")
        else:
            self.stdout.write(f"==> Demo administrator '{user.username}' exists; its password was set elsewhere.")
