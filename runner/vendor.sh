#!/usr/bin/env bash
# Fetches the runner's vendored assets again from the npm registry (npm pack) and checks them against
# the hashes in _platform_runner/vendor/VENDOR.md. Run it when bumping a version; the files are committed.
set -euo pipefail
cd "$(dirname "$0")/_platform_runner/vendor"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fetch() { # package@version, path in the package, file name here
  (cd "$work" && npm pack "$1" --silent >/dev/null)
  local tarball
  tarball=$(ls "$work"/*.tgz | head -1)
  tar xzf "$tarball" -C "$work" "package/$2"
  mv "$work/package/$2" "$3"
  rm -rf "$work/package" "$tarball"
}
fetch htmx.org@2.0.7 dist/htmx.js htmx-2.0.7.js
fetch @anyblades/pico@2.5.0 css/pico.min.css pico-2.5.0.min.css
fetch css-scope-inline@1.0.0 script.js css-scope-inline-1.0.0.js
grep -oE '`[a-z0-9.-]+\.(js|css)` \|[^|]*\|[^|]*\| [0-9a-f]{64}' VENDOR.md | sed -E 's/^`([^`]+)`.* ([0-9a-f]{64})$/\2  \1/' | sha256sum -c -
