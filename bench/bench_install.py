"""What `pip install cgan_nbdev` brings, before and after the progress bars moved from fastprogress to tqdm: the number
of packages, their size on disk and the install's time, each in a fresh environment, both in one run.

    python bench/bench_install.py                    # before: the last commit on fastprogress; after: this working tree
    python bench/bench_install.py --before HEAD~3

Each side's wheel is built from its source without dependencies, then installed with its dependencies into an empty
virtual environment (from pip's cache where it holds them, so the times compare installs, not downloads). Sizes are
given in all and without torch and the CUDA libraries it brings (`nvidia`, `cuda`, `triton`), which dominate both
sides. The times are noisy where other work shares the machine: compare them only from one quiet run.
"""
import argparse, json, shutil, subprocess, sys, tempfile, time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BEFORE = 'e8f4ca8'      # the last commit whose base install depended on fastprogress
HEAVY = ('torch', 'functorch', 'nvidia', 'triton', 'cuda')     # torch and the CUDA libraries it brings

def _run(*cmd, **kw): return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)

def _source(ref:str, into:Path)->Path:
    "The project's files at `ref` (None: this working tree)"
    if ref is None: return ROOT
    into.mkdir(parents=True)
    archive = subprocess.run(['git', '-C', str(ROOT), 'archive', ref], check=True, capture_output=True).stdout
    subprocess.run(['tar', '-x', '-C', str(into)], input=archive, check=True)
    return into

def _dir_bytes(path:Path)->int:
    return sum(f.stat().st_size for f in path.rglob('*') if f.is_file() and not f.is_symlink())

def measure(ref:str, work:Path)->dict:
    "Build `ref`'s wheel, install it into a fresh environment; packages, sizes and seconds"
    src = _source(ref, work/'src')
    _run(sys.executable, '-m', 'pip', 'wheel', '-q', '--no-deps', '-w', str(work/'wheel'), str(src))
    wheel = next((work/'wheel').glob('*.whl'))
    _run(sys.executable, '-m', 'venv', str(work/'env'))
    pip = str(work/'env'/'bin'/'pip')
    start = time.perf_counter()
    _run(pip, 'install', '-q', str(wheel))
    seconds = time.perf_counter() - start
    listed = json.loads(_run(pip, 'list', '--format=json').stdout)
    names = sorted(p['name'].lower() for p in listed if p['name'].lower() not in ('pip', 'setuptools'))
    site = next((work/'env'/'lib').glob('python3*/site-packages'))
    heavy = sum(_dir_bytes(p) for p in site.iterdir() if p.is_dir() and p.name.lower().startswith(HEAVY))
    total = _dir_bytes(site)
    return dict(names=names, total=total, light=total - heavy, seconds=seconds)

if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--before', default=BEFORE, help='git ref of the "before" side (default: the last on fastprogress)')
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        sides = {f'before ({args.before})': measure(args.before, Path(tmp)/'before'),
                 'after (this tree)': measure(None, Path(tmp)/'after')}
    print(f"{'':24}{'packages':>9}{'size':>10}{'without torch/CUDA':>20}{'install':>9}")
    for name, m in sides.items():
        print(f"{name:24}{len(m['names']):>9}{m['total'] / 2**20:>8,.0f}MB{m['light'] / 2**20:>18,.0f}MB"
              f"{m['seconds']:>8.0f}s")
    (b, bm), (a, am) = sides.items()
    print(f"only before: {', '.join(sorted(set(bm['names']) - set(am['names']))) or '-'}")
    print(f"only after:  {', '.join(sorted(set(am['names']) - set(bm['names']))) or '-'}")
