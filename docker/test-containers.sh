#!/usr/bin/env bash
# Builds the MoodGrains image and runs PostgreSQL, Redis and two silos as podman containers, then checks that the
# silos form one cluster, share a room, expose /metrics and survive the loss of one container. Cleans up after itself.
#
#   docker/test-containers.sh          the whole test (prints image size, start-up and failover times)
#   docker/test-containers.sh base     only make (or reuse) the cached Debian base image
#
# No image registry is reachable on the development machine, so the base image is made locally with debootstrap and
# cached; the app is published on the host and copied in. Real users build docker/Containerfile from the public
# images instead (its BASE_IMAGE / SDK_IMAGE build arguments).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CACHE="${MOODGRAINS_CONTAINER_CACHE:-$HOME/.cache/moodgrains/containers}"
BASE_IMAGE="localhost/moodgrains-base:bookworm"
RUNTIME_BASE="localhost/moodgrains-runtime-base:bookworm"
APP_IMAGE="localhost/moodgrains:test"
PREFIX="mgtest"
mkdir -p "$CACHE"

# crun fails on this kernel's cgroups and the default ulimits cannot be raised inside an unprivileged VM.
export CONTAINERS_CONF="$CACHE/containers.conf"
printf '[containers]\ndefault_ulimits = []\n' > "$CONTAINERS_CONF"
podman() { command podman --runtime runc "$@"; }

log() { printf '[%(%H:%M:%S)T] %s\n' -1 "$*" >&2; }

