#!/usr/bin/env bash
# Builds Liftoff's runtime image from the binary `make build` produced, with
# podman (or buildah), and checks what a deployment relies on: user, ports,
# entrypoint, health check, environment, volume, /data ownership and size.
# It pulls nothing: the image is FROM scratch. Exits non-zero on any failed
# check.
#
#   make build && deploy/docker/build-image.sh
#
# Environment: BIN (default ./liftoff), IMAGE (default localhost/liftoff:ci),
# MAX_MB (default 40), BUILDER (podman or buildah; default: whichever is
# installed, podman first), SMOKE (1: also run the container and wait for
# its health check; auto: try it and skip when containers cannot run here;
# 0: never; default auto).
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
BIN=${BIN:-./liftoff}
IMAGE=${IMAGE:-localhost/liftoff:ci}
MAX_MB=${MAX_MB:-40}
SMOKE=${SMOKE:-auto}

failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
ok() { echo "ok:   $*"; }

if [ ! -x "$BIN" ]; then
	echo "no executable $BIN: run 'make build' first" >&2
	exit 1
fi
# The runtime stage has no libc: the binary must be static.
if command -v readelf >/dev/null && readelf -l "$BIN" 2>/dev/null | grep -q 'Requesting program interpreter'; then
	echo "$BIN is dynamically linked; build it with CGO_ENABLED=0 (make build)" >&2
	exit 1
fi

BUILDER=${BUILDER:-}
if [ -z "$BUILDER" ]; then
	if command -v podman >/dev/null; then BUILDER=podman
	elif command -v buildah >/dev/null; then BUILDER=buildah
	else
		echo "neither podman nor buildah is installed (Debian: apt-get install -y podman)" >&2
		exit 1
	fi
fi

# Storage: the default driver (overlay) where it works, else vfs, which
# works everywhere (inside containers and sandboxes too), only slower.
storage=()
if ! "$BUILDER" info >/dev/null 2>&1; then
	storage=(--storage-driver=vfs)
fi
cli() { "$BUILDER" "${storage[@]}" "$@"; }
inspect() {
	if [ "$BUILDER" = podman ]; then cli image inspect "$@"; else cli inspect --type image "$@"; fi
}

ctx=$(mktemp -d)
trap 'rm -rf "$ctx"' EXIT
install -m 0755 "$BIN" "$ctx/liftoff"
mkdir -p "$ctx/rootfs/tmp" "$ctx/rootfs/etc/ssl/certs" "$ctx/datadir/data"
chmod 1777 "$ctx/rootfs/tmp"
chmod 0775 "$ctx/datadir/data"
ca=/etc/ssl/certs/ca-certificates.crt
if [ -f "$ca" ]; then
	cp "$ca" "$ctx/rootfs/etc/ssl/certs/"
else
	echo "warning: $ca not found; the image will have an empty CA bundle" >&2
	: >"$ctx/rootfs/etc/ssl/certs/ca-certificates.crt"
fi
cp deploy/docker/Dockerfile.runtime "$ctx/Dockerfile"

# Docker format, not OCI: the OCI image config has no HEALTHCHECK.
build() {
	if [ "$BUILDER" = podman ]; then
		cli build --format docker --pull=never -t "$IMAGE" "$ctx"
	else
		cli bud --format docker --pull-never -t "$IMAGE" "$ctx"
	fi
}
echo "building $IMAGE with $BUILDER ${storage[*]}"
if ! build; then
	if [ ${#storage[@]} -eq 0 ]; then
		echo "retrying with --storage-driver=vfs"
		storage=(--storage-driver=vfs)
		build
	else
		exit 1
	fi
fi

check() { # name, got, want
	if [ "$2" = "$3" ]; then ok "$1 = $2"; else fail "$1 = $2, want $3"; fi
}
check user "$(inspect --format '{{.Config.User}}' "$IMAGE")" "10001:0"
check entrypoint "$(inspect --format '{{json .Config.Entrypoint}}' "$IMAGE")" '["/liftoff"]'
check cmd "$(inspect --format '{{json .Config.Cmd}}' "$IMAGE")" '["serve"]'
ports=$(inspect --format '{{range $p, $_ := .Config.ExposedPorts}}{{$p}} {{end}}' "$IMAGE")
check ports "$(echo "$ports" | xargs -n1 | sort | xargs)" "3000/tcp 9458/tcp"
volumes=$(inspect --format '{{range $v, $_ := .Config.Volumes}}{{$v}} {{end}}' "$IMAGE")
check volumes "$(echo "$volumes" | xargs)" "/data"
hc=$(inspect --format '{{json .Config.Healthcheck.Test}}' "$IMAGE" 2>/dev/null || true)
if [ -z "$hc" ] || [ "$hc" = null ]; then
	hc=$(inspect --format '{{json .Healthcheck.Test}}' "$IMAGE" 2>/dev/null || true)
fi
check healthcheck "$hc" '["CMD","/liftoff","healthcheck"]'
env=$(inspect --format '{{range .Config.Env}}{{.}} {{end}}' "$IMAGE")
for want in LIFTOFF_DATA_DIR=/data PORT=3000 LIFTOFF_METRICS_ADDR=:9458; do
	case " $env " in
	*" $want "*) ok "env has $want" ;;
	*) fail "env lacks $want (has: $env)" ;;
	esac
