#!/usr/bin/env bash
# The base layers of the real node's images, built without a registry (scripts/setup.sh `rootfs`):
#
#   scripts/rootfs.sh <out-dir> <suite> <python3.11> <requirements.txt>
#
#   <out-dir>/base.tar            Debian <suite> minbase + the host's CPython 3.11 in /usr/local, with pip
#                                 (what runner/Dockerfile's `python:3.11-slim-bookworm` base provides)
#   <out-dir>/runner-deps-<h>.tar the requirements installed into /usr/local as runner/Dockerfile's
#                                 `pip install -r` + `compileall` step does: an overlayfs upper dir
#
# Debian 12's python3 is 3.11.2, too old for the pinned requirements (soupsieve needs >= 3.11.5), so the
# host's own CPython 3.11 build is copied in instead. Layers are plain tars made with --numeric-owner;
# test/bed/images/ assembles them into image archives. Needs root (debootstrap, chroot, overlayfs).
set -euo pipefail

out=$1 suite=$2 py=$3 requirements=$4
say() { printf '[rootfs] %s\n' "$*" >&2; }
chroot_bin=$(command -v chroot)
sha8() { sha256sum "$1" | cut -c1-8; }

mirror() {
  local uri
  uri=$(sed -n 's/^URIs:[[:space:]]*//p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -1)
  [ -n "$uri" ] || uri=$(awk '$1 == "deb" { print $2; exit }' /etc/apt/sources.list 2>/dev/null)
  echo "${uri:-http://deb.debian.org/debian}"
}

mounts=()
cleanup() {
  local i
  for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do umount -l "${mounts[$i]}" 2>/dev/null || true; done
}
trap cleanup EXIT
mount_at() { mount "$@"; mounts+=("${!#}"); }

build_base() {
  local work="$out.partial" prefix
  prefix=$("$py" -c 'import sys; print(sys.base_prefix)')
  rm -rf "$work" && mkdir -p "$work"
  say "debootstrap $suite (minbase) from $(mirror)"
  # The shared libraries CPython's extension modules and Node link against, plus CA certificates.
  debootstrap --variant=minbase \
    --include=ca-certificates,netbase,libssl3,libffi8,libsqlite3-0,libbz2-1.0,liblzma5,zlib1g,libexpat1,libuuid1,libncursesw6,libreadline8,libgdbm6,libstdc++6 \
    "$suite" "$work/base" "$(mirror)" > "$work/debootstrap.log" 2>&1 || { tail -30 "$work/debootstrap.log" >&2; return 1; }
  local root="$work/base"
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root"/var/log/* "$root"/var/cache/debconf/*-old
  # The kubelet mounts these over the image's; they only need to exist.
  : > "$root/etc/resolv.conf"; : > "$root/etc/hostname"

  say "CPython $("$py" -c 'import platform; print(platform.python_version())') from $prefix"
  mkdir -p "$root/usr/local/bin" "$root/usr/local/lib/python3.11/site-packages"
  cp -a "$prefix/bin/python3.11" "$root/usr/local/bin/"
  ln -s python3.11 "$root/usr/local/bin/python3"
  ln -s python3 "$root/usr/local/bin/python"
  cp -a "$prefix"/lib/libpython3*.so* "$root/usr/local/lib/"
  # The standard library without its test suite, Tk, IDLE, the static library, or the host's packages.
  tar -C "$prefix/lib" --exclude='python3.11/site-packages' --exclude='python3.11/test' \
    --exclude='python3.11/idlelib' --exclude='python3.11/tkinter' --exclude='python3.11/turtledemo' \
    --exclude='python3.11/lib2to3/tests' --exclude='python3.11/config-3.11-*' --exclude='__pycache__/*.opt-?.pyc' \
    -cf - python3.11 | tar -C "$root/usr/local/lib" -xf -
  # The binary's RUNPATH names the host's prefix; /usr/local/lib comes from ld.so.conf instead.
  chroot "$root" /sbin/ldconfig
  env -i PATH=/usr/local/bin:/usr/bin:/bin LANG=C.UTF-8 HOME=/root \
    "$chroot_bin" "$root" /usr/local/bin/python3.11 -m ensurepip --default-pip > /dev/null
  env -i PATH=/usr/local/bin:/usr/bin:/bin LANG=C.UTF-8 \
    "$chroot_bin" "$root" /usr/local/bin/python3.11 -m compileall -q /usr/local/lib/python3.11 > /dev/null || true
  chroot "$root" /usr/local/bin/python3.11 -c 'import ssl, sqlite3, ctypes, lzma, bz2, zlib, uuid, decimal; print("stdlib ok")' >&2
  rm -rf "$root/root/.cache"

  tar --numeric-owner -C "$root" -cf "$work/base.tar" .
  touch "$work/.complete"
  rm -rf "$out"
  mv "$work" "$out"
}

# The requirements as their own layer: pip runs in a chroot of an overlay on the base, so the upper
# directory holds exactly what the install added (the host's CA bundle and resolver are bind-mounted
# for it and never land in the layer).
build_runner_deps() {
  local layer="$out/runner-deps-$(sha8 "$requirements").tar" work="$out/deps.partial"
  [ -f "$layer" ] && return 0
  say "pip install -r $requirements (into /usr/local, as runner/Dockerfile does)"
  rm -rf "$work" && mkdir -p "$work"/{upper,ovl,merged}
  mount_at -t overlay overlay -o "lowerdir=$out/base,upperdir=$work/upper,workdir=$work/ovl" "$work/merged"
  mount_at --bind /etc/ssl/certs/ca-certificates.crt "$work/merged/etc/ssl/certs/ca-certificates.crt"
  mount_at --bind /etc/resolv.conf "$work/merged/etc/resolv.conf"
  mount_at -t proc proc "$work/merged/proc"
  mount_at --rbind /dev "$work/merged/dev"
  env -i PATH=/usr/local/bin:/usr/bin:/bin LANG=C.UTF-8 HOME=/root PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_CERT=/etc/ssl/certs/ca-certificates.crt \
    PIP_ROOT_USER_ACTION=ignore PIP_DEFAULT_TIMEOUT=180 \
    "$chroot_bin" "$work/merged" /usr/local/bin/python3.11 -m pip install --quiet -r /dev/stdin < "$requirements"
  env -i PATH=/usr/local/bin:/usr/bin:/bin LANG=C.UTF-8 \
    "$chroot_bin" "$work/merged" /usr/local/bin/python3.11 -m compileall -q /usr/local/lib/python3.11 > /dev/null || true
  cleanup
  mounts=()
  rm -rf "$work/upper/root/.cache" "$work/upper/tmp"/*
  # Parents copied up only because a mount point sat below them.
  find "$work/upper" -depth -type d -empty -delete
  if [ -n "$(find "$work/upper" -type c -print -quit)" ]; then
    say "the install deleted files of the base layer (overlay whiteouts); refusing to build a layer that hides them"
    return 1
  fi
  tar --numeric-owner -C "$work/upper" -cf "$layer.partial" .
  mv "$layer.partial" "$layer"
  rm -rf "$work"
}

[ -f "$out/.complete" ] || build_base
build_runner_deps
