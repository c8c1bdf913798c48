"""Quality against time on real colour pictures (Twitter's emoji, four categories) and on the built-in digits.

Every row is `train_cgan` with default settings except those named (model, image size, seed, and any `--set K=V`),
timed, then measured by `Run.evaluate` (the `valid` split, which no GAN saw, is the reference; ten resampled draws):

    python bench/bench_emoji.py                                   # dcgan at 32 px on the emoji, seed 0
    python bench/bench_emoji.py --models mlp,dcgan,dcgan-proj --sizes 32 --seeds 0,1
    python bench/bench_emoji.py --data digits --models dcgan --sizes 16
    python bench/bench_emoji.py --set augment=diff --set kimg=60  # any TrainSettings field

It prints one row per run and, with several seeds, the mean ± spread over seeds; grids are copied to
`bench/out/emoji_<tag>.png` and every row is appended to `bench/out/emoji_runs.jsonl`. Images come from
`emoji_data.py` (npm); nothing is committed and no test needs them.
"""
import argparse, json, shutil, statistics, sys, tempfile, time
from pathlib import Path
sys.path.insert(0, str(Path(__file__).parent))
from emoji_data import emoji_folder
from cgan_nbdev.run import train_cgan, TrainSettings

OUT = Path(__file__).parent/'out'
COLUMNS = ['set', 'model', 'px', 'seed', 'kimg', 'train s', 's/kimg', 'accuracy', 'real acc', 'FD / floor', 'KID', 'diversity', 'memo']

def parse_value(v:str):
    for cast in (int, float):
        try: return cast(v)
        except ValueError: pass
    return {'true': True, 'false': False}.get(v.lower(), v)

def one_run(data:str, set_name:str, model:str, px:int, seed:int, extra:dict, tag:str)->dict:
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        run = train_cgan(data=data, model=model, img_size=px, seed=seed, out=Path(tmp)/'run', progress=False, say=lambda *a, **k: None, **extra)
        seconds = time.perf_counter() - t
        m = run.evaluate()
        grid = run.grids[-1]
        OUT.mkdir(exist_ok=True); shutil.copyfile(grid, OUT/f'emoji_{tag}.png')
        kimg, img_per_s = run.learner.history[-1]['kimg'], run.learner.history[-1]['img_per_s']
    row = dict(set=set_name, model=model, px=px, seed=seed, extra=extra, kimg=kimg, train_s=seconds, s_per_kimg=1000 / img_per_s, **{k: v for k, v in m.items() if isinstance(v, (int, float))})
    with open(OUT/'emoji_runs.jsonl', 'a') as f: f.write(json.dumps(row) + '\n')
    return row

def cells(r:dict)->list:
    return [r['set'], r['model'], r['px'], r['seed'], f"{r['kimg']:.0f}", f"{r['train_s']:.0f}", f"{r['s_per_kimg']:.1f}",
            f"{r['conditional_accuracy']:.3f} ± {r['conditional_accuracy_std']:.3f}", f"{r['classifier_accuracy_real']:.3f}",
            f"{r['frechet_ratio']:.2f} ± {r['frechet_ratio_std']:.2f}", f"{r['kid']:.3f}", f"{r['diversity']:.2f}", f"{r['memorisation']:.2f}"]

def summary(rows:list)->list:
    "Mean ± spread (standard deviation) over seeds of one configuration"
    ms = lambda k: f"{statistics.mean(r[k] for r in rows):.2f} ± {statistics.stdev(r[k] for r in rows):.2f}"
    r = rows[0]
    return [r['set'], r['model'], r['px'], f"{len(rows)} seeds", f"{r['kimg']:.0f}", f"{statistics.mean(x['train_s'] for x in rows):.0f}",
            f"{statistics.mean(x['s_per_kimg'] for x in rows):.1f}",
            ms('conditional_accuracy'), f"{r['classifier_accuracy_real']:.3f}", ms('frechet_ratio'), ms('kid'), ms('diversity'), ms('memorisation')]

def show(row:list): print(' | '.join(str(c) for c in row), flush=True)

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--data', default='emoji', help="'emoji' (default) or any data source, e.g. 'digits'")
    p.add_argument('--models', default='dcgan')
    p.add_argument('--sizes', default='32')
    p.add_argument('--seeds', default='0')
    p.add_argument('--set', action='append', default=[], metavar='K=V', help='any other TrainSettings field, e.g. augment=diff')
    args = p.parse_args()
    data = str(emoji_folder()) if args.data == 'emoji' else args.data
    extra = {k: parse_value(v) for k, v in (s.split('=', 1) for s in args.set)}
    known = set(TrainSettings.__dataclass_fields__)
    if set(extra) - known: p.error(f"unknown setting(s): {', '.join(set(extra) - known)}")
    print(f"data: {data}; settings besides the defaults: {extra or 'none'}")
    show(COLUMNS); show(['---'] * len(COLUMNS))
    for model in args.models.split(','):
        for px in map(int, args.sizes.split(',')):
            rows = []
            for seed in map(int, args.seeds.split(',')):
                tag = '_'.join([args.data if args.data in ('emoji', 'digits') else 'data', model, str(px), f's{seed}'] + [f"{k}-{v}" for k, v in extra.items()])
                rows.append(one_run(data, args.data, model, px, seed, extra, tag)); show(cells(rows[-1]))
            if len(rows) > 1: show(summary(rows))

if __name__ == '__main__': main()
