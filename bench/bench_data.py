"""Data path benchmark: first-pass decode rate, cached start-up, and the share of a training step spent waiting for data.

    python bench/bench_data.py            # 10,000 generated JPEGs (256×192) + the built-in digits
    python bench/bench_data.py --n 2000   # quicker

Prints figures; asserts nothing. Everything is written under a temporary folder that is removed at the end.
"""
import argparse, os, shutil, tempfile, time
from pathlib import Path
import numpy as np
import torch
from PIL import Image
from cgan_nbdev.data import load_data, DeviceBatches
from cgan_nbdev.models import make_models
from cgan_nbdev.learner import GANLearner, StopAfter
from cgan_nbdev.callbacks import History

def rss_mib():
    for line in open('/proc/self/status'):
        if line.startswith('VmRSS'): return int(line.split()[1]) / 1024

def make_jpegs(root: Path, n: int, classes=('Egg', 'Rice', 'Bread', 'Noodle'), size=(256, 192)):
    rng = np.random.default_rng(0)
    base = rng.integers(0, 255, (size[1] // 8, size[0] // 8, 3), dtype=np.uint8)
    for c in classes: (root/c).mkdir(parents=True, exist_ok=True)
    for i in range(n):
        small = np.roll(base, i % 17, axis=0) ^ np.uint8(i % 251)
        Image.fromarray(small).resize(size, Image.BILINEAR).save(root/classes[i % len(classes)]/f'{i:05d}.jpg', quality=85)

def data_wait_share(data, model='mlp', batch_size=32, steps=150):
    "Time to produce batches alone vs full training steps, on the same batches"
    batches = DeviceBatches(data, batch_size=batch_size)
    t = time.perf_counter()
    n = 0
    while n < steps:
        for _ in batches:
            n += 1
            if n >= steps: break
    data_s = time.perf_counter() - t
    g, d = make_models(model, len(data.classes), img_size=data.images.shape[-1])
    learn = GANLearner(g, d, batches, cbs=[History(), StopAfter(10)], classes=data.classes)
    learn.fit(10 ** 6)                                  # warm-up
    learn.cbs[-1].steps = 10 + steps
    t = time.perf_counter(); learn.fit(10 ** 6); step_s = time.perf_counter() - t
    return data_s / steps * 1e3, step_s / steps * 1e3

def main():
    p = argparse.ArgumentParser()
    p.add_argument('--n', type=int, default=10_000)
    p.add_argument('--img-size', type=int, default=64)
    args = p.parse_args()
    tmp = Path(tempfile.mkdtemp())
    try:
        t = time.perf_counter(); make_jpegs(tmp/'photos', args.n)
        print(f"generated {args.n} JPEGs (256×192) in {time.perf_counter() - t:.1f} s")
        cache = tmp/'cache'
        rss0 = rss_mib()
        t = time.perf_counter()
        first = load_data(str(tmp/'photos'), img_size=args.img_size, cache_dir=cache, show_progress=False)
        first_s = time.perf_counter() - t
        print(f"first pass: decoded {len(first)} images in {first_s:.1f} s = {len(first) / first_s:,.0f} img/s "
              f"({os.cpu_count()} cores, DataLoader workers)")
        del first
        t = time.perf_counter()
        cached = load_data(str(tmp/'photos'), img_size=args.img_size, cache_dir=cache, show_progress=False)
        cached_s = time.perf_counter() - t
        size_mib = cached.images.numel() / 2**20
        print(f"cached start-up: {cached_s:.3f} s for {len(cached)} images ({size_mib:.0f} MiB of uint8, memory-mapped); "
              f"RSS grew {rss_mib() - rss0:+.0f} MiB since before the first pass")
        t = time.perf_counter(); _ = cached.images[torch.randperm(len(cached))[:512]].float().mean(); touch = time.perf_counter() - t
        print(f"a random batch of 512 from the memory-mapped cache: {touch * 1e3:.1f} ms")
        for name, data, model in [('photos', cached, 'mlp'), ('digits', load_data('digits', img_size=32, show_progress=False), 'mlp'),
                                  ('digits', load_data('digits', img_size=32, show_progress=False), 'dcgan')]:
            data_ms, step_ms = data_wait_share(data, model=model)
            print(f"{name:7s} {model:6s} {data.images.shape[-1]}px batch 32: batch production {data_ms:.3f} ms, training step {step_ms:.2f} ms "
                  f"-> data wait {100 * data_ms / step_ms:.2f}% of a step")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

if __name__ == '__main__': main()
