#!/usr/bin/env bash
# Starts Debian's docker-registry (CNCF distribution v2) on 127.0.0.1:5000 and pushes a Debian
# bookworm image built with debootstrap + umoci into it as vigil/bookworm:test (idempotent).
# The scan registry test reads VIGIL_TEST_REGISTRY (default 127.0.0.1:5000) and skips when the
# image is absent. Packages: .ci/apt-packages.d/scan.txt.
set -euo pipefail
PORT=${VIGIL_REGISTRY_PORT:-5000}
DATA=${VIGIL_REGISTRY_DATA:-/var/tmp/vigil-registry}
WORK=${VIGIL_REGISTRY_WORK:-/var/tmp/vigil-bookworm}
mkdir -p "$DATA" "$WORK"
if ! curl -fsS "http://127.0.0.1:$PORT/v2/" >/dev/null 2>&1; then
  cat > "$DATA/config.yml" <<CONF
version: 0.1
storage:
  filesystem:
    rootdirectory: $DATA/storage
http:
  addr: 127.0.0.1:$PORT
CONF
  nohup docker-registry serve "$DATA/config.yml" > "$DATA/registry.log" 2>&1 &
  for _ in $(seq 1 30); do curl -fsS "http://127.0.0.1:$PORT/v2/" >/dev/null 2>&1 && break; sleep 0.5; done
fi
if ! curl -fsS "http://127.0.0.1:$PORT/v2/vigil/bookworm/manifests/test" -H 'Accept: application/vnd.oci.image.manifest.v1+json' >/dev/null 2>&1; then
  if [ ! -f "$WORK/rootfs/etc/debian_version" ]; then
    # use the archive apt is configured with on this machine (deb822 or one-line sources)
    MIRROR=$(grep -hs '^URIs:' /etc/apt/sources.list.d/*.sources | awk '{print $2}' | grep -v security | head -1 || true)
    [ -n "$MIRROR" ] || MIRROR=$(grep -hs '^deb ' /etc/apt/sources.list | awk '{print $2}' | head -1 || true)
    debootstrap --variant=minbase bookworm "$WORK/rootfs" "$MIRROR" >"$WORK/debootstrap.log" 2>&1
  fi
  rm -rf "$WORK/oci"
  umoci init --layout "$WORK/oci"
  umoci new --image "$WORK/oci:test"
  umoci insert --image "$WORK/oci:test" "$WORK/rootfs" /
  skopeo copy --dest-tls-verify=false "oci:$WORK/oci:test" "docker://127.0.0.1:$PORT/vigil/bookworm:test"
fi
echo "registry ready: 127.0.0.1:$PORT/vigil/bookworm:test"
