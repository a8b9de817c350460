#!/usr/bin/env bash
# Installs the Debian packages the portal needs, only when something is missing.
# Usage: scripts/system-deps.sh [postgres|stack|frontend]
set -euo pipefail

need=()
python3 -c "import venv, ensurepip" 2>/dev/null || need+=(python3-venv)
command -v msgfmt >/dev/null 2>&1 || need+=(gettext)
# WeasyPrint renders with Pango; DejaVu gives it fonts with every Italian letter.
# (grep without -q: -q stops reading at the first match, ldconfig dies of SIGPIPE and pipefail reports the
# library missing when it is there.)
ldconfig -p | grep 'libpango-1.0.so' >/dev/null || need+=(libpango-1.0-0)
ldconfig -p | grep 'libpangoft2-1.0.so' >/dev/null || need+=(libpangoft2-1.0-0)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
# The stylesheet and script build (scripts/build-frontend.sh) runs npm packages under Node.js.
command -v node >/dev/null 2>&1 || need+=(nodejs)
command -v npm >/dev/null 2>&1 || need+=(npm)
if [ "${1:-}" = "postgres" ] || [ "${1:-}" = "stack" ]; then
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
  # The end-to-end tests drive Debian's Chromium (playwright cannot download its own browser here).
  [ -x /usr/bin/chromium ] || need+=(chromium)
  # `make stack` and its tests put HAProxy in front of the web servers.
  command -v haproxy >/dev/null 2>&1 || [ -x /usr/sbin/haproxy ] || need+=(haproxy)
fi

if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
echo "Installing system packages: ${need[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"
# Debian's package starts a cluster of its own; our tests use a throwaway one.
