#!/usr/bin/env bash
# The whole suite: installs what is missing, runs the static checks, then the unit, integration and
# browser tests on SQLite and on PostgreSQL (127.0.0.1:5432). Safe to run twice.
# Under CI=true an unreachable PostgreSQL fails the run; locally that half is skipped with a warning.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages the suite needs: a command it provides, or the package name itself for libraries.
declare -A debian_packages=(
  [chromium]=/usr/bin/chromium [gettext]=msgfmt [postgresql-client]=pg_isready
  [libpango-1.0-0]= [libpangoft2-1.0-0]= [libharfbuzz-subset0]=
  # Fonts for every script a PDF may show (names of community organisations in Arabic, Bengali, Gujarati,
  # Gurmukhi, Urdu…); Chinese, Japanese and Korean are in the CJK package.
  [fonts-noto-core]= [fonts-noto-cjk]=
)
missing=()
for pkg in "${!debian_packages[@]}"; do
  provides="${debian_packages[$pkg]}"
  if [ -n "$provides" ]; then
    command -v "$provides" >/dev/null 2>&1 || missing+=("$pkg")
  else
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "==> Installing Debian packages: ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
fi

./scripts/setup.sh
./scripts/lint.sh

export DJANGO_ALLOW_ASYNC_UNSAFE=true
# Persistent connections would outlive the browser tests' live server and block dropping the test database.
export DATABASE_CONN_MAX_AGE=0
pytest_args=(-n "${PYTEST_WORKERS:-2}" -q --dist loadfile "$@")

echo "==> Tests on SQLite"
env -u DATABASE_URL .venv/bin/pytest "${pytest_args[@]}"

# A commit need not wait for the disk in a throwaway test database (the tests that commit, in the browser and
# with real transactions, are most of the PostgreSQL half's time otherwise).
pg_url="${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test?options=-c%20synchronous_commit%3Doff}"
./scripts/ensure_postgres.sh || {
  if [ "${CI:-}" = "true" ]; then
    echo "PostgreSQL on 127.0.0.1:5432 is unreachable: the PostgreSQL half cannot run." >&2
    exit 1
  fi
  echo "!!! ------------------------------------------------------------------ !!!" >&2
  echo "!!! PostgreSQL on 127.0.0.1:5432 is unreachable: SKIPPING that half.     !!!" >&2
  echo "!!! ------------------------------------------------------------------ !!!" >&2
  exit 0
}
echo "==> Tests on PostgreSQL"
DATABASE_URL="$pg_url" .venv/bin/pytest "${pytest_args[@]}"
