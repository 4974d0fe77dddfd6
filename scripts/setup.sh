#!/usr/bin/env bash
# Creates the virtual environment, installs locked Python and npm dependencies and builds the front-end
# assets. Safe to run again: each step is skipped when already up to date.
set -euo pipefail
cd "$(dirname "$0")/.."

python_bin="${PYTHON:-python3}"
if ! "$python_bin" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then
  for candidate in python3.13 python3.12; do
    if command -v "$candidate" >/dev/null 2>&1; then python_bin="$candidate"; break; fi
  done
fi
if ! "$python_bin" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then
  echo "Waymark needs Python 3.12 or newer (3.13 recommended); '$python_bin' is $("$python_bin" --version 2>&1)." >&2
  echo "Install it (for example 'pyenv install 3.13' or 'apt-get install python3.13 python3.13-venv')," >&2
  echo "or point PYTHON at it: PYTHON=/path/to/python3.13 make run" >&2
  exit 1
fi

if [ ! -x .venv/bin/python ]; then
  echo "==> Creating the virtual environment with $("$python_bin" --version)"
  "$python_bin" -m venv .venv
fi

lock_sum=$(sha256sum requirements.lock | cut -d' ' -f1)
if [ "$(cat .venv/.requirements.sha256 2>/dev/null)" != "$lock_sum" ]; then
  echo "==> Installing Python packages from requirements.lock"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
  echo "$lock_sum" > .venv/.requirements.sha256
fi

./scripts/build_assets.sh

if [ -d waymark/locale ] && command -v msgfmt >/dev/null 2>&1; then
  .venv/bin/python manage.py compilemessages --verbosity 0
fi
