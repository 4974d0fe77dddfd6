"""Waymark's settings as ``WAYMARK_ENV=production`` computes them, for tests that drive the site with them.

Settings are read from the environment once, at import time, so the production values are computed in a
separate Python process and handed back as JSON; tests then apply them over the test settings.
"""

import json
import os
import subprocess
import sys
from functools import cache
from tempfile import TemporaryDirectory

from django.conf import settings

# The least a production deployment must be given (see the README's production section).
PRODUCTION_ENV = {
    "WAYMARK_ENV": "production",
    "SECRET_KEY": "production-settings-test-key-" + "x" * 40,
    "ALLOWED_HOSTS": "testserver",
    "EMAIL_HOST": "smtp.example.org",
}

# The settings the tests apply over the test settings: everything that decides how a request is treated.
# The database, cache, storages and tasks stay the test suite's own.
SECURITY_SETTINGS = (
    "DEBUG",
    "ALLOWED_HOSTS",
    "SECOND_FACTOR_REQUIRED",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_HTTPONLY",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_PROXY_SSL_HEADER",
    "X_FRAME_OPTIONS",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "LOGIN_RATE",
    "TRUSTED_PROXY_COUNT",
    "RATELIMIT_IP_META_KEY",
    "REST_FRAMEWORK",
)

_DUMP_SCRIPT = """
import json, sys
from waymark import settings
names = json.loads(sys.argv[1])
print(json.dumps({name: getattr(settings, name, None) for name in names}))
"""


@cache
def _load(extra_env: tuple[tuple[str, str], ...]) -> dict[str, object]:
    with TemporaryDirectory() as var_dir:
        env = {
            "PATH": os.environ.get("PATH", ""),
            "HOME": os.environ.get("HOME", var_dir),
            "WAYMARK_VAR_DIR": var_dir,
            **PRODUCTION_ENV,
            **dict(extra_env),
        }
        result = subprocess.run(  # noqa: S603 - this interpreter, a fixed script, the settings names
            [sys.executable, "-c", _DUMP_SCRIPT, json.dumps(SECURITY_SETTINGS)],
            cwd=settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
    values = json.loads(result.stdout)
    if values["SECURE_PROXY_SSL_HEADER"] is not None:
        values["SECURE_PROXY_SSL_HEADER"] = tuple(values["SECURE_PROXY_SSL_HEADER"])
    return values


def run_under_production(*args: str) -> subprocess.CompletedProcess[str]:
    """Run ``manage.py`` with these arguments, with the environment a production deployment must give."""
    with TemporaryDirectory() as var_dir:
        env = {"PATH": os.environ.get("PATH", ""), "HOME": var_dir, "WAYMARK_VAR_DIR": var_dir, **PRODUCTION_ENV}
        return subprocess.run(  # noqa: S603 - this interpreter and the project's manage.py
            [sys.executable, "manage.py", *args], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True
        )


def production_settings(**extra_env: str) -> dict[str, object]:
    """The security settings production computes, given the required environment plus ``extra_env``."""
    return dict(_load(tuple(sorted(extra_env.items()))))
