#!/usr/bin/env bash
# `npm start`: the whole platform on one machine with no cluster. The local runtime that serves it
# lands with issue 6; until then this prepares what it will need and says so.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh node venv ferretdb
echo "npm start: the platform's local runtime is not built yet (issue 6)." >&2
exit 1
