#!/usr/bin/env bash
# Static checks: lint, formatting, types, the import layers, Django checks, migrations and the API schema snapshot.
set -euo pipefail
cd "$(dirname "$0")/.."
py=.venv/bin/python

echo "==> ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
echo "==> mypy"
.venv/bin/mypy waymark
echo "==> Import layers (contracts in pyproject.toml)"
.venv/bin/lint-imports
echo "==> Django checks"
$py manage.py check --fail-level WARNING
$py manage.py makemigrations --check --dry-run
WAYMARK_ENV=production SECRET_KEY="check-deploy-$(head -c 32 /dev/urandom | base64 | tr -dc 'a-zA-Z0-9')" \
  ALLOWED_HOSTS=waymark.example.org EMAIL_HOST=smtp.example.org \
  DATABASE_URL="sqlite:///$(mktemp -d)/deploy-check.sqlite3" \
  $py manage.py check --deploy --fail-level WARNING
echo "==> OpenAPI schema snapshot"
./scripts/check_openapi.sh
