"""How long a command takes before it does anything: `cgan-train --help` and friends, and importing the package's modules.

Each command runs in a fresh Python process, several rounds interleaved (so a busy moment hits all of them alike);
prints the median and the range of the wall times in seconds, and, for the imports, what `python -X importtime`
says the slowest top-level imports cost.

    .venv/bin/python bench/bench_startup.py            # 5 rounds, about a minute on 2 cores
    .venv/bin/python bench/bench_startup.py --rounds 3
"""
import argparse, importlib.util, re, statistics, subprocess, sys, time
from pathlib import Path

BIN = Path(sys.executable).parent
COMMANDS = {
    'python -c pass': [sys.executable, '-c', 'pass'],
    'import torch': [sys.executable, '-c', 'import torch'],
    'import torch, torchvision': [sys.executable, '-c', 'import torch, torchvision'],   # what the package no longer imports (dev install)
    'import cgan_nbdev.data': [sys.executable, '-c', 'import cgan_nbdev.data'],
    'import cgan_nbdev.cli': [sys.executable, '-c', 'import cgan_nbdev.cli'],
    'cgan-train --help': [str(BIN/'cgan-train'), '--help'],
    'cgan-sample --help': [str(BIN/'cgan-sample'), '--help'],
}

def wall(cmd)->float:
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t

def slowest_imports(module:str, top:int=6)->list:
    "(cumulative seconds, name) of the slowest imports directly below `module`'s own, from -X importtime"
    err = subprocess.run([sys.executable, '-X', 'importtime', '-c', f'import {module}'], capture_output=True, text=True).stderr
    rows = []
    for line in err.splitlines():
        m = re.match(r'import time:\s+\d+ \|\s+(\d+) \| ( *)(\S+)', line)
        if m and len(m.group(2)) <= 3: rows.append((int(m.group(1)) / 1e6, m.group(3)))   # depth 0 or 1
    return sorted(rows, reverse=True)[:top]

if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--rounds', type=int, default=5)
    args = p.parse_args()
    if importlib.util.find_spec('torchvision') is None: del COMMANDS['import torch, torchvision']   # not in a plain install
    wall(COMMANDS['import cgan_nbdev.cli'])            # warm the file cache once, untimed
    times = {k: [] for k in COMMANDS}
    for _ in range(args.rounds):
        for k, cmd in COMMANDS.items(): times[k].append(wall(cmd))
    print(f"{'command':<28}{'median s':>10}{'min':>8}{'max':>8}   ({args.rounds} rounds, fresh process each)")
    for k, ts in times.items(): print(f"{k:<28}{statistics.median(ts):>10.2f}{min(ts):>8.2f}{max(ts):>8.2f}")
    print("\nslowest imports under cgan_nbdev.cli (cumulative s, one run of -X importtime):")
    for s, name in slowest_imports('cgan_nbdev.cli'): print(f"  {s:6.2f}  {name}")
