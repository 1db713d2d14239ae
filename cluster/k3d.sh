#!/usr/bin/env bash
# Try the whole platform on a local k3d cluster: for operators who have Docker. NOT exercised in CI
# (the CI machine has no Docker daemon): there, only `bash -n` and the static checks of the images in
# test/images/ run. Safe to run again: every step reuses what is already there.
#
#   cluster/k3d.sh
#
# 1. creates (or starts, or reuses) the k3d cluster "fastapi-platform" with host port 80 mapped to its
#    load balancer, so k3s' bundled Traefik answers at http://*.127.0.0.1.nip.io;
# 2. builds the runners', API and UI images (runner/Dockerfile, runner-node/Dockerfile, api/Dockerfile,
#    ui/Dockerfile) and imports them into the cluster;
# 3. installs a MongoDB server (one pod, official image, data on a local-path volume) in namespace
#    "mongodb": for trying the platform out, not for production data;
# 4. creates the Secret platform-secrets (MONGO_URI, a generated SECRET_KEY) unless it exists;
# 5. synthesizes the platform chart (`npm run synth` → dist/) and applies it server-side, waits for
#    the API and UI rollouts and prints the URL.
#
# Needs docker (with a running daemon), k3d v5, kubectl, node and npm. kubectl always gets
# --context k3d-<cluster>, so your current context is left alone. Environment:
#   FP_K3D_CLUSTER   cluster name (default fastapi-platform)
#   FP_K3S_IMAGE     k3s node image (default rancher/k3s:v1.32.5-k3s1, the test bed's Kubernetes minor)
# Port 80 on the host must be free (the URL has no port; the chart's PUBLIC_URL says the same).
set -euo pipefail

cluster=${FP_K3D_CLUSTER:-fastapi-platform}
k3s_image=${FP_K3S_IMAGE:-rancher/k3s:v1.32.5-k3s1}
mongo_image=mongo:8.0.17
# The platform chart's defaults (cluster/config.ts); test/images checks these agree.
runner_image=fastapi-platform/runner:0.1.0
runner_node_image=fastapi-platform/runner-node:0.1.0
api_image=fastapi-platform/api:0.1.0
ui_image=fastapi-platform/ui:0.1.0
namespace=fastapi-platform
base_domain=platform.127.0.0.1.nip.io
app_domain=apps.127.0.0.1.nip.io
# k3s runs its bundled Traefik in kube-system; the NetworkPolicies admit traffic from there.
ingress_namespace=kube-system

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

