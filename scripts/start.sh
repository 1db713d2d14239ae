#!/usr/bin/env bash
# `npm start`: the whole platform on one machine with no cluster. Sets up what it needs (npm packages,
# the runner's Python venv, bubblewrap for the apps' sandboxes, FerretDB unless MONGO_URI names a
# server), builds the UI when it changed, then runs
# scripts/start-platform.ts, which keeps its data in .data/ and prints the URL.
set -euo pipefail
cd "$(dirname "$0")/.."
components=(node venv noderunner sandbox)
# FerretDB serves the platform (unless MONGO_URI names a server) and every tenant's databases (unless
# DATABASE_PROVIDER names another provider).
[ -n "${MONGO_URI:-}" ] && [ "${DATABASE_PROVIDER:-ferretdb}" != ferretdb ] || components+=(ferretdb)
bash scripts/setup.sh "${components[@]}"
bash scripts/build-ui.sh
exec node --import tsx scripts/start-platform.ts
