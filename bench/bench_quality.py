"""Quality side by side on equal training, on the built-in digits.

For each variant: train on the digits' `train` split (as many steps as the previous table, or `--budget` seconds, or
`--epochs`), then measure the EMA
generator with the evaluator of `cgan_nbdev.metrics`: one evaluator for every variant and image size (a classifier of
the `train` split at 32 px; the `valid` split, which no GAN saw, as the reference; ten resampled draws). Prints a table
with the spreads, and the figures the previous evaluator published for the same variants beside the new ones; grids go
to bench/out/quality_<variant>.png.

    python bench/bench_quality.py                      # the six variants of 02_models' table (about 25 min)
    python bench/bench_quality.py --budget 240         # each variant for 240 s instead of the previous table's step count
"""
import argparse, json, math, statistics, time
from pathlib import Path
import torch
from cgan_nbdev.data import load_data, DeviceBatches
from cgan_nbdev.learner import Callback, CancelFitException
from cgan_nbdev.train import fit_cgan
from cgan_nbdev.metrics import OfflineEvaluator, run_eval_sets
from cgan_nbdev.viz import class_grid, save_figure

VARIANTS = {  # name: (model, loss, betas, img_size, batch_size)
    'mlp':            ('mlp', 'bce', (0.5, 0.999), 32, 32, 'fp32'),     # the note's MLP
    'dcgan-bce':      ('dcgan', 'bce', (0.5, 0.999), 32, 64, 'fp32'),   # conv pair, label planes + SN, the note's BCE/Adam
    'dcgan-proj':     ('dcgan-proj', 'hinge', (0.0, 0.9), 32, 64, 'fp32'),  # projection D + SN + hinge + EMA (Miyato & Koyama)
    'dcgan':          ('dcgan', 'hinge', (0.0, 0.9), 32, 64, 'fp32'),   # label planes + SN + hinge + EMA
    'dcgan32':        ('dcgan', 'hinge', (0.0, 0.9), 32, 64, 'auto'),   # the same with bf16 autocast where fast
    'dcgan16':        ('dcgan', 'hinge', (0.0, 0.9), 16, 64, 'auto'),   # the same at 16 px (the digits are 8×8): the main job
}
# What the previous evaluator (classifier and reference drawn from the GAN's own training images, at the run's size,
# one floor draw) published for these variants in 02_models: (accuracy, FD / floor, diversity)
PREVIOUS = {'mlp': (0.967, 21.9, 0.80), 'dcgan-bce': (0.942, 9.6, 0.90), 'dcgan-proj': (0.942, 17.9, 0.77),
            'dcgan': (0.953, 3.4, 0.97), 'dcgan32': (0.972, 2.0, 0.94), 'dcgan16': (0.967, 0.76, 1.02)}
# ...after this many epochs of all 1,797 digits (what 240 s bought then). By default each variant now trains for the
# same number of optimiser steps on the 1,442 digits of the `train` split: equal training, on any machine.
PREVIOUS_EPOCHS = {'mlp': 177, 'dcgan-bce': 57, 'dcgan-proj': 63, 'dcgan': 60, 'dcgan32': 137, 'dcgan16': 515}

