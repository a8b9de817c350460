#!/usr/bin/env bash
# Builds the portal's share of Bootstrap Italia (scripts/build-frontend.mjs) into build/frontend/, which
# STATICFILES_DIRS serves. Cached: the npm packages are installed again only when package-lock.json changes, and
# the build runs only when the hash of its inputs (the lock file, the build script, the templates, the portal's
# scripts and Python code, the form packages' templates) differs from the last build's.
# Usage: scripts/build-frontend.sh [PYTHON]   (PYTHON: the virtualenv's, to find the form packages' templates)
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${1:-.venv/bin/python}"

command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || scripts/system-deps.sh frontend

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi

SITE_PACKAGES="$("$PY" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
export SITE_PACKAGES
stamp=build/frontend/.inputs-sha256
hash="$( { { find package-lock.json scripts/build-frontend.mjs frontend templates static \
             accounts applications evidence identity indicators interventions notifications operations \
             organisations ot24portal pages review stress \
             "$SITE_PACKAGES"/crispy_bootstrap5/templates "$SITE_PACKAGES"/crispy_forms/templates \
             "$SITE_PACKAGES"/allauth/templates "$SITE_PACKAGES"/django/forms/templates \
             -type f \( -name '*.html' -o -name '*.js' -o -name '*.mjs' -o -name '*.py' -o -name '*.json' \) \
             -not -path '*/__pycache__/*' -not -path '*/migrations/*' 2>/dev/null || true; } | LC_ALL=C sort | xargs -d '\n' sha256sum; } \
         | sha256sum | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$hash" ] \
   && [ -f build/frontend/frontend/bootstrap-italia.css ] && [ -f build/frontend/frontend/portal.js ] \
   && [ -f build/frontend/frontend/dropdown.js ]; then
  exit 0
fi
node scripts/build-frontend.mjs
echo "$hash" > "$stamp"
