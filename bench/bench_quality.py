"""Quality side by side on the same time budget, on the built-in digits.

For each variant: train for `--budget` seconds (or `--epochs`), then measure the EMA generator with the offline
classifier metrics of `cgan_nbdev.metrics` (one evaluator, built once, for all variants) and save a labelled grid.
Prints a table; grids go to bench/out/quality_<variant>.png.

    python bench/bench_quality.py                      # the four variants, 240 s each
    python bench/bench_quality.py --variants mlp --main-job   # the main job exactly as `cgan-train` runs it
"""
import argparse, json, sys, time
from pathlib import Path
import torch
from cgan_nbdev.data import load_data, DeviceBatches
from cgan_nbdev.train import train_cgan, Callback, CancelFitException
from cgan_nbdev.metrics import OfflineEvaluator
from cgan_nbdev.viz import class_grid, save_figure

VARIANTS = {  # name: (model, loss, betas, img_size, batch_size)
    'mlp':            ('mlp', 'bce', (0.5, 0.999), 32, 32),     # the note's MLP: the main job's default
    'dcgan-bce':      ('dcgan', 'bce', (0.5, 0.999), 32, 64),   # conv pair, label planes + SN, the note's BCE/Adam
    'dcgan-proj':     ('dcgan-proj', 'hinge', (0.0, 0.9), 32, 64),  # projection D + SN + hinge + EMA (Miyato & Koyama)
    'dcgan':          ('dcgan', 'hinge', (0.0, 0.9), 32, 64),   # label planes + SN + hinge + EMA
    'dcgan16':        ('dcgan', 'hinge', (0.0, 0.9), 16, 64),   # the same at 16 px (the digits are 8×8)
}

class TimeBudget(Callback):
    "Stop after the first epoch that ends past `seconds`"
    def __init__(self, seconds): self.seconds = seconds
    def before_fit(self): self.start = time.perf_counter()
    def after_epoch(self):
        if time.perf_counter() - self.start >= self.seconds: raise CancelFitException()

def main():
    p = argparse.ArgumentParser()
    p.add_argument('--variants', default=','.join(VARIANTS))
    p.add_argument('--budget', type=float, default=240, help='seconds of training per variant')
    p.add_argument('--epochs', type=int, default=100000, help='or a fixed number of epochs')
    p.add_argument('--main-job', action='store_true', help='mlp exactly as cgan-train runs it: 200 epochs, no time budget')
    p.add_argument('--seed', type=int, default=0)
    p.add_argument('--precision', default='auto', help="auto: bf16 autocast for the conv models where the CPU/GPU is fast at it")
    p.add_argument('--out', default=str(Path(__file__).parent/'out'))
    args = p.parse_args()
    out = Path(args.out); out.mkdir(exist_ok=True)
    evaluators, rows = {}, []
    for name in args.variants.split(','):
        model, loss, betas, size, bs = VARIANTS[name]
        data = load_data('digits', img_size=size, show_progress=False)
        if size not in evaluators:
            t = time.perf_counter(); evaluators[size] = OfflineEvaluator(data)
            print(f"evaluator at {size}px: classifier accuracy on held-out real {evaluators[size].real_accuracy:.3f}, "
                  f"real-vs-real floor {evaluators[size].floor:.3f} ({time.perf_counter() - t:.0f} s)", flush=True)
        ev = evaluators[size]
        epochs = 200 if args.main_job else args.epochs
        cbs = [] if args.main_job else [TimeBudget(args.budget)]
        t = time.perf_counter()
        learn = train_cgan(DeviceBatches(data, batch_size=bs, seed=args.seed), model=model, loss=loss, betas=betas,
                           epochs=epochs, seed=args.seed, progress=False, extra_cbs=cbs, precision=args.precision)
        seconds = time.perf_counter() - t
        m = ev.evaluate_generator(learn.generate, seed=0)
        labels = torch.arange(10).repeat_interleave(10)
        torch.manual_seed(1)
        save_figure(class_grid(learn.generate(labels), labels, data.classes, title=f'{name}: {learn.epoch} epochs, {seconds:.0f} s'),
                    out/f'quality_{name}.png')
        row = dict(variant=name, model=model, loss=loss, beta1=betas[0], px=size, batch=bs, precision=learn.precision, epochs=learn.epoch, seconds=round(seconds),
                   img_per_s=round(learn.epoch * len(data) // bs * bs / seconds), **{k: round(v, 4) for k, v in m.items()})
        rows.append(row)
        print(json.dumps(row), flush=True)
    print(f"\n{'variant':12s} {'epochs':>6s} {'sec':>5s} {'img/s':>6s} {'acc':>6s} {'FD':>7s} {'floor':>6s} {'FD/floor':>8s} {'div':>5s}")
    for r in rows:
        print(f"{r['variant']:12s} {r['epochs']:6d} {r['seconds']:5d} {r['img_per_s']:6d} {r['conditional_accuracy']:6.3f} "
              f"{r['frechet_distance']:7.3f} {r['frechet_floor']:6.3f} {r['frechet_ratio']:8.2f} {r['diversity']:5.2f}")
    (out/'quality.json').write_text(json.dumps(rows, indent=1))

if __name__ == '__main__': main()
