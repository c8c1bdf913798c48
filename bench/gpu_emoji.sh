#!/usr/bin/env bash
# On a GPU machine, from the repository root, with the emoji set at .emoji/set (python bench/emoji_data.py, then copy):
#   bash bench/gpu_emoji.sh contest     # cgan-train's defaults on the emoji folder at 64 px, the whole process timed, then cgan-eval
#   bash bench/gpu_emoji.sh modeseek    # the two mode-seeking plans, side by side with the default (bench/emoji_results.md)
#   bash bench/gpu_emoji.sh models      # every model at 32 and 64 px with today's defaults, two seeds each
#   bash bench/gpu_emoji.sh residual    # residual (SNGAN-style) G and D at 480 kimg beside the default at 480, two seeds each
# Writes to $OUT (default bench/out/gpu). Where the package is not installed, put the repository (and the fastcore and
# fastprogress wheels) on PYTHONPATH first.
set -u
OUT=${OUT:-bench/out/gpu}; mkdir -p "$OUT"
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader
python -c "import torch, sys; print('torch', torch.__version__, 'CUDA', torch.version.cuda, 'Python', sys.version.split()[0])"
date -u
case "${1:-}" in
contest)
  t0=$EPOCHREALTIME
  python -m cgan_nbdev.cli train --data .emoji/set --img-size 64 --device cuda --out /tmp/contest > "$OUT/contest_train.txt" 2>&1
  t1=$EPOCHREALTIME
  echo "contest train process wall s: $(python -c "print(round($t1 - $t0, 1))")" | tee -a "$OUT/contest_train.txt"
  tail -8 "$OUT/contest_train.txt"
  python -m cgan_nbdev.cli eval /tmp/contest --device cuda > "$OUT/contest_eval.txt" 2>&1; tail -14 "$OUT/contest_eval.txt"
  cp "$(ls /tmp/contest/samples/epoch_*.png | tail -1)" "$OUT/contest_last_grid.png" ;;
modeseek)
  for plan in emoji_32_modeseek emoji_32_modeseek2; do
    SWEEP_THREADS=1 python bench/sweep_emoji.py bench/plans/$plan.txt --data .emoji/set --device cuda --workers 12 --jsonl "$OUT/$plan.jsonl" --grids /tmp/grids
  done
  (cd /tmp/grids && tar cf "$OUT/grids.tar" *.png) ;;
models)
  SWEEP_THREADS=1 python bench/sweep_emoji.py bench/plans/emoji_models.txt --data .emoji/set --device cuda --workers 12 --jsonl "$OUT/emoji_models.jsonl" --grids /tmp/grids
  (cd /tmp/grids && tar cf "$OUT/grids.tar" *.png) ;;
residual)
  SWEEP_THREADS=1 python bench/sweep_emoji.py bench/plans/emoji_32_residual_gpu.txt --data .emoji/set --device cuda --workers 10 --jsonl "$OUT/emoji_32_residual_gpu.jsonl" --grids /tmp/grids
  (cd /tmp/grids && tar cf "$OUT/grids.tar" *.png) ;;
*) echo "usage: bash bench/gpu_emoji.sh contest|modeseek|models|residual"; exit 2 ;;
esac
date -u
