#!/usr/bin/env bash
# scripts/measure-cnn-sets.sh NAME=FILE [NAME=FILE ...]
#
# The held-out step of "The next rule" (docs/vision.md): for every set of one, two or three of the given CNN files
# (the server runs at most three, VisionOptions.MaxCnnCount), each with plain, mirror and ten-crop averaging, the
# accuracy on the trainer's held-out slice of fer2013-train (10 % per label, split seed 20131), all networks of a set
# equal experts of the geometric mean. Each set gets a folder
# under OUT_DIR (MOODGRAINS_OUT, default /tmp/moodgrains-cnn-sets) holding models/ with the set's files as
# moodgrains-cnn.onnx, -b and -c, which is also the --models folder for measuring its PublicTest rows afterwards.
# Runs two evaluations at a time, one per core (MOODGRAINS_CORES, default "0 1"), under nice 10. Prints a Markdown
# table, best first.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 1 ] && [ $# -le 8 ] || { echo "usage: $0 NAME=FILE [NAME=FILE ...] (one to eight CNN files; sets of at most three)" >&2; exit 2; }
OUT="${MOODGRAINS_OUT:-/tmp/moodgrains-cnn-sets}"
DATA="${MOODGRAINS_DATA:-../shared/data}"
read -r -a CORES <<< "${MOODGRAINS_CORES:-0 1}"
BIN=src/MoodGrains.Cli/bin/Release/net10.0/moodgrains
[ -x "$BIN" ] || nice -n 10 dotnet build src/MoodGrains.Cli/MoodGrains.Cli.csproj -c Release -nologo -v quiet -clp:ErrorsOnly

names=(); files=()
for arg in "$@"; do
  name="${arg%%=*}"; file="${arg#*=}"
  [[ "$arg" == *=* && -n "$name" && -f "$file" ]] || { echo "not NAME=FILE of an existing file: $arg" >&2; exit 2; }
  names+=("$name"); files+=("$(realpath "$file")")
done

# Every subset of one to three files, by a bit mask over the arguments.
jobs=()
for ((mask = 1; mask < (1 << ${#names[@]}); mask++)); do
  set_name=""; set_files=()
  for i in "${!names[@]}"; do
    (( mask & (1 << i) )) && { set_name+="${set_name:++}${names[$i]}"; set_files+=("${files[$i]}"); }
  done
  [ ${#set_files[@]} -le 3 ] || continue
  dir="$OUT/$set_name/models"
  mkdir -p "$dir"
  for model in models/*; do ln -sfn "$(realpath "$model")" "$dir/$(basename "$model")"; done
  slots=(moodgrains-cnn.onnx moodgrains-cnn-b.onnx moodgrains-cnn-c.onnx)
  rm -f "$dir"/moodgrains-cnn*.onnx
  for i in "${!set_files[@]}"; do ln -sfn "${set_files[$i]}" "$dir/${slots[$i]}"; done
  prefix=cnn; [ ${#set_files[@]} -gt 1 ] && prefix="cnn${#set_files[@]}"
  for suffix in "" -flip -tencrop; do jobs+=("$set_name $prefix$suffix"); done
done

run_on() {
  local core=$1; shift
  for job in "$@"; do
    read -r set_name model <<< "$job"
    result="$OUT/$set_name/holdout-$model.json"
    [ -s "$result" ] && continue
    echo "held-out: $set_name $model (core $core)" >&2
    taskset -c "$core" nice -n 10 "$BIN" eval fer --images "$DATA/fer2013-train" --holdout 0.1 --split-seed 20131 \
      --model "$model" --models "$OUT/$set_name/models" --json > "$result.part" && mv "$result.part" "$result"
  done
}
pids=()
for c in "${!CORES[@]}"; do
  share=()
  for j in "${!jobs[@]}"; do (( j % ${#CORES[@]} == c )) && share+=("${jobs[$j]}"); done
  run_on "${CORES[$c]}" "${share[@]}" & pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid"; done

python3 - "$OUT" "${jobs[@]}" <<'PY'
import json, sys
out, jobs = sys.argv[1], sys.argv[2:]
rows = []
for job in jobs:
    set_name, model = job.split(" ")
    result = json.load(open(f"{out}/{set_name}/holdout-{model}.json"))
    rows.append((result["accuracy"], set_name, model, result["macro_f1"]))
print("| CNNs | configuration | held-out | macro-F1 |")
print("|---|---|---|---|")
for accuracy, set_name, model, f1 in sorted(rows, key=lambda r: -r[0]):
    print(f"| {set_name} | `{model}` | {accuracy * 100:.2f} % | {f1:.4f} |")
PY
