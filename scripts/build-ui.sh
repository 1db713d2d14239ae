#!/usr/bin/env bash
# Builds the editor UI into ui/dist (Vite) unless its inputs are unchanged since the last build.
# `npm start` and `npm test` run it after set-up; `npm run build:ui` always builds.
set -euo pipefail
cd "$(dirname "$0")/.."
# The UI also bundles the shared contract (the client), the validator's browser-safe core, and the Node
# runner's packages' type declarations (runner-node's lock) for the editor.
fingerprint=$(find ui contract validation -path ui/dist -prune -o -type f -printf '%p %s %T@\n' | sort | cat - package-lock.json runner-node/package-lock.json | sha256sum | cut -c1-16)
if [ -f ui/dist/index.html ] && [ "$(cat ui/dist/.build-inputs 2>/dev/null)" = "$fingerprint" ]; then exit 0; fi
printf '[build-ui] vite build\n' >&2
npx --no-install vite build --config ui/vite.config.ts --logLevel warn
echo "$fingerprint" > ui/dist/.build-inputs
