"""What a perfect copier scores: the evaluator's figures for "generators" that return real pictures.

A GAN can at best reproduce the pictures it trained on. This script measures, on the same yardstick as `cgan-eval`,
a generator that hands back random training pictures of the asked class (a perfect memoriser), and one that hands back
mirrored training pictures. The copier is a reference point, not a ceiling: a generator that draws exactly the variety
it was shown scores about what it scores; one that varies beyond its pictures, as unseen real pictures do, can score
more. Trained runs given with `--runs` are measured on the same evaluators, side by side.

    python bench/bench_copier.py bench/out/sweep_runs/default-s1 --seeds 0,1,2

RUN is any run directory (only its settings are read: data, split, size, classes); the evaluator is built as
`cgan-eval` builds it, with each seed, and ± is the spread over those seeds. Runs of a sweep's prototype pairs (a model
class that exists only inside `sweep_emoji.py`) load with `--sweep-jsonl`, the sweep's rows, which hold their knobs:

    python bench/bench_copier.py bench/out/sweep_runs/default-s1 --runs bench/out/sweep_runs/res-g16-s1 --sweep-jsonl bench/out/residual_cpu.jsonl
"""
import argparse, json, sys
from pathlib import Path
import numpy as np, torch
from cgan_nbdev.checkpoint import load_generator, read_config
from cgan_nbdev.metrics import OfflineEvaluator, real_sampler, run_eval_sets

def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('run', help='a run directory whose settings say which data to use')
    p.add_argument('--seeds', default='0,1,2', help='evaluator seeds (classifier and draws)')
    p.add_argument('--runs', nargs='*', default=[], help='trained runs to measure on the same evaluators, for comparison')
    p.add_argument('--sweep-jsonl', default=None, help="a sweep's rows: runs named there with prototype knobs are built with them")
    a = p.parse_args()
    torch.set_num_threads(2)
    cfg = read_config(Path(a.run))
    sets = run_eval_sets(cfg['settings'], cfg['classes'])            # the same real images for every evaluator
    specs = {r['name']: r['spec'] for r in map(json.loads, Path(a.sweep_jsonl).read_text().splitlines())} if a.sweep_jsonl else {}
    if specs:
        sys.path.insert(0, str(Path(__file__).parent))
        from sweep_emoji import MODEL_KNOBS, register_variant
    gens = {}
    for r in map(Path, a.runs):
        # a prototype pair's checkpoint names 'dcgan-variant': register that pair, with this run's knobs, first
        if r.name in specs and any(k in specs[r.name] for k in MODEL_KNOBS): register_variant(specs[r.name])   # (MODEL_KNOBS is imported only with specs)
        gens[r.name] = load_generator(r, 'cpu')[0]
    rows = {}
    for seed in map(int, a.seeds.split(',')):
        ev = OfflineEvaluator(sets, seed=seed)
        copies = real_sampler(ev.sets.gan_train, seed=seed)
        cands = {'training pictures (a perfect copier)': copies,
                 'training pictures, mirrored': lambda labels: copies(labels).flip(-1)}
        for name, gen in gens.items():
            cands[name] = lambda labels, gen=gen: gen(torch.randn(len(labels), gen.latent_dim), labels)
        for name, gen in cands.items():
            m = ev.evaluate_generator(gen, seed=seed)
            rows.setdefault(name, []).append(m)
            print(f"seed {seed} {name}: FD/floor {m['frechet_ratio']:.2f} diversity {m['diversity']:.3f} "
                  f"(training pictures {m['diversity_train']:.3f}) accuracy {m['conditional_accuracy']:.3f} (real {m['classifier_accuracy_real']:.3f}) memorisation {m['memorisation']:.2f} "
                  + ' '.join(f"{k}:{v['diversity']:.2f}" for k, v in m['per_class'].items()), flush=True)
    print(f"\n| generator | accuracy (real) | FD / floor | diversity | {' | '.join(cfg['classes'])} (diversity) | memorisation |")
    print('|---|---|---|---|' + '---|' * len(cfg['classes']) + '---|')
    ms = lambda v: f"{np.mean(v):.2f} ± {np.std(v):.2f}"
    for name, ms_ in rows.items():
        acc, real = [m['conditional_accuracy'] for m in ms_], [m['classifier_accuracy_real'] for m in ms_]
        per = [ms([m['per_class'][c]['diversity'] for m in ms_]) for c in cfg['classes']]
        print(f"| {name} | {np.mean(acc):.3f} ({np.mean(real):.3f}) | {ms([m['frechet_ratio'] for m in ms_])} | "
              f"{ms([m['diversity'] for m in ms_])} | {' | '.join(per)} | {ms([m['memorisation'] for m in ms_])} |")

if __name__ == '__main__': main()
