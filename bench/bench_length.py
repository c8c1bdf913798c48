"""Time to quality of one `cgan-train` command on this machine: which length is worth its minutes.

One long run per seed, measured by the offline evaluator every few epochs (`--eval-every`, `MetricsLog`: the EMA
generator, the held-out reference, 5 draws). `MetricsLog` puts the random state back after each evaluation and nothing
in training depends on the planned length, so the point at N kimg is what a run of N kimg gives. Each point's time is
the training seconds up to that epoch (`losses.csv`'s per-epoch `seconds`, which leave out evaluations, grids and
checkpoints); the seconds a whole command takes beyond its training (start-up, data, grids, checkpoints, report) are
measured once, by a short run of the same command, and printed apart.

    python bench/bench_length.py --kimg 360 --points 16 --seeds 0,1                       # the digits main job
    python bench/bench_length.py --kimg 360 --points 12 --seeds 0,1 -- --max-per-class 30
    python bench/bench_length.py --summarise bench/out/length/*.json                      # tables of saved runs

Rows: kimg, training seconds (mean over seeds), FD / floor on the 32-px yardstick, FD / floor at the run's own size
where it differs (what `cgan-eval` calls "of real at its size"), conditional accuracy, diversity; mean ± spread (half
the range) over seeds. Training in another process's shadow makes the seconds wrong but not the quality: compare
seconds only from a quiet machine, which each table states (the share of the CPUs other processes used meanwhile).
"""
import argparse, csv, json, os, statistics, subprocess, sys, tempfile, time
from pathlib import Path

def cpu_busy():
    "(busy, total) jiffies of all CPUs, from /proc/stat"
    v = [int(x) for x in open('/proc/stat').readline().split()[1:]]
    return sum(v) - v[3] - v[4], sum(v)

def own_jiffies():
    usage = os.times()
    return (usage.children_user + usage.children_system) * os.sysconf('SC_CLK_TCK')

def one_run(seed, kimg, points, extra, out_dir):
    "Train one seed with evaluations along the way; the rows of its curve and the other processes' CPU share"
    run = Path(out_dir)/f'seed{seed}'
    cmd = [sys.executable, '-m', 'cgan_nbdev.cli', 'train', '--kimg', str(kimg), '--seed', str(seed), '--out', str(run),
           '--quiet', *extra]
    every = max(1, round(kimg * 1000 / _images_per_epoch(extra) / points))    # epochs between evaluations
    busy0, own0, t0 = cpu_busy(), own_jiffies(), time.time()
    subprocess.run(cmd + ['--eval-every', str(every)], check=True, stdout=subprocess.DEVNULL)
    busy1, own1 = cpu_busy(), own_jiffies()
    others = max(0., ((busy1[0] - busy0[0]) - (own1 - own0)) / max(busy1[1] - busy0[1], 1))
    losses = list(csv.DictReader(open(run/'losses.csv')))
    seconds = {int(r['epoch']): float(r['seconds']) for r in losses}
    rows = []
    for m in csv.DictReader(open(run/'metrics.csv')):
        epoch = int(float(m['epoch']))
        kimg_at = next(float(r['kimg']) for r in losses if int(r['epoch']) == epoch)
        rows.append(dict(epoch=epoch, kimg=kimg_at, train_s=sum(s for e, s in seconds.items() if e <= epoch),
                         fd=float(m['frechet_ratio']), fd_size=float(m.get('frechet_ratio_size') or 'nan'),
                         acc=float(m['conditional_accuracy']), real_acc=float(m['classifier_accuracy_real']),
                         div=float(m['diversity'])))
    return dict(seed=seed, every=every, rows=rows, other_cpu_share=others, wall_s=time.time() - t0)

def _images_per_epoch(extra):
    "Images an epoch of the command shows D, as `train_cgan` counts them (settings resolved, data loaded)"
    from cgan_nbdev.run import resolve_settings, _load_run_data
    from cgan_nbdev.cli import train_parser, _given_settings
    args = train_parser().parse_args(list(extra))
    s = resolve_settings(**_given_settings(args))
    data, _, s = _load_run_data(s, None, None, False)
    return (len(data) // s.batch_size) * s.batch_size

def overhead(extra, out_dir):
    "Whole-process seconds of the command at a short length, less its training seconds: start-up, data, writing"
    run = Path(out_dir)/'overhead'
    t = time.time()
    subprocess.run([sys.executable, '-m', 'cgan_nbdev.cli', 'train', '--epochs', '2', '--out', str(run), '--quiet',
                    *extra], check=True, stdout=subprocess.DEVNULL)
    wall = time.time() - t
    return wall - sum(float(r['seconds']) for r in csv.DictReader(open(run/'losses.csv')))

def spread(values):
    values = [v for v in values if v == v]
    if not values: return 'n/a'
    return f"{statistics.mean(values):.2f} ± {(max(values) - min(values)) / 2:.2f}" if len(values) > 1 else f"{values[0]:.2f}"

def table(result):
    runs, extra = result['runs'], result['extra']
    shares = ', '.join(f"{r['other_cpu_share']:.0%}" for r in runs)
    print(f"command: cgan-train {' '.join(extra)} --kimg K; seeds {[r['seed'] for r in runs]}; machine: {result['cpu']}; "
          f"other processes' share of the CPUs while each trained: {shares}")
    print(f"seconds a whole command takes beyond its training (a 2-epoch run): {result['overhead_s']:.1f}")
    print('| kimg | training s | FD / floor | FD / floor at its size | accuracy (real) | diversity |')
    print('|---:|---:|---|---|---|---|')
    for i in range(min(len(r['rows']) for r in runs)):
        at = [r['rows'][i] for r in runs]
        print(f"| {statistics.mean(a['kimg'] for a in at):.0f} | {statistics.mean(a['train_s'] for a in at):.0f} | "
              f"{spread([a['fd'] for a in at])} | {spread([a['fd_size'] for a in at])} | "
              f"{spread([a['acc'] for a in at])} ({at[0]['real_acc']:.3f}) | {spread([a['div'] for a in at])} |")

def cpu_name():
    model = next((l.split(':', 1)[1].strip() for l in open('/proc/cpuinfo') if l.startswith('model name')), '?')
    bf16 = 'avx512_bf16' in open('/proc/cpuinfo').read()
    return f"{model}, {os.cpu_count()} cores, {'with' if bf16 else 'without'} bf16 units"

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--kimg', type=float, default=360)
    p.add_argument('--points', type=int, default=16, help='evaluations along each run')
    p.add_argument('--seeds', default='0,1')
    p.add_argument('--out', default=None, help='where the runs go (default: a temporary folder)')
    p.add_argument('--json', default=None, help='save the curves here')
    p.add_argument('--summarise', nargs='*', default=None, help='print the tables of saved JSON files instead')
    p.add_argument('extra', nargs='*', help="cgan-train's other flags, after --")
    a = p.parse_args()
    if a.summarise is not None:
        for path in a.summarise: table(json.loads(Path(path).read_text())); print()
        return
    out = a.out or tempfile.mkdtemp(prefix='length-')
    result = dict(extra=a.extra, cpu=cpu_name(), date=time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime()),
                  overhead_s=overhead(a.extra, out), runs=[])
    for seed in map(int, a.seeds.split(',')):
        result['runs'].append(one_run(seed, a.kimg, a.points, a.extra, out))
        if a.json: Path(a.json).parent.mkdir(parents=True, exist_ok=True); Path(a.json).write_text(json.dumps(result))
    table(result)

if __name__ == '__main__': main()
