#!/usr/bin/env bash
# Issue 31 on a lent GPU, everything in one call of at most ten minutes:
#   1. the captured step (CUDA graph) against two eager runs on the card: losses and weights (bench/check_capture.py)
#   2. throughput of the 64-px default pair, today's path and the captured step (bf16 and fp32), at batch 64 and 1024,
#      with a profile
#      (bench/bench_gpu.py)
#   3. the contest-sized job: cgan-train's defaults on the emoji folder at 64 px, whole process, then cgan-eval
#   4. the 64-px quality table (bench/plans/emoji_64_gpu.txt: twelve runs side by side, two seeds each) with what is
#      left of the ten minutes, each run with --cuda-graph where step 1 passed (the same training, faster); runs not
#      started by the deadline are listed as such
#
# Prepare here, once a session (the device machine reaches nothing; both folders are ignored by git and travel by carry):
#   echo /.whl/ >> .git/info/exclude; echo /.emoji/ >> .git/info/exclude
#   python3 -m pip download --no-deps --only-binary=:all: --python-version 3.12 -d .whl \
#       fastcore==$(.venv/bin/python -c 'import fastcore; print(fastcore.__version__)')
#   .venv/bin/python bench/emoji_data.py --dest .emoji/set
# Then the device tool's run with carry [".whl", ".emoji"] and timeout_s 600:
#   bash bench/gpu_31.sh
# What comes back (the tool returns at most 8 files), in $OUT (default bench/out/gpu31): log.txt (everything printed,
# as it is printed), gpu.txt and gpu.json (throughput), emoji_64_gpu.jsonl (quality rows, one a run as it ends),
# grids.tar (the last grid of every run) and logs.tar (each step's own output).
set -u
OUT=$(realpath -m "${OUT:-bench/out/gpu31}"); mkdir -p "$OUT"
W=/tmp/gpu31; rm -rf "$W" /tmp/grids; mkdir -p "$W" /tmp/grids
END=$((SECONDS + ${BUDGET_S:-560}))          # leave the tool time to copy $OUT back
export PYTHONUNBUFFERED=1
# fastcore is pure Python: its wheel imports as it is, no pip needed
export PYTHONPATH=$(ls .whl/*.whl 2>/dev/null | tr '\n' ':')$PWD
left() { echo $((END - SECONDS)); }
keep_logs() { (cd "$W" && tar cf "$OUT/logs.tar" *); }      # after every step: a cut-short call keeps what ran

main() {
  nvidia-smi --query-gpu=name,driver_version,clocks.max.sm --format=csv,noheader
  python3 -c "import torch, sys; print('torch', torch.__version__, 'CUDA', torch.version.cuda, 'Python', sys.version.split()[0])"
  python3 -c "import fastcore, cgan_nbdev; print('fastcore', fastcore.__version__)" || echo "fastcore missing: carry .whl"
  date -u

  echo "== 1. captured step against eager ($(left) s left)"
  timeout 75 python3 bench/check_capture.py 2>&1 | tee "$W/capture_check.txt"
  graphs_ok=$(grep -q '^passed' "$W/capture_check.txt" && echo 1 || echo 0)
  keep_logs

  echo "== 2. throughput at 64 px ($(left) s left)"
  timeout 120 python3 bench/bench_gpu.py --models dcgan --variants fp32,fp32+graph,bf16+CL,bf16+CL+graph --no-contest \
    --compile no --budget 90 --out "$OUT/gpu.txt" > "$W/throughput.txt" 2>&1
  tail -22 "$W/throughput.txt"; keep_logs

  echo "== 3. contest-sized job ($(left) s left)"
  t0=$SECONDS
  timeout 100 python3 -m cgan_nbdev.cli train --data .emoji/set --device cuda --out /tmp/contest > "$W/contest.txt" 2>&1
  echo "contest: rc $?, whole process $((SECONDS - t0)) s" | tee -a "$W/contest.txt"
  tail -4 "$W/contest.txt"
  timeout 60 python3 -m cgan_nbdev.cli eval /tmp/contest --device cuda > "$W/contest_eval.txt" 2>&1
  tail -12 "$W/contest_eval.txt"
  cp "$(ls /tmp/contest/samples/epoch_*.png | tail -1)" /tmp/grids/contest_default.png 2>/dev/null
  keep_logs

  budget=$(( $(left) - 15 ))
  echo "== 4. quality at 64 px ($budget s for it; --cuda-graph: $graphs_ok)"
  if [ "$budget" -gt 60 ]; then
    plan="$W/plan.txt"
    if [ "$graphs_ok" = 1 ]; then sed -E '/^[^#].*:/ s/$/ cuda_graph=1/' bench/plans/emoji_64_gpu.txt > "$plan"
    else cp bench/plans/emoji_64_gpu.txt "$plan"; fi
    SWEEP_THREADS=1 timeout "$budget" python3 bench/sweep_emoji.py "$plan" --data .emoji/set --device cuda --workers 12 \
      --deadline 30 --jsonl "$OUT/emoji_64_gpu.jsonl" --grids /tmp/grids > "$W/quality.txt" 2>&1
    tail -14 "$W/quality.txt"
    python3 bench/sweep_emoji.py "$OUT/emoji_64_gpu.jsonl" --summarise 2>&1 | tee "$W/emoji_64_gpu.md" | tail -12
  else echo "skipped: too little time left"; fi
  (cd /tmp/grids && tar cf "$OUT/grids.tar" *.png) 2>/dev/null
  keep_logs
  date -u
}
main 2>&1 | tee "$OUT/log.txt"
