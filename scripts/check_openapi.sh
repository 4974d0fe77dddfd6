#!/usr/bin/env bash
# Compare the API's OpenAPI schema with the committed snapshot; --update rewrites the snapshot.
set -euo pipefail

cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-.venv/bin/python}"
SNAPSHOT="waymark/api/openapi.yaml"

generated="$(mktemp)"
trap 'rm -f "$generated"' EXIT
"$PYTHON" manage.py spectacular --file "$generated" --validate --fail-on-warn

if [[ "${1:-}" == "--update" ]]; then
    cp "$generated" "$SNAPSHOT"
    echo "Updated $SNAPSHOT"
    exit 0
fi

if ! diff -u "$SNAPSHOT" "$generated"; then
    echo "OpenAPI schema changed: run scripts/check_openapi.sh --update" >&2
    exit 1
fi
echo "OpenAPI schema matches $SNAPSHOT"
