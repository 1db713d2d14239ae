#!/usr/bin/env bash
# Regenerates constructs/imports/traefik.io.ts (the typed IngressRoute class) from Traefik's CRD,
# taken from the Go module github.com/traefik/traefik/v3 at TRAEFIK_VERSION, with the pinned cdk8s-cli
# (`npx cdk8s import`, per cdk8s.yaml). Needs the Go module proxy once; the output is committed, so
# builds never run this.
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
CDK8S_CHECK_UPGRADE=false npx cdk8s import
