"""What the host launches per training step, counted on any device: tensor operations, and reads of the device.

At the default batch a GPU waits for the host, which launches the step's kernels one at a time (`gpu_results.md`:
about 506 launches a step at 64 px on an H100, in bf16, before the changes counted here). The count of tensor
operations that are not views, taken on a CPU with a `TorchDispatchMode`, is a proxy for those launches that needs no
GPU: most operations are one kernel; a few launch none (`empty`), and a foreach operation counts once although a GPU
launches a kernel per chunk of its list (per tensor when the list mixes dtypes). A read of a tensor's value on the
host (`.item()`, a boolean mask, ...) is a synchronisation on a GPU. The step is `train_cgan`'s (hinge, `History`
and `GeneratorEMA`, channels_last) in fp32 or `--precision bf16`, on synthetic pictures; counts are split by where
they happen: G's forward (and augmentation), D's step, G's step, and the callbacks' in-step events.

    python bench/bench_ops.py                          # the 16-px digits default, the 64-px default, biggan at 64 px
    python bench/bench_ops.py --precision bf16         # under bf16 autocast, as train_cgan runs on a GPU
    python bench/bench_ops.py --time 40                # and the milliseconds a step takes here (median of 3 fits)
    PYTHONPATH=/path/to/older/checkout python bench/bench_ops.py   # another version's counts (from 7147e04 on)
"""
import argparse, collections, sys
from pathlib import Path
import torch
from torch.utils._python_dispatch import TorchDispatchMode
import cgan_nbdev
from cgan_nbdev.data import DeviceBatches
from cgan_nbdev.models import make_models, model_defaults
from cgan_nbdev.learner import GANLearner, STEP_EVENTS, StopAfter
from cgan_nbdev.callbacks import History, GeneratorEMA
from cgan_nbdev.capture import _host_read
from cgan_nbdev.platform import resolve_precision
sys.path.insert(0, str(Path(__file__).parent))
from bench_gpu import synthetic      # random uint8 pictures of balanced classes

class Counter(TorchDispatchMode):
    "Counts the operations that are not views, under the name of the phase they run in; and host reads"
    def __init__(self):
        super().__init__()
        self.ops, self.reads, self.phase = collections.Counter(), collections.Counter(), ['G forward']
    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        if not func.is_view: self.ops[self.phase[-1]] += 1
        if read := _host_read(func, args): self.reads[read] += 1
        return func(*args, **(kwargs or {}))

def phased(counter, name, method):
    def run(*args, **kwargs):
        counter.phase.append(name)
        try: return method(*args, **kwargs)
        finally: counter.phase.pop()
    return run

def learner(model:str, px:int, width:int, stop, precision:str='fp32', classes:int=4, batch:int=64)->GANLearner:
    "The step `train_cgan` runs for this pair (channels_last, `precision`), on 4 × 64 synthetic pictures"
    data = synthetic(classes, batch, 'cpu', px=px)
    torch.manual_seed(0)
    gen, disc = (m.to(memory_format=torch.channels_last) for m in make_models(model, classes, img_size=px, width=width))
    d = model_defaults(model)
    return GANLearner(gen, disc, DeviceBatches(data, batch_size=batch, seed=0), loss=d['loss'], lr=d['lr'],
                      betas=d['betas'], classes=data.classes, precision=precision,
                      cbs=[History(), GeneratorEMA(), stop])

def step_ms(model:str, px:int, width:int, steps:int, rounds:int=3, warmup:int=5)->float:
    "Median over `rounds` fits of the milliseconds a step takes after `warmup` steps, in `auto`'s precision here"
    times, precision = [], resolve_precision('auto', 'cpu', model)
    for _ in range(rounds):
        stop = StopAfter(warmup + steps, warmup=warmup)
        learner(model, px, width, stop, precision).fit(10**6)
        times.append(1000 * stop.seconds / steps)
    return sorted(times)[len(times) // 2]

def count(model:str, px:int, width:int, precision:str='fp32', steps:int=3)->tuple:
    "Operations per step (by phase) and host reads per step, averaged over `steps` steps after one warm-up step"
    learn = learner(model, px, width, StopAfter(1 + steps), precision)
    counter, one_batch = Counter(), learn.one_batch
    learn.d_step, learn.g_step = phased(counter, 'D step', learn.d_step), phased(counter, 'G step', learn.g_step)
    for cb in learn.cbs:
        for event in STEP_EVENTS:
            if hasattr(cb, event): setattr(cb, event, phased(counter, 'callbacks', getattr(cb, event)))
    def counted():
        if learn.step == 0: return one_batch()          # Adam makes its state in its first step
        counter.phase[:] = ['G forward']
        with counter: one_batch()
    learn.one_batch = counted
    learn.fit(10**6)
    per_step = {k: v / steps for k, v in counter.ops.items()}
    return per_step, sum(counter.reads.values()) / steps, dict(counter.reads)

def cpu_kind()->str:
    "The CPU's model name, and whether it has bf16 units (timings differ about 3× between this project's two kinds)"
    info = Path('/proc/cpuinfo').read_text() if Path('/proc/cpuinfo').exists() else ''
    name = next((l.split(':', 1)[1].strip() for l in info.splitlines() if l.startswith('model name')), 'unknown CPU')
    return f"{name}, {'with' if 'avx512_bf16' in info else 'without'} bf16 units, {torch.get_num_threads()} threads"

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--configs', default='dcgan:16:64,dcgan:64:32,biggan:64:32', help="model:px:width, comma-separated")
    p.add_argument('--precision', default='fp32', choices=['fp32', 'bf16'], help="the precision to count in")
    p.add_argument('--time', type=int, default=0, help="also time this many steps per fit (median of 3 fits)")
    a = p.parse_args()
    print(f"cgan_nbdev {cgan_nbdev.__version__} from {Path(cgan_nbdev.__file__).parent}; torch {torch.__version__}")
    print(f"{cpu_kind()}; operations counted in {a.precision}")
    phases = ['G forward', 'D step', 'G step', 'callbacks']
    timed = f"  ms/step ({resolve_precision('auto', 'cpu', 'dcgan')})" if a.time else ''
    print(f"{'model':8} {'px':>3} {'width':>5} {'ops/step':>8} " + ' '.join(f'{ph:>10}' for ph in phases)
          + "  host reads/step" + timed)
    for config in a.configs.split(','):
        model, px, width = config.split(':')
        ops, reads, which = count(model, int(px), int(width), a.precision)
        ms = f"  {step_ms(model, int(px), int(width), a.time):.1f}" if a.time else ''
        cells = ' '.join(f'{ops.get(ph, 0):10.0f}' for ph in phases)
        total = sum(ops.values())
        print(f"{model:8} {px:>3} {width:>5} {total:8.0f} {cells}  {reads:.0f} {which or ''}{ms}", flush=True)

if __name__ == '__main__': main()
