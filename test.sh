#!/usr/bin/env bash
# ./test.sh   install what is missing and run the whole test suite against real PostgreSQL, Redis and Chromium
#             (each test assembly starts its own private servers on free ports). Extra arguments go to dotnet test,
#             e.g. ./test.sh --filter "FullyQualifiedName~Rooms".
# Ends with one line "N passed, N failed, N skipped" and exits non-zero if any test failed.
set -uo pipefail
source "$(dirname "$0")/scripts/common.sh"
cd "$MOODGRAINS_ROOT"

ensure_dotnet
ensure_packages

results="$MOODGRAINS_ROOT/TestResults"
rm -rf "$results"
mkdir -p "$results"

dotnet build MoodGrains.sln -c Release -nologo -v quiet -clp:ErrorsOnly
build=$?
if [ $build -ne 0 ]; then
  log "the build failed"
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi

dotnet test MoodGrains.sln -c Release --no-build -nologo \
  --logger "trx" --logger "console;verbosity=normal" --results-directory "$results" \
  --blame-hang-timeout 15m "$@"
status=$?

summary=$(/usr/bin/python3 "$MOODGRAINS_ROOT/scripts/trx_summary.py" "$results")
echo "$summary"
case "$summary" in
  "0 passed, 0 failed"*) exit 1 ;;
esac
if [ $status -ne 0 ] || ! grep -q ' 0 failed' <<<"$summary"; then exit 1; fi
exit 0
