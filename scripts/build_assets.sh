#!/usr/bin/env bash
# Build the front-end assets: compile the site stylesheet and vendor the
# NHS.UK frontend, htmx, accessible-autocomplete and axe-core files into waymark/static/vendor/.
# Run from the repository root. Safe to run again: it rebuilds everything
# and installs npm packages only when package-lock.json is newer.
set -euo pipefail

if [[ ! -f package-lock.json || ! -d waymark/static/src ]]; then
  echo "Run this from the repository root (where package-lock.json is)." >&2
  exit 1
fi

if ! command -v npm >/dev/null 2>&1; then
  echo "npm is needed to build the front-end assets: install Node.js 20 or newer." >&2
  exit 1
fi

if [[ ! -d node_modules || package-lock.json -nt node_modules ]]; then
  npm ci --no-audit --no-fund
  touch node_modules
fi

nhsuk=node_modules/nhsuk-frontend/dist/nhsuk
vendor=waymark/static/vendor

mkdir -p waymark/static/css
npx --no-install sass --load-path=node_modules --style=compressed --no-source-map --quiet-deps \
  waymark/static/src/waymark.scss waymark/static/css/waymark.css

rm -rf "$vendor"
mkdir -p "$vendor/nhsuk" "$vendor/htmx" "$vendor/axe" "$vendor/accessible-autocomplete"
cp "$nhsuk/nhsuk-frontend.min.js" "$nhsuk/nhsuk-frontend.min.js.map" "$vendor/nhsuk/"
cp -R "$nhsuk/assets" "$vendor/nhsuk/assets"
cp node_modules/htmx.org/dist/htmx.min.js "$vendor/htmx/"
cp node_modules/axe-core/axe.min.js "$vendor/axe/"
# The type-ahead pickers (static/js/pickers.js load these only on a page that has one).
cp node_modules/accessible-autocomplete/dist/accessible-autocomplete.min.{js,css} "$vendor/accessible-autocomplete/"

# The site must not load anything from another host.
if grep -Eo 'url\((["'\'']?)https?:' waymark/static/css/waymark.css >/dev/null; then
  echo "waymark.css refers to an external URL:" >&2
  grep -Eo 'url\([^)]*https?:[^)]*\)' waymark/static/css/waymark.css >&2
  exit 1
fi

echo "Built waymark/static/css/waymark.css and waymark/static/vendor/."
