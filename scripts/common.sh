# Shared by run.sh, test.sh and .ci/run: install what a fresh Debian 12 machine lacks, and start or stop
# the embedded PostgreSQL and Redis that the service uses by default. Source it; don't run it.

MOODGRAINS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MOODGRAINS_DATA="${MOODGRAINS_DATA:-$MOODGRAINS_ROOT/.data}"
MOODGRAINS_SERVER_PID="$MOODGRAINS_DATA/server.pid"
MOODGRAINS_REDIS_PID="$MOODGRAINS_DATA/redis/redis.pid"
MOODGRAINS_PG_PORT="${MOODGRAINS_PG_PORT:-55432}"
MOODGRAINS_REDIS_PORT="${MOODGRAINS_REDIS_PORT:-56379}"

# Debian packages the service and its tests need at run time.
MOODGRAINS_APT_PACKAGES=(postgresql redis-server libgtk-3-0 opencv-data ffmpeg fluidsynth fluid-soundfont-gm chromium fonts-dejavu-core ca-certificates python3)

log() { printf '[moodgrains] %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

ensure_dotnet() {
  if ! command -v dotnet >/dev/null 2>&1 || ! dotnet --list-sdks | grep -q '^10\.'; then
    log "The .NET 10 SDK is required and is not on PATH. Install it (see README, 'Prerequisites') and run again."
    exit 1
  fi
}

ensure_packages() {
  local missing=()
  # Node.js and npm (for the Spotify mock and the web page's packages) may come from elsewhere; only add Debian's when absent.
  command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
  for p in "${MOODGRAINS_APT_PACKAGES[@]}" "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    log "installing ${missing[*]}"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
  # Debian starts a system-wide cluster on install; the project uses its own, so leave that one alone.
}

pg_bin() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

# Runs a PostgreSQL tool as the postgres user when we are root (PostgreSQL refuses to run as root).
pg_tool() {
  local tool="$1"; shift
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$(pg_bin)/$tool" "$@"; else "$(pg_bin)/$tool" "$@"; fi
}

start_postgres() {
  local dir="$MOODGRAINS_DATA/postgres"
  mkdir -p "$MOODGRAINS_DATA"
  if [ ! -f "$dir/PG_VERSION" ]; then
    log "creating a private PostgreSQL cluster in $dir"
    mkdir -p "$dir"
    if [ "$(id -u)" -eq 0 ]; then
      chown postgres:postgres "$dir"
      if ! runuser -u postgres -- test -w "$dir"; then
        log "The postgres user cannot reach $dir (a parent folder is private). Clone the repository somewhere"
        log "world-traversable, or set MOODGRAINS_DATA to such a folder, or set MOODGRAINS_POSTGRES to an existing server."
        exit 1
      fi
    fi
    pg_tool initdb -D "$dir" -U postgres -A trust -E UTF8 --no-locale >/dev/null
  fi
  if ! pg_tool pg_ctl -D "$dir" status >/dev/null 2>&1; then
    log "starting PostgreSQL on 127.0.0.1:$MOODGRAINS_PG_PORT"
    pg_tool pg_ctl -D "$dir" -l "$dir/server.log" -w -t 60 \
      -o "-p $MOODGRAINS_PG_PORT -k $dir -c listen_addresses=127.0.0.1" start >/dev/null
  fi
  if ! pg_tool psql -h 127.0.0.1 -p "$MOODGRAINS_PG_PORT" -U postgres -Atc "SELECT 1 FROM pg_database WHERE datname='moodgrains'" | grep -q 1; then
    pg_tool createdb -h 127.0.0.1 -p "$MOODGRAINS_PG_PORT" -U postgres moodgrains
  fi
  export MOODGRAINS_POSTGRES="Host=127.0.0.1;Port=$MOODGRAINS_PG_PORT;Username=postgres;Database=moodgrains"
}

start_redis() {
  local dir="$MOODGRAINS_DATA/redis"
  mkdir -p "$dir"
  if ! redis-cli -h 127.0.0.1 -p "$MOODGRAINS_REDIS_PORT" ping >/dev/null 2>&1; then
    log "starting Redis on 127.0.0.1:$MOODGRAINS_REDIS_PORT"
    redis-server --port "$MOODGRAINS_REDIS_PORT" --bind 127.0.0.1 --dir "$dir" --daemonize yes \
      --pidfile "$MOODGRAINS_REDIS_PID" --logfile "$dir/redis.log" --save "" --appendonly no >/dev/null
  fi
  export MOODGRAINS_REDIS="127.0.0.1:$MOODGRAINS_REDIS_PORT"
}

# The server first: stopped after its database it cannot leave the cluster cleanly.
stop_server() {
  local pid
  [ -f "$MOODGRAINS_SERVER_PID" ] || return 0
  pid="$(cat "$MOODGRAINS_SERVER_PID")"
  if kill -0 "$pid" 2>/dev/null && grep -q "MoodGrains.Server" "/proc/$pid/cmdline" 2>/dev/null; then
    log "stopping the server (pid $pid)"
    kill -TERM "$pid"
    for _ in $(seq 1 150); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
      log "the server did not stop within 15 s; killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$MOODGRAINS_SERVER_PID"
}

stop_services() {
  stop_server
  local dir="$MOODGRAINS_DATA/postgres"
  if [ -f "$dir/PG_VERSION" ] && pg_tool pg_ctl -D "$dir" status >/dev/null 2>&1; then
    log "stopping PostgreSQL"
    pg_tool pg_ctl -D "$dir" -m fast -w stop >/dev/null
  fi
  # The Redis this data folder started, found by its PID file whatever port it was given; else the configured port.
  local redis_pid
  redis_pid="$(cat "$MOODGRAINS_REDIS_PID" 2>/dev/null || true)"
  if [ -n "$redis_pid" ] && [ "$(cat "/proc/$redis_pid/comm" 2>/dev/null)" = redis-server ]; then
    log "stopping Redis (pid $redis_pid)"
    kill -TERM "$redis_pid" 2>/dev/null || true
  elif redis-cli -h 127.0.0.1 -p "$MOODGRAINS_REDIS_PORT" ping >/dev/null 2>&1; then
    log "stopping Redis"
    redis-cli -h 127.0.0.1 -p "$MOODGRAINS_REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
  fi
}

# A signing key for guest sessions that survives restarts of the embedded service.
ensure_session_key() {
  local file="$MOODGRAINS_DATA/session.key"
  mkdir -p "$MOODGRAINS_DATA"
  if [ ! -s "$file" ]; then
    head -c 32 /dev/urandom | base64 > "$file"
    chmod 600 "$file"
  fi
  if [ -z "${MOODGRAINS_SESSION_KEY:-}" ]; then
    MOODGRAINS_SESSION_KEY="$(cat "$file")"
    export MOODGRAINS_SESSION_KEY
  fi
}

# The demo music library (40 pieces composed per mood region, rendered with FluidSynth, encoded to Opus), made once
# into $MOODGRAINS_DATA/library/demo so a fresh machine has something to hear. An operator's own MOODGRAINS_LIBRARY
# wins; a failed render leaves the server without a library rather than stopping it.
ensure_demo_library() {
  if [ -n "${MOODGRAINS_LIBRARY:-}" ]; then return 0; fi
  local dir="$MOODGRAINS_DATA/library/demo"
  if [ ! -s "$dir/manifest.json" ]; then
    log "composing the demo music library into $dir (first start only, about a minute)"
    if ! dotnet run --project src/MoodGrains.Cli -c Release -- library make-demo --out "$dir"; then
      log "the demo library could not be made; rooms will have no audio (see the error above)"
      return 0
    fi
  fi
  export MOODGRAINS_LIBRARY="$dir"
}
