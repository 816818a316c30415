#!/usr/bin/env bash
# On a machine with a GPU: train both tasks for a few epochs on cuda and on the CPU with the same settings, then evaluate
# and predict with each, and print the metrics side by side (they agree to a few percent; the GPU is faster).
# Usage: bench/gpu_check.sh [OUT_DIR]   (run from the repository root after `make test` has made .venv)
set -euo pipefail
out=${1:-/tmp/ballfast_gpu_check}; bf=.venv/bin/ballfast
mkdir -p "$out"
"$bf" data make detect "$out/det" --n 3000 --seed 0
"$bf" data make seq "$out/seq" --n 2000 --steps 30 --seed 0
for dev in cuda cpu; do
  /usr/bin/time -f "$dev detect train: %e s" "$bf" train detect --data "$out/det" --epochs 3 --lr 3e-3 --device $dev --out "$out/detect_$dev"
  /usr/bin/time -f "$dev forecast train: %e s" "$bf" train forecast --data "$out/seq" --epochs 5 --lr 2e-3 --device $dev --out "$out/forecast_$dev"
  "$bf" eval detect "$out/det" --model "$out/detect_$dev" --device $dev --json > "$out/eval_detect_$dev.json"
  "$bf" eval forecast "$out/seq" --model "$out/forecast_$dev" --device $dev --steps 10 --json > "$out/eval_forecast_$dev.json"
  "$bf" predict detect "$out/det/img_00001.jpg" --model "$out/detect_$dev" --device $dev --json > "$out/predict_detect_$dev.json"
  "$bf" predict forecast "$out/seq/seq_bb_00001.npy" --model "$out/forecast_$dev" --device $dev --steps 5 --json > "$out/predict_forecast_$dev.json"
done
python3 - "$out" <<'PY'
import json, sys
d = sys.argv[1]
for t, keys in (('detect', ('color_exact', 'mean_iou', 'center_err_px', 'map_coco')), ('forecast', ('center_err_px', 'mse_px2'))):
    for dev in ('cuda', 'cpu'):
        ev = json.load(open(f'{d}/eval_{t}_{dev}.json'))
        print(t, dev, {k: round(ev[k], 4) for k in keys}, json.load(open(f'{d}/{t}_{dev}/{t}.json'))['settings']['device'])
PY
