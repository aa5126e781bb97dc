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
echo "windowpane: setting up the Python environment for Jupyter in $venv" >&2
if [ ! -x "$venv/bin/python" ]; then
  "$python" -m venv "$venv" || {
    echo "windowpane: could not create a virtual environment. On Debian: apt-get install python3-venv" >&2
    exit 1
  }
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$req"
cp "$req" "$stamp"
echo "windowpane: Python environment ready ($("$venv/bin/jupyter" lab --version 2>/dev/null | sed 's/^/JupyterLab /'))" >&2
