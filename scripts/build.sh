#!/usr/bin/env bash
# `npm run build`: the API as plain JavaScript, runnable with production dependencies only (no tsx):
#
#   scripts/build.sh [out-dir]        default: build/
#   node build/api/main.js            what the API image runs (api/Dockerfile)
#   node build/api/gateway-main.js    the gateway, the same image with another command (the chart)
#
# The output mirrors the repository (api/, contract/, constructs/, validation/, templates/, runner/, ui/dist), so
# relative imports and the assets each module finds next to itself through import.meta.url resolve
# unchanged: templates/*.yaml, validation/python/ (the analyzer), runner/entrypoint.py (local runtime), ui/dist
# (when built). Packages resolve from the nearest node_modules above out-dir (the repository's, or the
# image's /app/node_modules). tsc only transpiles here (scripts/tsconfig.build.json sets noCheck);
# `npm run typecheck` type-checks. An output whose inputs are unchanged is reused as it is.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
out=$(realpath -m "${1:-$root/build}")
cd "$root"

say() { printf '[build] %s\n' "$*" >&2; }

inputs=(api contract constructs validation templates runner/entrypoint.py runner/_platform_runner runner-node/src/compile.ts
  tsconfig.base.json scripts/tsconfig.build.json scripts/build.sh package-lock.json)
[ -d ui/dist ] && inputs+=(ui/dist)
# Every input's path, size and modification time: an added, changed or removed file changes it.
fingerprint=$(find "${inputs[@]}" -type f -not -path '*/__pycache__/*' -printf '%p %s %T@\n' | sort | sha256sum | cut -c1-16)
if [ "$(cat "$out/.build-inputs" 2>/dev/null)" = "$fingerprint" ]; then
  say "$out is up to date"
  exit 0
fi

work="$out.partial"
rm -rf "$work"
mkdir -p "$work"
"$root/node_modules/.bin/tsc" -p scripts/tsconfig.build.json --outDir "$work"

cp templates/*.yaml "$work/templates/"
mkdir -p "$work/validation/python/fp_analysis"
cp validation/python/*.py "$work/validation/python/"
cp validation/python/fp_analysis/*.py "$work/validation/python/fp_analysis/"
mkdir -p "$work/runner"
cp runner/entrypoint.py "$work/runner/"
cp -r runner/_platform_runner "$work/runner/"
find "$work/runner" -name __pycache__ -prune -exec rm -rf {} +
if [ -d ui/dist ]; then mkdir -p "$work/ui" && cp -r ui/dist "$work/ui/dist"; fi
# The emitted files are ES modules; this makes that true wherever out-dir lives.
printf '{ "name": "fastapi-platform-build", "private": true, "type": "module" }\n' > "$work/package.json"
for entry in main gateway-main; do [ -f "$work/api/$entry.js" ] || { say "tsc wrote no api/$entry.js"; exit 1; }; done
echo "$fingerprint" > "$work/.build-inputs"
# Readable by any UID whatever the umask: the API image runs it as 10001.
chmod -R a+rX "$work"

rm -rf "$out"
mv "$work" "$out"
say "wrote $out (run: node ${out#"$root"/}/api/main.js)"
