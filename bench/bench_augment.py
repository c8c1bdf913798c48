"""Small data: no augmentation vs DiffAugment vs ADA, on the built-in digits cut to N images per class.

Each variant trains the default model (dcgan, 16 px) on the first `--per-class` digits of each class for `--budget`
seconds; one evaluator (a classifier trained on 80% of *all* digits) then measures conditional accuracy, Fréchet distance
vs floor, diversity, and memorisation (nearest-training-image distance of samples vs of the digits the GAN never saw).
Also times the augmentation itself against a training step. Grids and D/p curves go to bench/out/augment_<variant>.png.

    python bench/bench_augment.py                 # 30 per class, 240 s per variant
"""
import argparse, json, sys, time
from pathlib import Path
import torch
sys.path.insert(0, str(Path(__file__).parent))
from bench_quality import TimeBudget
from cgan_nbdev.data import load_data, DeviceBatches, select_classes
from cgan_nbdev.train import train_cgan
from cgan_nbdev.metrics import OfflineEvaluator, embed, memorisation_ratio
from cgan_nbdev.augment import Augment, ADA, DiffAugment
from cgan_nbdev.viz import class_grid, plot_losses, save_figure

def main():
    p = argparse.ArgumentParser()
    p.add_argument('--per-class', type=int, default=30)
    p.add_argument('--budget', type=float, default=240)
    p.add_argument('--variants', default='none,diff,ada')
    p.add_argument('--img-size', type=int, default=16)
    p.add_argument('--out', default=str(Path(__file__).parent/'out'))
    args = p.parse_args()
    out = Path(args.out); out.mkdir(exist_ok=True)
    full = load_data('digits', img_size=args.img_size, show_progress=False)
    small = load_data('digits', img_size=args.img_size, max_per_class=args.per_class, show_progress=False)
    seen, _ = select_classes(full.labels.tolist(), list(range(10)), args.per_class)
    unseen = sorted(set(range(len(full))) - set(seen))
    ev = OfflineEvaluator(full)
    feats = lambda imgs: embed(ev.classifier, imgs)[0]
    train_f, unseen_f = feats(full.images[seen]), feats(full.images[unseen])
    print(f"{len(small)} training images ({args.per_class} per class); evaluator accuracy on held-out real {ev.real_accuracy:.3f}, "
          f"floor {ev.floor:.3f}", flush=True)
    # cost of the augmentation itself, on a batch like the training's (2 × 64 images, real + fake)
    x = torch.rand(128, 3, args.img_size, args.img_size) * 2 - 1
    aug = DiffAugment(1.0)
    for _ in range(3): aug(x)
    t = time.perf_counter()
    for _ in range(50): aug(x.requires_grad_(True)).sum().backward()
    print(f"DiffAugment p=1 on 128 images of {args.img_size} px, forward+backward: {(time.perf_counter() - t) / 50 * 1e3:.2f} ms", flush=True)
    rows = []
    for name in args.variants.split(','):
        cbs = [TimeBudget(args.budget)] + ({'none': [], 'diff': [Augment(1.0)], 'ada': [ADA()]}[name])
        t = time.perf_counter()
        learn = train_cgan(DeviceBatches(small, batch_size=64, seed=0), model='dcgan', epochs=10 ** 6, progress=False, extra_cbs=cbs)
        seconds = time.perf_counter() - t
        m = ev.evaluate_generator(learn.generate)
        torch.manual_seed(0)
        fake = learn.generate(ev.ref_labels).cpu()
        m['memorisation'] = memorisation_ratio(feats(fake), train_f, unseen_f)
        labels = torch.arange(10).repeat_interleave(8)
        torch.manual_seed(1)
        save_figure(class_grid(learn.generate(labels), labels, small.classes, title=f'{name}: {learn.epoch} epochs'), out/f'augment_{name}.png')
        save_figure(plot_losses(learn.history, title=name), out/f'augment_{name}_curves.png')
        step_ms = seconds / max(learn.step, 1) * 1e3
        row = dict(variant=name, epochs=learn.epoch, steps=learn.step, seconds=round(seconds), step_ms=round(step_ms, 2),
                   final_p=learn.history[-1].get('augment_p', 0.0), **{k: round(v, 4) for k, v in m.items()})
        rows.append(row); print(json.dumps(row), flush=True)
    print(f"\n{'variant':8s} {'epochs':>6s} {'ms/step':>7s} {'p':>5s} {'acc':>6s} {'FD/floor':>8s} {'div':>5s} {'memo':>5s}")
    for r in rows:
        print(f"{r['variant']:8s} {r['epochs']:6d} {r['step_ms']:7.2f} {r['final_p']:5.2f} {r['conditional_accuracy']:6.3f} "
              f"{r['frechet_ratio']:8.2f} {r['diversity']:5.2f} {r['memorisation']:5.2f}")
    (out/'augment.json').write_text(json.dumps(rows, indent=1))

if __name__ == '__main__': main()
