#!/usr/bin/env bash
# Starts containerd (Debian's 1.6 + runc) in the background without systemd, idempotently:
# socket /run/containerd/containerd.sock, state /run/containerd, data /var/lib/containerd.
# The CRI plugin is disabled (no kubelet here; tests drive containerd with ctr and Vigil's
# own client). Used by test/containers (client tests, the network-tool demo, evtgen helper).
# Packages: .ci/apt-packages.d/containers.txt.
set -euo pipefail
SOCK=${VIGIL_CONTAINERD_SOCKET:-/run/containerd/containerd.sock}
CONF_DIR=${VIGIL_CONTAINERD_CONF_DIR:-/var/lib/vigil-containerd}
command -v containerd >/dev/null || { echo "containerd is not installed (apt-get install containerd runc)"; exit 1; }
if ctr -a "$SOCK" version >/dev/null 2>&1; then
  echo "containerd ready: $SOCK (already running)"
  exit 0
fi
mkdir -p "$CONF_DIR" /var/lib/containerd /run/containerd "$(dirname "$SOCK")"
cat > "$CONF_DIR/config.toml" <<CONF
version = 2
root = "/var/lib/containerd"
state = "/run/containerd"
disabled_plugins = ["io.containerd.grpc.v1.cri"]

[grpc]
  address = "$SOCK"

[ttrpc]
  address = "$SOCK.ttrpc"
CONF
# a stale socket from a killed daemon would make containerd refuse to start
[ -S "$SOCK" ] && rm -f "$SOCK" "$SOCK.ttrpc"
nohup containerd --config "$CONF_DIR/config.toml" > "$CONF_DIR/containerd.log" 2>&1 &
echo $! > "$CONF_DIR/containerd.pid"
for _ in $(seq 1 60); do
  if ctr -a "$SOCK" version >/dev/null 2>&1; then
    echo "containerd ready: $SOCK (pid $(cat "$CONF_DIR/containerd.pid"))"
    exit 0
  fi
  sleep 0.5
done
echo "containerd did not answer on $SOCK within 30 s; log: $CONF_DIR/containerd.log" >&2
tail -20 "$CONF_DIR/containerd.log" >&2 || true
exit 1
