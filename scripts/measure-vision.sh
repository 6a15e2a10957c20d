#!/usr/bin/env bash
# scripts/measure-vision.sh [MODELS_DIR [OUT_DIR]]
#
# Measures every candidate configuration of docs/vision.md ("Choosing the live and offline settings with our CNN"):
#   - held-out accuracy of the CNN alone on the trainer's slice of fer2013-train (10 % per label, split seed 20131),
#   - accuracy on FER-2013 PublicTest (classified whole, one image per call, as eval fer does),
#   - detect + classify ms per 320x240 frame (bench vision, the live detector), the lowest of three runs,
# and prints one Markdown table. Everything runs pinned to one core (MOODGRAINS_CORE, default 1) under nice 10, so a
# training run on the other core keeps going. MODELS_DIR defaults to models/ (it must hold moodgrains-cnn.onnx);
# OUT_DIR (default /tmp/moodgrains-vision-measure) keeps every JSON result. MOODGRAINS_BENCH_FRAMES (default 300)
# and MOODGRAINS_STEPS (default "holdout publictest bench table") shorten or split a run. MOODGRAINS_HELD_OUT and
# MOODGRAINS_CANDIDATES (space-separated names) replace the lists below, e.g. with the cnn2 rows of run 3's rule.
set -euo pipefail
cd "$(dirname "$0")/.."
MODELS="${1:-models}"
OUT="${2:-/tmp/moodgrains-vision-measure}"
CORE="${MOODGRAINS_CORE:-1}"
FRAMES="${MOODGRAINS_BENCH_FRAMES:-300}"
STEPS=" ${MOODGRAINS_STEPS:-holdout publictest bench table} "
DATA="${MOODGRAINS_DATA:-../shared/data}"
BIN=src/MoodGrains.Cli/bin/Release/net10.0/moodgrains
[ -x "$BIN" ] || nice -n 10 dotnet build src/MoodGrains.Cli/MoodGrains.Cli.csproj -c Release -nologo -v quiet -clp:ErrorsOnly
mkdir -p "$OUT"
run() { taskset -c "$CORE" nice -n 10 "$BIN" "$@"; }

HELD_OUT=(cnn cnn-flip cnn-tencrop)
CANDIDATES=(
  cnn cnn-flip cnn-tencrop
  cnn+xception cnn-flip+xception cnn-tencrop+xception
  cnn+head cnn-flip+head cnn-tencrop+head
  cnn+xception+head cnn-flip+xception+head cnn-tencrop+xception+head
  xception xception-tencrop+head
)
[ -n "${MOODGRAINS_HELD_OUT:-}" ] && read -r -a HELD_OUT <<< "$MOODGRAINS_HELD_OUT"
[ -n "${MOODGRAINS_CANDIDATES:-}" ] && read -r -a CANDIDATES <<< "$MOODGRAINS_CANDIDATES"

[[ "$STEPS" == *" holdout "* ]] && for m in "${HELD_OUT[@]}"; do
  echo "held-out: $m" >&2
  run eval fer --images "$DATA/fer2013-train" --holdout 0.1 --split-seed 20131 --model "$m" --models "$MODELS" --json > "$OUT/holdout-$m.json"
done
[[ "$STEPS" == *" publictest "* ]] && for m in "${CANDIDATES[@]}" live; do
  echo "publictest: $m" >&2
  run eval fer --images "$DATA/fer2013-publictest" --model "$m" --models "$MODELS" --json > "$OUT/publictest-$m.json"
done
[[ "$STEPS" == *" bench "* ]] && for m in "${CANDIDATES[@]}" live; do
  for r in 1 2 3; do
    echo "bench: $m run $r" >&2
    if [ "$m" = live ]; then
      run bench vision --model live --frames "$FRAMES" --models "$MODELS" --json > "$OUT/bench-$m-$r.json"
    else
      run bench vision --detector blazeface-front --model "$m" --frames "$FRAMES" --models "$MODELS" --json > "$OUT/bench-$m-$r.json"
    fi
  done
done

[[ "$STEPS" == *" table "* ]] && python3 - "$OUT" "${CANDIDATES[@]}" live <<'PY'
import json, os, sys
out, names = sys.argv[1], sys.argv[2:]
def load(path):
    # A missing or unfinished result (a step skipped or still running) leaves its cells empty.
    try:
        return json.load(open(path))
    except (OSError, ValueError):
        return None
print("| Configuration | held-out (CNN only) | PublicTest | macro-F1 | detect + classify, 320x240 (lowest of 3) | CPU / frame |")
print("|---|---|---|---|---|---|")
for name in names:
    held = load(f"{out}/holdout-{name}.json")
    test = load(f"{out}/publictest-{name}.json")
    runs = [load(f"{out}/bench-{name}-{r}.json") for r in (1, 2, 3)]
    frames = [next(x for x in b["results"] if x["frame"] == "320x240") for b in runs if b]
    best = min(frames, key=lambda x: x["detect_plus_classify_ms"]) if frames else None
    label = test["model"].split("; from")[0] + ")" if name == "live" and test else name
    print("| {} | {} | {} | {} | {} | {} |".format(
        f"`{label}`",
        f"{held['accuracy']*100:.2f} %" if held else "",
        f"{test['accuracy']*100:.2f} %" if test else "",
        f"{test['macro_f1']:.4f}" if test else "",
        f"{best['detect_plus_classify_ms']:.2f} ms" if best else "",
        f"{best['cpu_ms_per_frame']:.2f} ms" if best else ""))
PY
true
