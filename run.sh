#!/usr/bin/env bash
# ./run.sh        install what is missing, start the embedded PostgreSQL and Redis, run MoodGrains on http://127.0.0.1:5080
# ./run.sh stop   stop what ./run.sh started: the server (gracefully, as SIGTERM does), then PostgreSQL and Redis
# Extra arguments go to the server, e.g. ./run.sh --urls http://127.0.0.1:5081 --silo-port 11112 --gateway-port 30001
set -euo pipefail
source "$(dirname "$0")/scripts/common.sh"
cd "$MOODGRAINS_ROOT"

if [ "${1:-}" = "stop" ]; then
  stop_services
  exit 0
fi

ensure_dotnet
ensure_packages
if [ -z "${MOODGRAINS_POSTGRES:-}" ]; then start_postgres; fi
if [ -z "${MOODGRAINS_REDIS:-}" ] && [ "${MOODGRAINS_NO_REDIS:-}" != "1" ]; then start_redis; fi
ensure_session_key
ensure_demo_library
log "building the server"
dotnet build src/MoodGrains.Server -c Release -nologo -v quiet -clp:ErrorsOnly
# The server replaces this shell (exec keeps the PID), so ./run.sh stop finds it through the PID file.
echo $$ > "$MOODGRAINS_SERVER_PID"
cd src/MoodGrains.Server/bin/Release/net10.0
exec dotnet MoodGrains.Server.dll "$@"
