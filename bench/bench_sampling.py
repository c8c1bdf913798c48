"""How to sample from a trained generator: batch-norm statistics and noise scale, paired on the same trained weights,
so that training noise does not enter the comparison.

The EMA generator averages G's weights over about 1/(1-decay) steps, but its batch-norm buffers are copies of the live
G's running statistics, which follow the last few dozen batches of other weights. BigGAN recomputes "standing
statistics" for the averaged weights instead. This measures, for each kept run, the EMA generator with

- `live stats`:  the live G's running statistics (what `EMA.update` copies, the package's behaviour today)
- `own stats`:   statistics recomputed for the EMA weights: `--batches` batches of noise and training-frequency labels
                 through the EMA generator in train mode, averaged evenly (momentum None)
- `live G`:      the live generator itself, for reference
- `noise × s`:   the EMA generator (live stats) fed s·z instead of z, for each s of `--scales`: above 1 widens the
                 samples (the reverse of BigGAN's truncation), at some cost in fidelity

each evaluated with the run's own evaluator (held-out reference) over `--seeds` noise seeds.

    python bench/bench_sampling.py bench/out/sweep_runs/default-s1 bench/out/sweep_runs/default-s2 --scales 1.25,1.5
"""
import argparse, copy, statistics, sys
from pathlib import Path
import torch, torch.nn as nn
sys.path.insert(0, str(Path(__file__).parent.parent))
from cgan_nbdev.checkpoint import load_generator, read_config
from cgan_nbdev.metrics import OfflineEvaluator, run_eval_sets

@torch.no_grad()
def recompute_bn_stats(gen:nn.Module, labels:torch.Tensor, batches:int=200, batch_size:int=64, seed:int=0)->nn.Module:
    "Reset `gen`'s batch-norm statistics and average them evenly over `batches` batches of noise and labels drawn from `labels`"
    norms = [m for m in gen.modules() if isinstance(m, nn.modules.batchnorm._BatchNorm)]
    momenta = [m.momentum for m in norms]
    for m in norms: m.reset_running_stats(); m.momentum = None     # None: a cumulative average, every batch weighs the same
    g = torch.Generator().manual_seed(seed)
    gen.train()
    for _ in range(batches):
        y = labels[torch.randint(len(labels), (batch_size,), generator=g)]
        gen(torch.randn(batch_size, gen.latent_dim, generator=g), y)
    for m, mo in zip(norms, momenta): m.momentum = mo
    return gen.eval()

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('runs', nargs='+')
    p.add_argument('--seeds', type=int, default=3)
    p.add_argument('--batches', type=int, default=200)
    p.add_argument('--scales', default='', help='comma-separated noise scales to try besides 1')
    a = p.parse_args()
    torch.set_num_threads(2)
    rows = []
    for run in map(Path, a.runs):
        ema, classes, _ = load_generator(run, use_ema=True)
        sets = run_eval_sets(read_config(run)['settings'], classes)
        own = recompute_bn_stats(copy.deepcopy(ema), sets.gan_train.labels, a.batches)   # G saw labels in these proportions
        live = load_generator(run, use_ema=False)[0]
        ev = OfflineEvaluator(sets)
        variants = [('live stats', ema, 1.0), ('own stats', own, 1.0), ('live G', live, 1.0)]
        variants += [(f'noise × {s}', ema, float(s)) for s in a.scales.split(',') if s]
        for name, gen, scale in variants:
            ms = [ev.evaluate_generator(lambda y, gen=gen, scale=scale: gen(scale * torch.randn(len(y), gen.latent_dim), y), seed=s)
                  for s in range(a.seeds)]
            mean = lambda k: statistics.mean(m[k] for m in ms)
            spread = lambda k: statistics.stdev(m[k] for m in ms) if len(ms) > 1 else 0.0
            per_class = ' | '.join(f"{c[:8]} {statistics.mean(m['per_class'][c]['accuracy'] for m in ms):.2f}/"
                                   f"{statistics.mean(m['per_class'][c]['diversity'] for m in ms):.2f}" for c in classes)
            rows.append(f"| {run.name} | {name} | {mean('conditional_accuracy'):.3f} | {mean('frechet_ratio'):.2f} ± {spread('frechet_ratio'):.2f}"
                        f" | {mean('kid'):.3f} | {mean('diversity'):.3f} ± {spread('diversity'):.3f} | {mean('memorisation'):.2f} | {per_class} |")
            print(rows[-1], flush=True)
    print(f"\n| run | how it samples | accuracy (real {ev.real_accuracy:.3f}) | FD / floor (± over {a.seeds} noise seeds) | KID"
          " | diversity | memorisation | per class: accuracy/diversity |")
    print('|---' * 8 + '|')
    print('\n'.join(rows))

if __name__ == '__main__': main()
