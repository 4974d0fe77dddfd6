#!/usr/bin/env bash
# Sets up, migrates, loads the demo borough into an empty database, starts the task worker and the
# scheduler, and serves Waymark on http://127.0.0.1:8000. Ctrl+C stops all three.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/setup.sh
export DEBUG="${DEBUG:-true}"
py=.venv/bin/python

echo "==> Preparing the database"
$py manage.py migrate --noinput --verbosity 0
$py manage.py createcachetable
$py manage.py ensure_demo_admin
# One demo account for each working role: made by the demo borough's job, or here if it is already loaded.
$py manage.py ensure_demo_accounts
# Checked here, before the worker starts loading the demo: the checks' SQLite feature probe opens a write
# transaction, which would wait on the demo's long ones and then wrongly report no JSON support.
$py manage.py check

mkdir -p var/log
trap 'kill $(jobs -p) 2>/dev/null || true' EXIT INT TERM
$py manage.py db_worker >> var/log/worker.log 2>&1 &
$py manage.py run_scheduler >> var/log/scheduler.log 2>&1 &
echo "==> Task worker and scheduler started (logs in var/log/)"

$py manage.py seed_demo --if-empty --background

echo "==> Waymark is at http://127.0.0.1:8000/"
$py manage.py runserver 127.0.0.1:8000 --noreload --skip-checks