def matched_epochs(name:str, n_images:int, batch_size:int)->int:
    "Epochs of `n_images` that take as many steps as the previous table's run of `name` on all 1,797 digits"
    return math.ceil(PREVIOUS_EPOCHS[name] * (1797 // batch_size) / (n_images // batch_size))

class TimeBudget(Callback):
    "Stop after the first epoch that ends past `seconds`"
    def __init__(self, seconds): self.seconds = seconds
    def before_fit(self): self.start = time.perf_counter()
    def after_epoch(self):
        if time.perf_counter() - self.start >= self.seconds: raise CancelFitException()

def main():
    p = argparse.ArgumentParser()
    p.add_argument('--variants', default=','.join(VARIANTS))
    p.add_argument('--budget', type=float, default=None, help='seconds of training per variant (default: as many steps as the previous table)')
    p.add_argument('--epochs', type=int, default=None, help='or a fixed number of epochs')
    p.add_argument('--seed', type=int, default=0)
    p.add_argument('--out', default=str(Path(__file__).parent/'out'))
    args = p.parse_args()
    out = Path(args.out); out.mkdir(exist_ok=True)
    t = time.perf_counter()
    ev = OfflineEvaluator(run_eval_sets(dict(data='digits', split='train', img_size=16), None))   # reference also at 16 px: its size floor
    print(f"evaluator: {ev.sets.about}; classifier accuracy on it {ev.real_accuracy:.3f}; floor {statistics.mean(ev.floor_fd):.3f} "
          f"± {statistics.pstdev(ev.floor_fd):.3f} ({time.perf_counter() - t:.0f} s)", flush=True)
    rows = []
    for name in args.variants.split(','):
        model, loss, betas, size, bs, precision = VARIANTS[name]
        data = load_data('digits', img_size=size, show_progress=False)
        epochs = args.epochs or (10 ** 6 if args.budget else matched_epochs(name, len(data), bs))
        cbs = [TimeBudget(args.budget)] if args.budget else []
        t = time.perf_counter()
        learn = fit_cgan(DeviceBatches(data, batch_size=bs, seed=args.seed), model=model, loss=loss, betas=betas,
                           epochs=epochs, seed=args.seed, progress=False, extra_cbs=cbs, precision=precision)
        seconds = time.perf_counter() - t
        m = ev.evaluate_generator(learn.generate, seed=0)
        labels = torch.arange(10).repeat_interleave(10)
        torch.manual_seed(1)
        save_figure(class_grid(learn.generate(labels), labels, data.classes, title=f'{name}: {learn.epoch} epochs, {seconds:.0f} s'),
                    out/f'quality_{name}.png')
        row = dict(variant=name, model=model, loss=loss, beta1=betas[0], px=size, batch=bs, precision=learn.precision, epochs=learn.epoch, seconds=round(seconds),
                   img_per_s=round(learn.epoch * len(data) // bs * bs / seconds), **{k: round(v, 4) if isinstance(v, float) else v for k, v in m.items()})
        rows.append(row)
        print(json.dumps(row), flush=True)
    print(f"\n{'variant':10s} {'px':>3s} {'prec':>5s} {'epochs':>6s} {'img/s':>6s} | {'acc':>13s} {'FD / floor':>12s} {'/ size fl.':>10s} {'KID':>15s} "
          f"{'div':>5s} {'memo':>5s} | previous: {'acc':>5s} {'FD/floor':>8s} {'div':>5s}")
    for r in rows:
        old = PREVIOUS.get(r['variant'], (float('nan'),) * 3)
        print(f"{r['variant']:10s} {r['px']:3d} {r['precision']:>5s} {r['epochs']:6d} {r['img_per_s']:6d} | "
              f"{r['conditional_accuracy']:.3f} ± {r['conditional_accuracy_std']:.3f} {r['frechet_ratio']:5.2f} ± {r['frechet_ratio_std']:4.2f} "
              f"{r.get('frechet_ratio_size', float('nan')):10.2f} "
              f"{r['kid']:6.3f} ± {r['kid_std']:6.3f} {r['diversity']:5.2f} {r['memorisation']:5.2f} | "
              f"          {old[0]:5.3f} {old[1]:8.2f} {old[2]:5.2f}")
    sized = [r for r in rows if 'frechet_size_floor' in r]
    if sized: print(f"size floor at 16 px (real digits loaded at 16 px vs the 32-px reference): FD {sized[0]['frechet_size_floor']:.3f} ± "
                    f"{sized[0]['frechet_size_floor_std']:.3f} = {sized[0]['frechet_size_floor'] / sized[0]['frechet_floor']:.2f}× the floor")
    print(f"floor: FD {rows[0]['frechet_floor']:.3f} ± {rows[0]['frechet_floor_std']:.3f}, KID {rows[0]['kid_floor']:.3f} ± "
          f"{rows[0]['kid_floor_std']:.3f}; classifier accuracy on the real reference {rows[0]['classifier_accuracy_real']:.3f}")
    (out/'quality.json').write_text(json.dumps(rows, indent=1))

if __name__ == '__main__': main()
