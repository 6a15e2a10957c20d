#!/usr/bin/env bash
# ./scripts/make-demo-library.sh [--count N] [--seed N] [--out DIR]
# Makes the demo music library (default .data/library/demo, never committed): instrumental pieces composed by
# MoodGrains per mood region as MIDI, rendered with Debian's FluidSynth and the FluidR3 GM soundfont (MIT), encoded
# to Ogg/Opus with ffmpeg, plus manifest.json with the tempo, key, mode and mood each piece was composed for.
# Same seed, same pieces. See docs/audio.md.
set -euo pipefail
source "$(dirname "$0")/common.sh"
cd "$MOODGRAINS_ROOT"
ensure_dotnet
ensure_packages
exec dotnet run --project src/MoodGrains.Cli -c Release -- library make-demo --out "$MOODGRAINS_DATA/library/demo" "$@"
