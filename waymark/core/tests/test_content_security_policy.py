"""The Content-Security-Policy: sent on every response, in development and in production settings, with a fresh
nonce that the page's own inline scripts and styles carry, and nothing inline allowed without it."""

import json
import os
import re
import subprocess
import sys

import pytest
from django.conf import settings

NONCE_SOURCE = re.compile(r"'nonce-([^']+)'")
NONCE_ATTRIBUTE = re.compile(r'<(?:script|style)\b[^>]*?\bnonce="([^"]*)"')
INLINE_TAG_WITHOUT_NONCE = re.compile(r"<(?:script|style)\b(?![^>]*\bnonce=)(?![^>]*\bsrc=)[^>]*>")

# Run in a fresh interpreter, because production settings are read when Django starts.
PRODUCTION_REQUESTS = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client, override_settings

# Production serves hashed static files named by a manifest that collectstatic writes; plain names will do here.
plain_names = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
plain_static = {**settings.STORAGES, "staticfiles": plain_names}
with override_settings(STORAGES=plain_static):
    responses = [Client().get("/account/login/", secure=True) for _ in range(2)]
print(json.dumps([[r.status_code, r.headers.get("Content-Security-Policy", ""), r.text] for r in responses]))
"""


def directives(header: str) -> dict[str, list[str]]:
    parts = (part.split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in parts}


def assert_strict_policy_matching_page(header: str, html: str) -> str:
    """Check the policy and that every inline script and style carries its nonce; return the nonce."""
    policy = directives(header)
    for directive in ("script-src", "style-src"):
        assert "'unsafe-inline'" not in policy[directive]
        assert "'self'" in policy[directive]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    nonces = set(NONCE_SOURCE.findall(policy["script-src"][-1])) | set(NONCE_SOURCE.findall(policy["style-src"][-1]))
    assert len(nonces) == 1, header
    nonce = nonces.pop()
    assert set(NONCE_ATTRIBUTE.findall(html)) == {nonce}
    assert not INLINE_TAG_WITHOUT_NONCE.findall(html)
    return nonce


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/account/login/", "/directory/"])
def test_development_pages_carry_the_policy_with_a_fresh_nonce_their_scripts_use(client, path):
    first, second = client.get(path), client.get(path)

    assert first.status_code == second.status_code == 200
    nonces = {assert_strict_policy_matching_page(r.headers["Content-Security-Policy"], r.text) for r in (first, second)}
    assert len(nonces) == 2  # a new nonce for every response


@pytest.mark.django_db
def test_error_pages_and_api_answers_carry_the_policy_too(client):
    missing = client.get("/no-such-page/")
    assert missing.status_code == 404
    assert_strict_policy_matching_page(missing.headers["Content-Security-Policy"], missing.text)

    api = directives(client.get("/api/v1/").headers["Content-Security-Policy"])
    assert api["frame-ancestors"] == ["'none'"]
    assert api["script-src"] == ["'self'"]  # the answer used no nonce, so none is allowed


def test_production_settings_send_the_same_policy(tmp_path):
    environment = {
        **os.environ,
        "WAYMARK_ENV": "production",
        "SECRET_KEY": "a-test-key-that-is-long-enough-for-production-settings-0123456789",
        "ALLOWED_HOSTS": "testserver",
        "EMAIL_HOST": "localhost",
        "WAYMARK_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "waymark.settings",
    }
    run = subprocess.run(  # noqa: S603 - this interpreter, on the fixed script above
        [sys.executable, "-c", PRODUCTION_REQUESTS],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )

    responses = json.loads(run.stdout)
    assert [status for status, _header, _html in responses] == [200, 200]
    nonces = {assert_strict_policy_matching_page(header, html) for _status, header, html in responses}
    assert len(nonces) == 2