say() { printf '[k3d] %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }
kc() { kubectl --context "k3d-$cluster" "$@"; }

# --- tools -------------------------------------------------------------------------------------------
missing=()
for tool in docker k3d kubectl node npm; do command -v "$tool" >/dev/null || missing+=("$tool"); done
[ ${#missing[@]} = 0 ] || die "missing: ${missing[*]} (this script needs docker, k3d v5, kubectl, node and npm)"
docker info >/dev/null 2>&1 || die "docker is installed but its daemon does not answer (is it running, may you use it?)"
if [ ! -d node_modules ]; then
  say "npm ci (the chart is synthesized with the repository's packages)"
  npm ci --no-audit --no-fund --loglevel=error
fi

# --- cluster -----------------------------------------------------------------------------------------
if k3d cluster get "$cluster" >/dev/null 2>&1; then
  say "reusing cluster $cluster"
  k3d cluster start "$cluster" >/dev/null
  k3d kubeconfig merge "$cluster" --kubeconfig-merge-default --kubeconfig-switch-context=false >/dev/null
else
  say "creating cluster $cluster ($k3s_image, host port 80 → load balancer)"
  k3d cluster create "$cluster" --image "$k3s_image" --port '80:80@loadbalancer' --wait \
    --kubeconfig-update-default --kubeconfig-switch-context=false
fi
kc get nodes >/dev/null || die "kubectl cannot reach the cluster through context k3d-$cluster"

# --- images ------------------------------------------------------------------------------------------
say "building $runner_image, $runner_node_image, $api_image, $ui_image"
docker build --tag "$runner_image" runner/
docker build --tag "$runner_node_image" runner-node/
docker build --file api/Dockerfile --tag "$api_image" .
docker build --file ui/Dockerfile --tag "$ui_image" .
say "importing the images into $cluster"
k3d image import --cluster "$cluster" "$runner_image" "$runner_node_image" "$api_image" "$ui_image"

# --- MongoDB (for trying out) ------------------------------------------------------------------------
say "MongoDB ($mongo_image) in namespace mongodb"
kc apply -f - >/dev/null <<EOF
apiVersion: v1
kind: Namespace
metadata: { name: mongodb }
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: { name: mongodb-data, namespace: mongodb }
spec:
  accessModes: [ReadWriteOnce]
  storageClassName: local-path
  resources: { requests: { storage: 2Gi } }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: mongodb, namespace: mongodb, labels: { app.kubernetes.io/name: mongodb } }
spec:
  replicas: 1
  strategy: { type: Recreate }
  selector: { matchLabels: { app.kubernetes.io/name: mongodb } }
  template:
    metadata: { labels: { app.kubernetes.io/name: mongodb } }
    spec:
      containers:
        - name: mongodb
          image: $mongo_image
          ports: [{ containerPort: 27017, name: mongodb }]
          readinessProbe: { tcpSocket: { port: 27017 }, periodSeconds: 5 }
          volumeMounts: [{ name: data, mountPath: /data/db }]
      volumes:
        - name: data
          persistentVolumeClaim: { claimName: mongodb-data }
---
apiVersion: v1
kind: Service
metadata: { name: mongodb, namespace: mongodb }
spec:
  selector: { app.kubernetes.io/name: mongodb }
  ports: [{ name: mongodb, port: 27017, targetPort: 27017 }]
EOF
kc -n mongodb rollout status deployment/mongodb --timeout=300s

# --- secrets -----------------------------------------------------------------------------------------
kc get namespace "$namespace" >/dev/null 2>&1 || kc create namespace "$namespace" >/dev/null
if kc -n "$namespace" get secret platform-secrets >/dev/null 2>&1; then
  say "keeping the existing Secret platform-secrets"
else
  say "creating the Secret platform-secrets (MONGO_URI, a generated SECRET_KEY)"
  secret_key=$(node -e "process.stdout.write(require('node:crypto').randomBytes(32).toString('hex'))")
  kc -n "$namespace" create secret generic platform-secrets \
    --from-literal=MONGO_URI=mongodb://mongodb.mongodb.svc.cluster.local:27017/fastapi_platform \
    --from-literal=SECRET_KEY="$secret_key" >/dev/null
fi

# --- the platform chart ------------------------------------------------------------------------------
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
config=$work/platform.json
cat > "$config" <<EOF
{
  "namespace": "$namespace",
  "baseDomain": "$base_domain",
  "appDomain": "$app_domain",
  "ingress": { "namespace": "$ingress_namespace" },
  "images": { "api": "$api_image", "ui": "$ui_image", "runner": "$runner_image", "runnerNode": "$runner_node_image" }
}
EOF
say "synthesizing the platform chart (npm run synth → dist/)"
PLATFORM_CONFIG=$config npm run --silent synth

# k3s installs Traefik (and its CRDs, which the chart's IngressRoute needs) shortly after start.
say "waiting for Traefik's IngressRoute CRD"
for _ in $(seq 1 90); do kc get crd ingressroutes.traefik.io >/dev/null 2>&1 && break; sleep 2; done
kc wait --for=condition=Established crd/ingressroutes.traefik.io --timeout=60s >/dev/null

existed=$(kc -n "$namespace" get deployment api ui --ignore-not-found -o name)
say "applying dist/platform.k8s.yaml"
kc apply --server-side --field-manager=fastapi-platform -f dist/platform.k8s.yaml
if [ -n "$existed" ]; then
  # Same tags, new image contents: restart so the pods use the images imported above.
  say "restarting the API and UI on the new images"
  kc -n "$namespace" rollout restart deployment/api deployment/ui
fi
kc -n "$namespace" rollout status deployment/api --timeout=300s
kc -n "$namespace" rollout status deployment/ui --timeout=300s

say "the platform is running at http://$base_domain/ (apps at http://app-<id>.$app_domain/)"
say "API logs: kubectl --context k3d-$cluster -n $namespace logs deployment/api -f"
say "remove everything: k3d cluster delete $cluster"
