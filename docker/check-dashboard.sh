#!/usr/bin/env bash
# Runs the Grafana dashboard's queries against real data: two silos on this machine, Prometheus (Debian's package)
# scraping their /metrics, and `moodgrains load` driving simulated members. Prints every panel's queries with what
# Prometheus answered, fails if a panel the operator relies on (frames/s, push latency, inference time, rooms) is
# empty, and saves a picture of those panels over the run. Grafana itself is not obtainable on the development
# machine (neither Debian nor the npm or NuGet registries carry its server), so the picture is drawn by
# docker/dashboard-render.py from the same JSON and the same Prometheus answers.
#
#   docker/check-dashboard.sh [SECONDS]     load for SECONDS (default 90); output in $OUT (default /tmp/moodgrains-dashboard)
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SECONDS_OF_LOAD="${1:-90}"
OUT="${OUT:-/tmp/moodgrains-dashboard}"
export MOODGRAINS_DATA="$OUT/data" MOODGRAINS_PG_PORT=55732 MOODGRAINS_REDIS_PORT=56779
source "$ROOT/scripts/common.sh"
cd "$ROOT"
rm -rf "$OUT/prometheus" && mkdir -p "$OUT/prometheus"

if ! command -v prometheus >/dev/null; then
  log "installing Debian's prometheus package"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q prometheus >/dev/null
fi

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  stop_services
}
trap cleanup EXIT

ensure_dotnet
start_postgres
start_redis
ensure_session_key
log "building the server and the CLI"
dotnet build src/MoodGrains.Server -c Release -nologo -v quiet -clp:ErrorsOnly
dotnet build src/MoodGrains.Cli -c Release -nologo -v quiet -clp:ErrorsOnly

# Members send 2 fps; the per-member limit is raised so the load's own pacing, not the limiter, sets the rate.
export MoodGrains__Inference__MaxFramesPerSecond=10
for i in 1 2; do
  (cd src/MoodGrains.Server/bin/Release/net10.0 && exec dotnet MoodGrains.Server.dll --urls "http://127.0.0.1:538$i" \
    --silo-port "1138$i" --gateway-port "3038$i" --cluster-id dashboard) >"$OUT/silo$i.log" 2>&1 &
  pids+=($!)
done
for i in 1 2; do
  for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:538$i/health" >/dev/null && break; sleep 1; done
  curl -sf "http://127.0.0.1:538$i/health" >/dev/null || { log "silo $i did not become healthy; see $OUT/silo$i.log"; exit 1; }
done

cat >"$OUT/prometheus/prometheus.yml" <<YML
global:
  scrape_interval: 5s
scrape_configs:
  - job_name: moodgrains
    metrics_path: /metrics
    static_configs:
      - targets: ["127.0.0.1:5381", "127.0.0.1:5382"]
YML
prometheus --config.file="$OUT/prometheus/prometheus.yml" --storage.tsdb.path="$OUT/prometheus/data" \
  --web.listen-address=127.0.0.1:9391 >"$OUT/prometheus.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 60); do curl -sf http://127.0.0.1:9391/-/ready >/dev/null && break; sleep 1; done

start=$(date +%s)
log "load: 40 members in 4 rooms at 2 fps for ${SECONDS_OF_LOAD} s, through silo 1"
dotnet run --project src/MoodGrains.Cli -c Release --no-build -- load --url http://127.0.0.1:5381 \
  --users 40 --rooms 4 --fps 2 --seconds "$SECONDS_OF_LOAD" | tee "$OUT/load.txt"
sleep 10
end=$(date +%s)

python3 "$ROOT/docker/dashboard-render.py" --dashboard "$ROOT/docker/grafana/dashboards/moodgrains.json" \
  --prometheus http://127.0.0.1:9391 --start "$start" --end "$end" --html "$OUT/dashboard.html" \
  --require "Frames per second by outcome" --require "Room push latency (p50 / p95 / p99)" \
  --require "Inference time per frame (p95)" --require "Rooms and members" | tee "$OUT/queries.txt"
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1400,1700 \
  --screenshot="$OUT/dashboard.png" "file://$OUT/dashboard.html" >/dev/null 2>&1
log "dashboard picture: $OUT/dashboard.png; queries: $OUT/queries.txt"
