"""The study note's run beside the project's default, on the contest-style zip the package ships: what `00b_note` shows,
on several seeds, with the spread over seeds.

    python bench/bench_note.py                       # seeds 0, 1, 2; runs under bench/out/note/
    python bench/bench_note.py --seeds 0 --default-share 1     # the default for as many images as the note's run

Each seed trains `train_cgan(preset='note', classes=...)` (the note's 500 epochs) and then the default on the same
pictures for a share of the images the note's run showed (`--default-share`: a third, as `00b_note` does, since on a
CPU the convolutional pair costs several times as much a picture), evaluates both with `Run.evaluate()` (against the
zip's `valid` split, which neither saw), and prints every run; then the mean and the spread (half the range) over
seeds of each figure.
Training seconds are this machine's: say which CPU (with or without bf16) when you cite them.
"""
import argparse, statistics, time
from pathlib import Path
from cgan_nbdev.data import emoji_contest_zip
from cgan_nbdev.run import train_cgan

FIGURES = [('frechet_ratio', 'FD/floor', '{:.2f}'), ('kid', 'KID', '{:.4f}'), ('diversity', 'diversity', '{:.2f}'),
           ('memorisation', 'memorisation', '{:.2f}'), ('conditional_accuracy', 'accuracy', '{:.2f}')]

def one_seed(out:Path, seed:int, classes:str, share:float)->dict:
    quiet = lambda *a, **k: None
    data = str(emoji_contest_zip())
    note = train_cgan(preset='note', data=data, classes=classes, seed=seed, out=out/f'note-s{seed}', progress=False,
                      say=quiet)
    kimg = note.learner.history[-1]['kimg'] * share
    default = train_cgan(data=data, classes=classes, seed=seed, kimg=kimg, out=out/f'default-s{seed}', progress=False,
                         say=quiet)
    rows = {}
    for name, run in (('note', note), ('default', default)):
        m = run.evaluate(seed=seed)
        m['train_s'] = sum(h['seconds'] for h in run.learner.history)
        rows[name] = m
        print(f"seed {seed} {name:8}" + ''.join(f"  {label} {fmt.format(m[k])}" for k, label, fmt in FIGURES)
              + f"  train {m['train_s']:.0f} s"
              f"  ({run.learner.history[-1]['kimg']:.1f} kimg)", flush=True)
    return rows

if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--seeds', default='0,1,2')
    p.add_argument('--classes', default='Food')
    p.add_argument('--default-share', type=float, default=1/3, help="the default's images, as a share of the note's")
    p.add_argument('--out', default='bench/out/note')
    args = p.parse_args()
    out = Path(args.out) / time.strftime('%Y%m%d-%H%M%S')
    runs = [one_seed(out, int(s), args.classes, args.default_share) for s in args.seeds.split(',')]
    print(f"\nmean ± half-range over {len(runs)} seeds (classes {args.classes}; the training pictures' own diversity "
          f"{statistics.mean(r['note']['diversity_train'] for r in runs):.2f}):")
    for name in ('note', 'default'):
        cells = []
        for k, label, fmt in FIGURES + [('train_s', 'train s', '{:.0f}')]:
            vals = [r[name][k] for r in runs]
            cells.append(f"{label} {fmt.format(statistics.mean(vals))} ± {fmt.format((max(vals) - min(vals)) / 2)}")
        print(f"  {name:8} " + ';  '.join(cells))
