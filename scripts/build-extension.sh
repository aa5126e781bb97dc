#!/usr/bin/env bash
# Builds the JupyterLab extension (extensions/windowpane-jupyterlab) as a prebuilt extension and
# installs it into the project's Python environment (.venv/share/jupyter/labextensions). Idempotent:
# does nothing when the installed build matches the sources. Uses the machine's Node and the npm
# registry only (@jupyterlab/builder through `jupyter labextension build`, core from .venv).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
ext="$root/extensions/windowpane-jupyterlab"
venv="${WINDOWPANE_VENV:-$root/.venv}"
name="@windowpane/jupyterlab"
dest="$venv/share/jupyter/labextensions/$name"

if [ ! -x "$venv/bin/jupyter" ]; then
  bash "$root/scripts/setup-python.sh"
fi
# The chart wire protocol (src/chart/protocol.ts, with arrow.ts for large row sets) and the view
# feed with its stable domains (feed.ts, domains.ts) are the library's own modules, compiled in
# with the extension.
shared=("$root/src/chart/protocol.ts" "$root/src/chart/arrow.ts" "$root/src/chart/domains.ts" "$root/src/chart/feed.ts")
hash="$(cd "$ext" && cat package.json package-lock.json tsconfig.json $(find src style -type f | sort) "${shared[@]}" | sha256sum | cut -d' ' -f1)"
if [ -f "$dest/.windowpane-build" ] && [ "$(cat "$dest/.windowpane-build")" = "$hash" ] && [ -f "$dest/package.json" ]; then
  exit 0
fi
echo "windowpane: building the JupyterLab extension ($name)" >&2
cd "$ext"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  flock /tmp/windowpane-npm.lock npm ci --no-audit --no-fund --loglevel=error >&2
fi
rm -rf lib
npx tsc -p tsconfig.json
core="$(ls "$venv"/lib/python3*/site-packages/jupyterlab/staging/package.json | head -1)"
PATH="$venv/bin:$PATH" jupyter labextension build --core-package-file "$core" . >/tmp/windowpane-extension-build.log 2>&1 || {
  tail -40 /tmp/windowpane-extension-build.log >&2
  echo "windowpane: the extension build failed; full log in /tmp/windowpane-extension-build.log" >&2
  exit 1
}
rm -rf "$dest.tmp"
mkdir -p "$(dirname "$dest")"
cp -r labextension "$dest.tmp"
cat > "$dest.tmp/install.json" <<JSON
{
  "packageManager": "windowpane",
  "packageName": "$name",
  "uninstallInstructions": "Remove $dest"
}
JSON
echo "$hash" > "$dest.tmp/.windowpane-build"
rm -rf "$dest"
mv "$dest.tmp" "$dest"
echo "windowpane: JupyterLab extension installed in $dest" >&2