done
size=$(inspect --format '{{.Size}}' "$IMAGE")
limit=$((MAX_MB * 1000 * 1000))
if [ "$size" -lt "$limit" ]; then
	ok "size $((size / 1000 / 1000)) MB < $MAX_MB MB"
else
	fail "size $((size / 1000 / 1000)) MB, want < $MAX_MB MB"
fi

# The filesystem: only what the runtime stage puts there, /data writable by
# UID 10001 and by group 0.
if [ "$BUILDER" = podman ]; then
	mnt=$(cli image mount "$IMAGE")
	unmount() { cli image unmount "$IMAGE" >/dev/null; }
else
	c=$(cli from --pull-never "$IMAGE")
	mnt=$(cli mount "$c")
	unmount() { cli umount "$c" >/dev/null; cli rm "$c" >/dev/null; }
fi
check "/data owner:group mode" "$(stat -c '%u:%g %a' "$mnt/data")" "10001:0 775"
check "/tmp mode" "$(stat -c '%a' "$mnt/tmp")" "1777"
check "/liftoff mode" "$(stat -c '%a' "$mnt/liftoff")" "755"
files=$(cd "$mnt" && find . -mindepth 1 \( -type f -o -type l \) | sort | xargs)
check "files" "$files" "./etc/ssl/certs/ca-certificates.crt ./liftoff"
unmount

# Smoke run: the container starts under the image's user and under an
# arbitrary UID with group 0 (OpenShift), writes /data, and its health
# check passes. It needs a container runtime that works on this machine:
# sandboxes may forbid raising rlimits (so they are lowered) or lack the
# cgroup setup crun wants (then runc, when installed, is tried).
runopts=(--network host --no-healthcheck --ulimit nofile=8192:8192 --ulimit nproc=8192:8192)
smoke() { # user
	local name="liftoff-smoke-$$-${1%%:*}" ready=""
	local args=(run -d --name "$name" "${runopts[@]}" -e PORT=39301 -e LIFTOFF_METRICS_ADDR=127.0.0.1:39302
		-e ADMIN_USERNAME=admin -e ADMIN_PASS=smoke-pass-1 -e ADMIN_EMAIL=admin@example.com)
	[ -n "$1" ] && args+=(--user "$1")
	if ! cli "${args[@]}" "$IMAGE" >/dev/null; then
		fail "container as ${1:-the image user} did not start"
		return
	fi
	for _ in $(seq 1 60); do
		if cli exec "$name" /liftoff healthcheck >/dev/null 2>&1; then ready=1; break; fi
		[ "$(cli inspect --format '{{.State.Running}}' "$name" 2>/dev/null)" = true ] || break
		sleep 0.5
	done
	if [ -n "$ready" ]; then
		ok "container as ${1:-the image user} is ready: $(cli exec "$name" /liftoff healthcheck 2>&1 | tr -d '\n')"
	else
		fail "container as ${1:-the image user} never became ready; its logs:"
		cli logs "$name" 2>&1 | tail -20 >&2
	fi
	cli rm -f "$name" >/dev/null 2>&1 || true
}
can_run() { cli run --rm "${runopts[@]}" --entrypoint /liftoff "$IMAGE" version >/dev/null 2>&1; }
if [ "$SMOKE" != 0 ] && [ "$BUILDER" = podman ]; then
	runnable=""
	if can_run; then
		runnable=1
	elif command -v runc >/dev/null; then
		storage+=(--runtime runc)
		can_run && runnable=1
	fi
	if [ -n "$runnable" ]; then
		smoke ""
		smoke "1000660000:0"
	elif [ "$SMOKE" = 1 ]; then
		fail "containers cannot run here (SMOKE=1):"
		cli run --rm "${runopts[@]}" --entrypoint /liftoff "$IMAGE" version || true
	else
		echo "skip: containers cannot run on this machine; the image was checked without running it"
	fi
fi

if [ "$failures" -gt 0 ]; then
	echo "$failures image check(s) failed" >&2
	exit 1
fi
echo "image $IMAGE: all checks passed"
