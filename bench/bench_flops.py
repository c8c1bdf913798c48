"""Achieved GFLOP/s of full training steps against this machine's measured matmul peak, fp32 and bf16.

FLOPs are counted by PyTorch itself (`torch.utils.flop_counter.FlopCounterMode` over one whole step: G forward, the D step
forward+backward, the G step forward+backward), so convolutions are counted exactly too. The peak is the best of a
2048³ matmul in the same dtype.

For the MLP two counts are shown: the FLOPs the step executes, and the model FLOPs of the note's formulation (the
discriminator's first layer over the concatenated [image, label embedding]), counted the same way with the plain path.
The package computes the label half of that layer as a per-class table (`02_models`), so it executes fewer FLOPs than
the model has; the model-FLOP rate can therefore pass the peak.

    python bench/bench_flops.py [N_CONFIGS] [--plain-malloc]   # --plain-malloc: skip `reuse_freed_memory()`
"""
import resource, statistics, sys, time, torch
from torch.utils.flop_counter import FlopCounterMode
from cgan_nbdev.data import ImageData, DeviceBatches
from cgan_nbdev.models import make_models
from cgan_nbdev.platform import reuse_freed_memory
from cgan_nbdev.learner import GANLearner

def matmul_peak(n:int=2048, reps:int=10, dtype=torch.float32):
    "GFLOP/s of an n×n @ n×n matmul in `dtype`: (best, median) over `reps` tries after two warm-up products"
    a, b = torch.randn(n, n, dtype=dtype), torch.randn(n, n, dtype=dtype)
    out = torch.empty(n, n, dtype=dtype)
    for _ in range(2): torch.mm(a, b, out=out)
    times = []
    for _ in range(reps):
        t = time.perf_counter(); torch.mm(a, b, out=out); times.append(time.perf_counter() - t)
    flops = 2 * n ** 3
    return flops / min(times) / 1e9, flops / statistics.median(times) / 1e9

def counted_flops(learn)->int:
    "FLOPs of one training step of `learn` on its current batch, counted by PyTorch"
    with FlopCounterMode(display=False) as counter: learn.one_batch()
    return counter.get_total_flops()

def step_rate(model, img_size, batch, precision, steps=8):
    k = 10
    data = ImageData(torch.randint(0, 256, (batch * 4, 3, img_size, img_size), dtype=torch.uint8),
                     torch.arange(batch * 4) % k, [str(i) for i in range(k)])
    g, d = make_models(model, k, img_size=img_size)
    if model != 'mlp': g, d = g.to(memory_format=torch.channels_last), d.to(memory_format=torch.channels_last)
    learn = GANLearner(g, d, DeviceBatches(data, batch_size=batch), precision=precision)
    learn.xb, learn.yb = next(iter(learn.batches))
    flops = model_flops = counted_flops(learn)
    if model == 'mlp':    # the note's formulation: the concatenated input, multiplied in full
        d.fused = False
        model_flops, d.fused = counted_flops(learn), True
    for _ in range(2): learn.one_batch()
    faults, t = resource.getrusage(resource.RUSAGE_SELF).ru_minflt, time.perf_counter()
    for _ in range(steps): learn.one_batch()
    dt = (time.perf_counter() - t) / steps
    return flops, model_flops, dt, (resource.getrusage(resource.RUSAGE_SELF).ru_minflt - faults) / steps

def main():
    args = [a for a in sys.argv[1:] if not a.startswith('--')]
    reuse = False if '--plain-malloc' in sys.argv else reuse_freed_memory()
    print(f"reuse_freed_memory(): {reuse}")
    peaks = {'fp32': matmul_peak(dtype=torch.float32)[0], 'bf16': matmul_peak(dtype=torch.bfloat16)[0]}
    print(f"matmul 2048³ peak: fp32 {peaks['fp32']:.0f} GFLOP/s, bf16 {peaks['bf16']:.0f} GFLOP/s  (torch threads {torch.get_num_threads()})")
    print(f"{'model':6s} {'px':>3s} {'batch':>5s} {'prec':5s} {'GFLOP/step':>10s} {'ms/step':>8s} {'img/s':>7s} {'GFLOP/s':>8s} {'% fp32 peak':>11s} {'% own peak':>10s} "
          f"{'model GFLOP/s':>13s} {'faults/step':>11s}")
    for model, px, batch in [('mlp', 64, 512), ('mlp', 32, 32), ('dcgan', 32, 128), ('dcgan', 64, 128), ('dcgan', 16, 64)][:int(args[0]) if args else None]:
        for prec in ('fp32', 'bf16'):
            flops, model_flops, dt, faults = step_rate(model, px, batch, prec)
            rate = flops / dt / 1e9
            print(f"{model:6s} {px:3d} {batch:5d} {prec:5s} {flops / 1e9:10.2f} {dt * 1e3:8.1f} {batch / dt:7.0f} {rate:8.0f} "
                  f"{100 * rate / peaks['fp32']:10.0f}% {100 * rate / peaks[prec]:9.0f}% {model_flops / dt / 1e9:13.0f} {faults:11.0f}", flush=True)

if __name__ == '__main__': main()
