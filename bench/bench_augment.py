"""Small data: no augmentation vs DiffAugment vs ADA, on the built-in digits cut to N images per class.

Each variant trains the default model (dcgan, 16 px) on the first `--per-class` digits of each class for `--budget`
seconds; one evaluator (a classifier of the whole `train` split; the `valid` split, which no GAN saw, as the reference)
then measures conditional accuracy, Fréchet and kernel distances vs their floors, diversity, and memorisation
(nearest-training-image distance of samples vs of the unseen `valid` digits).
Also times the augmentation inside training steps (none vs p = 0.07 vs p = 1, interleaved, median of rounds), at 16
and 32 px. Grids and D/p curves go to bench/out/augment_<variant>[_s<seed>].png.

    python bench/bench_augment.py                 # 30 per class, 240 s per variant, seed 0
    python bench/bench_augment.py --seeds 0,1     # the same for two seeds, then the mean per variant
    python bench/bench_augment.py --cost-only     # only the step-time cost of the augmentation (about 2 minutes)
    python bench/bench_augment.py --variants none,ada-ct   # -ct: colour and translation only; -t, -c: one of them
"""
import argparse, json, statistics, sys, time
from pathlib import Path
import torch
sys.path.insert(0, str(Path(__file__).parent))
from bench_quality import TimeBudget
from cgan_nbdev.data import load_data, DeviceBatches
from cgan_nbdev.models import make_models, MODEL_DEFAULTS
from cgan_nbdev.platform import reuse_freed_memory
from cgan_nbdev.learner import GANLearner
from cgan_nbdev.train import fit_cgan
from cgan_nbdev.metrics import OfflineEvaluator, run_eval_sets
from cgan_nbdev.augment import Augment, ADA, DiffAugment
from cgan_nbdev.viz import class_grid, plot_losses, save_figure

def step_cost(img_size:int, rounds:int=7, per_class:int=30):
    "Median ms per training step (default model, bf16 where fast, batch 64) with no augmentation, p = 0.07 and p = 1"
    data = load_data('digits', img_size=img_size, max_per_class=per_class, show_progress=False)
    g, d = make_models('dcgan', len(data.classes), img_size=img_size)
    g, d = g.to(memory_format=torch.channels_last), d.to(memory_format=torch.channels_last)
    learn = GANLearner(g, d, DeviceBatches(data, batch_size=64), loss=MODEL_DEFAULTS['dcgan']['loss'], betas=MODEL_DEFAULTS['dcgan']['betas'], precision='bf16')
    batches = list(learn.batches)
    variants = {'none': lambda x: x, 'p=0.07': DiffAugment(0.07), 'p=1': DiffAugment(1.0)}
    times = {k: [] for k in variants}
    for _ in range(rounds):                      # interleaved, so that a busy moment hits every variant alike
        for name, aug in variants.items():
            learn.augment = aug
            for learn.xb, learn.yb in batches[:2]: learn.one_batch()
            t = time.perf_counter()
            for _ in range(4):
                for learn.xb, learn.yb in batches: learn.one_batch()
            times[name].append((time.perf_counter() - t) / (4 * len(batches)))
    return {k: statistics.median(v) * 1e3 for k, v in times.items()}

def print_cost():
    for px in (16, 32):
        ms = step_cost(px)
        print(f"{px} px, batch 64, bf16: step {ms['none']:.2f} ms without augmentation, {ms['p=0.07']:.2f} ms at p = 0.07 "
              f"(+{100 * (ms['p=0.07'] / ms['none'] - 1):.1f}%), {ms['p=1']:.2f} ms at p = 1 (+{100 * (ms['p=1'] / ms['none'] - 1):.1f}%)", flush=True)

