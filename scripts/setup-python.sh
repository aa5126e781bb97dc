#!/usr/bin/env bash
# Creates the project-local Python environment for Jupyter (.venv) when it is missing or its
# requirements changed. Idempotent and quiet when there is nothing to do.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
venv="${WINDOWPANE_VENV:-$root/.venv}"
req="$root/scripts/python-requirements.txt"
stamp="$venv/.windowpane-requirements"
python="${PYTHON:-python3}"

if ! command -v "$python" >/dev/null 2>&1; then
  echo "windowpane: Python 3.9+ is needed for Jupyter but '$python' was not found. Install python3 (Debian: apt-get install python3 python3-venv) or set PYTHON." >&2
  exit 1
fi
if [ -x "$venv/bin/python" ] && [ -f "$stamp" ] && cmp -s "$req" "$stamp"; then
  exit 0
fi
echo "windowpane: setting up the Python environment for Jupyter in $venv (JupyterLab and its packages: a minute or two, once)" >&2
if [ ! -x "$venv/bin/python" ]; then
  "$python" -m venv "$venv" || {
    echo "windowpane: could not create a virtual environment. On Debian: apt-get install python3-venv" >&2
    exit 1
  }
fi
# pip's own output goes to a log; every 15 s a line says how far it got, so a long install shows life
log="$venv/.windowpane-setup.log"
: > "$log"
(
  trap 'kill "$nap" 2>/dev/null; exit 0' TERM
  while :; do
    sleep 15 & nap=$!
    wait "$nap"
    fetched=$(grep -c '^Collecting' "$log" || true)
    if grep -q '^Installing collected packages' "$log"; then what="installing the $fetched packages"; else what="$fetched packages fetched"; fi
    echo "windowpane: Python environment: $what (${SECONDS}s)" >&2
  done
) &
ticker=$!
trap 'kill "$ticker" 2>/dev/null || true' EXIT
if ! "$venv/bin/python" -m pip install --disable-pip-version-check --progress-bar off -r "$req" >"$log" 2>&1; then
  tail -30 "$log" >&2
  echo "windowpane: installing the Python packages failed; the whole log is in $log" >&2
  exit 1
fi
cp "$req" "$stamp"
echo "windowpane: Python environment ready ($("$venv/bin/jupyter" lab --version 2>/dev/null | sed 's/^/JupyterLab /'))" >&2
