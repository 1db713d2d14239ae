#!/usr/bin/env bash
# `npm test`: set-up (packages, apt, venv, test-bed binaries; idempotent and cached), lint, typecheck,
# then test/run.ts, which starts the test bed, runs ava and prints "N passed, N failed".
# Arguments go to ava, e.g. `npm test -- test/constructs/user-app.test.ts`.
set -uo pipefail
cd "$(dirname "$0")/.."

begin=$(date +%s)
setup_ok=1
bash scripts/setup.sh node apt sandbox venv noderunner kube ferretdb traefik coredns traefikbin kuberouter helm rootfs || setup_ok=0
echo "[test] set-up took $(( $(date +%s) - begin ))s" >&2
if [ ! -d node_modules ]; then
  mkdir -p test-results
  printf '{"passed":0,"failed":1,"failures":["npm ci failed"]}\n' > test-results/summary.json
  echo "0 passed, 1 failed"
  exit 1
fi

failed_checks=""
[ "$setup_ok" = 1 ] || echo "[test] set-up failed for a component; the tests that need it will fail and say why" >&2
echo "[test] lint" >&2
npx eslint --max-warnings=0 . || failed_checks="$failed_checks lint"
echo "[test] typecheck" >&2
npx tsc -b || failed_checks="$failed_checks typecheck"
echo "[test] build the UI" >&2
bash scripts/build-ui.sh || failed_checks="$failed_checks build-ui"
echo "[test] build the fp CLI" >&2
npm run build --workspace cli --silent || failed_checks="$failed_checks build-cli"

FP_FAILED_CHECKS="$failed_checks" npx tsx test/run.ts "$@"
