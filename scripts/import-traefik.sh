#!/usr/bin/env bash
# Regenerates constructs/imports/traefik.io.ts (the typed IngressRoute class) from Traefik's CRD,
# taken from the Go module github.com/traefik/traefik/v3 at TRAEFIK_VERSION. Needs the network once
# (Go module proxy and the npm registry for cdk8s-cli); the output is committed, so builds never run this.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/versions.env
dir=$(go mod download -json "github.com/traefik/traefik/v3@v$TRAEFIK_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
python3 - "$dir/docs/content/reference/dynamic-configuration/kubernetes-crd-definition-v1.yml" <<'PY'
import sys
docs = open(sys.argv[1]).read().split("\n---\n")
crd = next(d for d in docs if "\n  name: ingressroutes.traefik.io" in d)
open("constructs/crds/traefik-ingressroute.yaml", "w").write(crd.strip() + "\n")
PY
npx --yes cdk8s-cli@2.207.60 import traefik:=constructs/crds/traefik-ingressroute.yaml -l typescript --no-save -o constructs/imports
mv constructs/imports/traefik-traefik.io.ts constructs/imports/traefik.io.ts