def main():
    p = argparse.ArgumentParser()
    p.add_argument('--per-class', type=int, default=30)
    p.add_argument('--budget', type=float, default=240)
    p.add_argument('--variants', default='none,diff,ada')
    p.add_argument('--img-size', type=int, default=16)
    p.add_argument('--out', default=str(Path(__file__).parent/'out'))
    p.add_argument('--seeds', default='0')
    p.add_argument('--cost-only', action='store_true')
    p.add_argument('--skip-cost', action='store_true', help='only the quality comparison (the cost figures use bf16, which is slow on a CPU without bf16 units)')
    args = p.parse_args()
    reuse_freed_memory()                     # as fit_cgan does
    if not args.skip_cost: print_cost()
    if args.cost_only: return
    out = Path(args.out); out.mkdir(exist_ok=True)
    small = load_data('digits', img_size=args.img_size, max_per_class=args.per_class, show_progress=False)
    ev = OfflineEvaluator(run_eval_sets(dict(data='digits', split='train', max_per_class=args.per_class, img_size=args.img_size), None))
    print(f"{len(small)} training images ({args.per_class} per class); evaluator: {ev.sets.about}, classifier accuracy on it "
          f"{ev.real_accuracy:.3f}, floor {statistics.mean(ev.floor_fd):.3f} ± {statistics.pstdev(ev.floor_fd):.3f}", flush=True)
    rows = []
    for seed in [int(v) for v in args.seeds.split(',')]:
      for name in args.variants.split(','):
        policy = {'': ('color', 'translation', 'cutout'), 'ct': ('color', 'translation'), 't': ('translation',), 'c': ('color',)}[name.partition('-')[2]]
        cbs = [TimeBudget(args.budget)] + ({'none': [], 'diff': [Augment(1.0, policy)], 'ada': [ADA(policy=policy)]}[name.partition('-')[0]])
        t = time.perf_counter()
        learn = fit_cgan(DeviceBatches(small, batch_size=64, seed=seed), model='dcgan', epochs=10 ** 6, progress=False, extra_cbs=cbs, seed=seed)
        seconds = time.perf_counter() - t
        m = ev.evaluate_generator(learn.generate)    # memorisation: distance to the 30 per class it trained on, vs the valid split's
        labels = torch.arange(10).repeat_interleave(8)
        torch.manual_seed(1)
        save_figure(class_grid(learn.generate(labels), labels, small.classes, title=f'{name}: {learn.epoch} epochs'), out/f'augment_{name}_s{seed}.png')
        save_figure(plot_losses(learn.history, title=name), out/f'augment_{name}_s{seed}_curves.png')
        step_ms = seconds / max(learn.step, 1) * 1e3
        row = dict(variant=name, seed=seed, epochs=learn.epoch, steps=learn.step, seconds=round(seconds), step_ms=round(step_ms, 2),
                   final_p=learn.history[-1].get('augment_p', 0.0), **{k: round(v, 4) if isinstance(v, float) else v for k, v in m.items()})
        rows.append(row); print(json.dumps(row), flush=True)
    keys = ['conditional_accuracy', 'frechet_ratio', 'diversity', 'memorisation']
    for r in rows: r.setdefault('frechet_ratio_size', float('nan'))
    means = [dict(variant=f"{v} mean", seed=-1, epochs=round(statistics.mean(r['epochs'] for r in rows if r['variant'] == v)),
                  step_ms=statistics.mean(r['step_ms'] for r in rows if r['variant'] == v),
                  final_p=statistics.mean(r['final_p'] for r in rows if r['variant'] == v),
                  **{k: statistics.mean(r[k] for r in rows if r['variant'] == v) for k in keys})
             for v in args.variants.split(',')] if len(args.seeds.split(',')) > 1 else []
    print(f"\n{'variant':8s} {'seed':>4s} {'epochs':>6s} {'ms/step':>7s} {'p':>5s} {'acc':>6s} {'FD/floor':>8s} {'/size fl':>8s} {'div':>5s} {'memo':>5s}")
    for r in rows + means:
        print(f"{r['variant']:8s} {r['seed']:4d} {r['epochs']:6d} {r['step_ms']:7.2f} {r['final_p']:5.2f} {r['conditional_accuracy']:6.3f} "
              f"{r['frechet_ratio']:8.2f} {r.get('frechet_ratio_size', float('nan')):8.2f} {r['diversity']:5.2f} {r['memorisation']:5.2f}")
    (out/'augment.json').write_text(json.dumps(rows, indent=1))

if __name__ == '__main__': main()