make_base() {
  if podman image exists "$BASE_IMAGE"; then
    return
  fi
  local dir="$CACHE/bookworm-minbase"
  if [[ ! -f "$CACHE/bookworm-minbase.done" ]]; then
    log "debootstrap --variant=minbase bookworm (about 2 minutes, once)"
    rm -rf "$dir"
    debootstrap --variant=minbase bookworm "$dir" >"$CACHE/debootstrap.log" 2>&1
    rm -rf "$dir"/var/cache/apt/archives/*.deb "$dir"/var/lib/apt/lists/*
    touch "$CACHE/bookworm-minbase.done"
  fi
  tar -C "$dir" -c . | podman import - "$BASE_IMAGE" >/dev/null
}

make_base
if [[ "${1:-}" == "base" ]]; then
  exit 0
fi

# The runtime's own dependencies from Debian, and the .NET runtime copied from the host's SDK installation (real
# users get both from the ASP.NET Core base image instead).
make_runtime_base() {
  if podman image exists "$RUNTIME_BASE"; then
    return
  fi
  local dotnet_root ctx="$CACHE/runtime-base"
  dotnet_root="$(dirname "$(readlink -f "$(command -v dotnet)")")"
  rm -rf "$ctx" && mkdir -p "$ctx/dotnet/shared"
  cp -a "$dotnet_root/dotnet" "$dotnet_root/host" "$ctx/dotnet/"
  cp -a "$dotnet_root/shared/Microsoft.NETCore.App" "$dotnet_root/shared/Microsoft.AspNetCore.App" "$ctx/dotnet/shared/"
  cat >"$ctx/Containerfile" <<'CF'
FROM localhost/moodgrains-base:bookworm
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates libicu72 libssl3 tzdata zlib1g \
      libgtk-3-0 libdrm2 opencv-data postgresql-15 redis-server \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --uid 1654 --create-home --shell /usr/sbin/nologin app
COPY dotnet /usr/share/dotnet
RUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet
CF
  log "building $RUNTIME_BASE (Debian packages + the host's .NET runtime, once)"
  podman build -q -t "$RUNTIME_BASE" "$ctx" >/dev/null
}

make_runtime_base

start=$SECONDS
log "dotnet publish"
publish="$CACHE/publish"
rm -rf "$publish" && mkdir -p "$publish"
dotnet publish "$ROOT/src/MoodGrains.Server/MoodGrains.Server.csproj" -c Release -r linux-x64 --self-contained false -o "$publish/app" --nologo -v quiet >"$CACHE/publish.log" 2>&1 \
  || { tail -n 30 "$CACHE/publish.log"; exit 1; }
printf 'FROM scratch\nCOPY app /app\n' >"$publish/Containerfile"
podman build -q -t localhost/moodgrains-app:test "$publish" >/dev/null
log "podman build docker/Containerfile (BASE_IMAGE=$RUNTIME_BASE, APP_IMAGE=localhost/moodgrains-app:test)"
podman build -q --format docker --target runtime \
  --build-arg SDK_IMAGE="$RUNTIME_BASE" --build-arg BASE_IMAGE="$RUNTIME_BASE" --build-arg APP_IMAGE=localhost/moodgrains-app:test \
  -f "$ROOT/docker/Containerfile" -t "$APP_IMAGE" "$ROOT" >/dev/null
image_bytes=$(podman image inspect "$APP_IMAGE" --format '{{.Size}}')
log "image built in $((SECONDS - start)) s"

cleanup() {
  podman rm -f -t 0 "$PREFIX-silo1" "$PREFIX-silo2" "$PREFIX-pg" "$PREFIX-redis" >/dev/null 2>&1 || true
  podman network rm -f "$PREFIX-net" >/dev/null 2>&1 || true
}
trap cleanup EXIT
cleanup
podman network create "$PREFIX-net" >/dev/null
ip_of() { podman inspect -f "{{(index .NetworkSettings.Networks \"$PREFIX-net\").IPAddress}}" "$1"; }
ms() { date +%s%3N; }

# PostgreSQL and Redis from Debian's packages in the runtime base (the compose file uses the official images).
podman run -d --name "$PREFIX-pg" --network "$PREFIX-net" --user postgres "$RUNTIME_BASE" bash -c '
  /usr/lib/postgresql/15/bin/initdb -D /tmp/pg -U postgres -A trust >/dev/null &&
  echo "host all all 0.0.0.0/0 trust" >> /tmp/pg/pg_hba.conf &&
  exec /usr/lib/postgresql/15/bin/postgres -D /tmp/pg -c listen_addresses="*" -c unix_socket_directories=/tmp' >/dev/null
podman run -d --name "$PREFIX-redis" --network "$PREFIX-net" "$RUNTIME_BASE" \
  redis-server --bind 0.0.0.0 --protected-mode no --save '' --appendonly no >/dev/null
for _ in $(seq 60); do
  podman exec "$PREFIX-pg" pg_isready -h /tmp -q && break
  sleep 0.5
done
podman exec "$PREFIX-pg" psql -h /tmp -U postgres -qc 'CREATE DATABASE moodgrains' >/dev/null
PG="Host=$(ip_of "$PREFIX-pg");Username=postgres;Password=unused-secret;Database=moodgrains"
REDIS="$(ip_of "$PREFIX-redis"):6379"
KEY="$(head -c 32 /dev/urandom | base64)"

HTTP1="${MOODGRAINS_TEST_PORT1:-18080}"
HTTP2="${MOODGRAINS_TEST_PORT2:-18081}"
run_silo() {
  podman run -d --name "$PREFIX-$1" --network "$PREFIX-net" -p "127.0.0.1:$2:8080" \
    -e MOODGRAINS_POSTGRES="$PG" -e MOODGRAINS_REDIS="$REDIS" -e MOODGRAINS_SESSION_KEY="$KEY" \
    -e MOODGRAINS_CLUSTER_ID=containers -e MoodGrains__DataProtection__KeysInPostgres=true \
    -e MoodGrains__Logging__Json=true "$APP_IMAGE" >/dev/null
}
wait_healthy() {
  for _ in $(seq 240); do
    curl -fs -m 2 "http://127.0.0.1:$1/health" >/dev/null && return 0
    [[ "$(podman inspect -f '{{.State.Running}}' "$PREFIX-$2")" == true ]] || break
    sleep 0.5
  done
  echo "silo on port $1 never became healthy" >&2
  podman logs --tail 40 "$PREFIX-$2" >&2
  return 1
}

t0=$(ms)
run_silo silo1 "$HTTP1"
wait_healthy "$HTTP1" silo1
startup1=$(( $(ms) - t0 ))
t0=$(ms)
run_silo silo2 "$HTTP2"
wait_healthy "$HTTP2" silo2
startup2=$(( $(ms) - t0 ))
log "silo 1 healthy after $startup1 ms (first start, migrations), silo 2 after $startup2 ms"

active=0
for _ in $(seq 40); do
  active=$(podman exec "$PREFIX-pg" psql -h /tmp -U postgres -d moodgrains -tAc \
    "SELECT count(*) FROM orleans_membership WHERE deployment_id = 'containers' AND status = 3")
  [[ "$active" == 2 ]] && break
  sleep 0.5
done
[[ "$active" == 2 ]] || { echo "expected 2 active silos in one cluster, found $active" >&2; exit 1; }
# Without systemd podman does not schedule HEALTHCHECKs itself; run the image's check once by hand.
for silo in silo1 silo2; do
  podman healthcheck run "$PREFIX-$silo" >/dev/null || { echo "the HEALTHCHECK of $silo failed" >&2; exit 1; }
done
log "one cluster, two active silos"

grep -qi '<html' <<<"$(curl -fs "http://127.0.0.1:$HTTP1/")" || { echo "silo 1 does not serve the page" >&2; exit 1; }
token=$(curl -fs -X POST "http://127.0.0.1:$HTTP1/api/session" | jq -r .token)
auth=(-H "Authorization: Bearer $token")
code=$(curl -fs "${auth[@]}" -H 'Content-Type: application/json' -d '{"displayName":"Ann"}' "http://127.0.0.1:$HTTP1/api/rooms" | jq -r .code)
[[ "$(curl -fs "${auth[@]}" "http://127.0.0.1:$HTTP2/api/rooms/$code" | jq -r .code)" == "$code" ]] \
  || { echo "room $code made through silo 1 is not readable through silo 2" >&2; exit 1; }
log "room $code created through silo 1, read through silo 2"

for port in "$HTTP1" "$HTTP2"; do
  metrics=$(curl -fs "http://127.0.0.1:$port/metrics")
  grep -q '^orleans_' <<<"$metrics" || { echo "no Orleans metrics on port $port" >&2; exit 1; }
  grep -q '^moodgrains_' <<<"$metrics" || { echo "no MoodGrains metrics on port $port" >&2; exit 1; }
done
log "/metrics answers on both silos"

# Kill the container whose silo holds the room, and time until the room answers from the survivor.
location=$(curl -fs "${auth[@]}" "http://127.0.0.1:$HTTP1/api/rooms/$code/location")
silo1_ip=$(ip_of "$PREFIX-silo1")
if grep -q "$silo1_ip" <<<"$location"; then victim=silo1 survivor="$HTTP2"; else victim=silo2 survivor="$HTTP1"; fi
t0=$(ms)
podman kill -s KILL "$PREFIX-$victim" >/dev/null
until [[ "$(curl -fs -m 5 "${auth[@]}" "http://127.0.0.1:$survivor/api/rooms/$code" | jq -r .code 2>/dev/null)" == "$code" ]]; do
  (( $(ms) - t0 < 60000 )) || { echo "the room did not come back within 60 s" >&2; exit 1; }
  sleep 0.2
done
failover=$(( $(ms) - t0 ))
log "killed $victim (held the room); the room answered from the survivor after $failover ms"

printf 'image %s MB; silo 1 healthy after %s ms, silo 2 after %s ms; failover %s ms; whole test %s s\n' \
  "$(( image_bytes / 1000000 ))" "$startup1" "$startup2" "$failover" "$SECONDS"
echo "container test passed"
