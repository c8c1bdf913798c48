#!/usr/bin/env bash
# Issue 31 on a lent GPU, everything in one call of at most ten minutes:
#   1. the captured step (CUDA graph) against the eager step on the card: losses and weights (bench/check_capture.py)
#   2. throughput of the 64-px default pair, today's path and the captured step, at batch 64 and 1024, with a profile
#      (bench/bench_gpu.py)
#   3. the contest-sized job, whole process, with cgan-train's defaults and with --cuda-graph, each then cgan-eval
#   4. the 64-px quality table (bench/plans/emoji_64_gpu.txt: twelve runs side by side, two seeds each) with what is
#      left of the ten minutes; runs not finished by then are listed as such
#
# Prepare here, once a session (the device machine reaches nothing; both folders are ignored by git and travel by carry):
#   echo /.whl/ >> .git/info/exclude; echo /.emoji/ >> .git/info/exclude
#   python3 -m pip download --no-deps --only-binary=:all: --python-version 3.12 -d .whl \
#       fastcore==$(.venv/bin/python -c 'import fastcore; print(fastcore.__version__)')
#   .venv/bin/python bench/emoji_data.py --dest .emoji/set
# Then the device tool's run with carry [".whl", ".emoji"] and timeout_s 600:
#   bash bench/gpu_31.sh
# What comes back (the tool returns at most 8 files): $OUT/log.txt (everything printed), logs.tar (each step's own
# output), gpu.json (throughput), emoji_64_gpu.jsonl (quality rows) and grids.tar (the last grid of every run).
# $OUT defaults to bench/out/gpu31.
set -u
OUT=$(realpath -m "${OUT:-bench/out/gpu31}"); mkdir -p "$OUT"
W=/tmp/gpu31; rm -rf "$W"; mkdir -p "$W"
exec > >(tee "$OUT/log.txt") 2>&1
END=$((SECONDS + ${BUDGET_S:-570}))          # leave the tool time to copy $OUT back
export PYTHONUNBUFFERED=1
if ls .whl/*.whl > /dev/null 2>&1; then
  python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .whl/*.whl
  export PYTHONPATH=/tmp/site
fi
export PYTHONPATH=${PYTHONPATH:+$PYTHONPATH:}$PWD
left() { echo $((END - SECONDS)); }
{ nvidia-smi --query-gpu=name,driver_version,clocks.max.sm --format=csv,noheader
  python3 -c "import torch, sys; print('torch', torch.__version__, 'CUDA', torch.version.cuda, 'Python', sys.version.split()[0])"
  date -u; } 2>&1 | tee "$W/machine.txt"

echo "== 1. captured step against eager"
timeout 120 python3 bench/check_capture.py 2>&1 | tee "$W/capture_check.txt"

echo "== 2. throughput at 64 px"
timeout 150 python3 bench/bench_gpu.py --models dcgan --variants bf16+CL,bf16+CL+graph --no-contest --compile no \
  --budget 110 --out "$W/gpu.txt" 2>&1 | tail -25

echo "== 3. contest-sized job"
for mode in eager graph; do
  flag=$([ $mode = graph ] && echo --cuda-graph)
  t0=$SECONDS
  timeout 150 python3 -m cgan_nbdev.cli train --data .emoji/set --device cuda --out /tmp/contest_$mode $flag \
    > "$W/contest_$mode.txt" 2>&1
  echo "contest $mode: rc $?, whole process $((SECONDS - t0)) s" | tee -a "$W/contest_$mode.txt"
  tail -4 "$W/contest_$mode.txt"
  timeout 90 python3 -m cgan_nbdev.cli eval /tmp/contest_$mode --device cuda > "$W/contest_${mode}_eval.txt" 2>&1
  tail -12 "$W/contest_${mode}_eval.txt"
  cp "$(ls /tmp/contest_$mode/samples/epoch_*.png | tail -1)" "/tmp/contest_${mode}_grid.png" 2>/dev/null
done

echo "== 4. quality at 64 px, $(left) s left"
mkdir -p /tmp/grids; cp /tmp/contest_*_grid.png /tmp/grids/ 2>/dev/null
SWEEP_THREADS=1 timeout $(( $(left) - 10 )) python3 bench/sweep_emoji.py bench/plans/emoji_64_gpu.txt --data .emoji/set \
  --device cuda --workers 12 --jsonl "$OUT/emoji_64_gpu.jsonl" --grids /tmp/grids 2>&1 | tail -14
python3 bench/sweep_emoji.py "$OUT/emoji_64_gpu.jsonl" --summarise 2>&1 | tee "$W/emoji_64_gpu.md" | tail -12
(cd /tmp/grids && tar cf "$OUT/grids.tar" *.png)
cp "$W/gpu.json" "$OUT/" 2>/dev/null; (cd "$W" && tar cf "$OUT/logs.tar" *.txt *.md)
date -u
