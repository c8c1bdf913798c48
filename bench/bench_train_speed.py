"""Training-speed benchmark: the study note's loop vs the package's `GANLearner`, on the same images.

Prints figures only (no pass/fail):

1. writes scikit-learn's digits as PNG files into a temporary `<tmp>/<Class>/<i>.png` folder, so that the note's
   `ImageFolder` loop and the package's `load_data(folder)` read the very same files;
2. images/s of the note's loop (`bench/note_loop.py`) and of the package's trainer at the note's settings
   (MLP, batch 32, 64×64, CPU), interleaved round by round, plus the package with `GeneratorEMA(0.999)`;
3. this machine's float32 matmul peak and the GFLOP/s the package's MLP training step reaches at batch 512: the FLOPs it
   executes (counted by PyTorch) and the model FLOPs of the note's formulation (by formula);
4. process memory (VmRSS after every epoch, VmHWM) of the main job (`cgan-train` defaults) for 60 epochs, in a
   fresh subprocess so that nothing else in this script inflates it;
5. a summary table.

Run from the repository root:  python bench/bench_train_speed.py [--quick]
"""
import argparse, json, os, platform, statistics, subprocess, sys, tempfile, time
from pathlib import Path

import torch
import torch.nn as nn
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent))   # for note_loop
from note_loop import train_note_loop
from bench_flops import counted_flops, matmul_peak

from cgan_nbdev.data import load_data, load_digits_images, DeviceBatches, DIGIT_CLASSES
from cgan_nbdev.models import make_models
from cgan_nbdev.platform import reuse_freed_memory
from cgan_nbdev.learner import GANLearner, Callback, StopAfter
from cgan_nbdev.callbacks import History, GeneratorEMA


# ---------------------------------------------------------------------------------------------------------
# helpers
def proc_status_kb(field:str)->int:
    "A `kB` field such as VmRSS or VmHWM of /proc/self/status"
    for line in Path('/proc/self/status').read_text().splitlines():
        if line.startswith(field + ':'): return int(line.split()[1])
    return -1

def cpu_name()->str:
    try:
        for line in Path('/proc/cpuinfo').read_text().splitlines():
            if line.startswith('model name'): return line.split(':', 1)[1].strip()
    except OSError: pass
    return platform.processor() or '?'

def loadavg()->str:
    "1-minute load average (other processes on the machine make the figures noisy)"
    try: return Path('/proc/loadavg').read_text().split()[0]
    except OSError: return '?'

def cpu_busy(seconds:float=1.0)->float:
    "Percent of all CPUs busy (from /proc/stat) during `seconds` while this process sleeps: other load on the machine"
    def read():
        vals = list(map(int, Path('/proc/stat').read_text().splitlines()[0].split()[1:]))
        idle = vals[3] + (vals[4] if len(vals) > 4 else 0)
        return sum(vals), idle
    try:
        t0, i0 = read(); time.sleep(seconds); t1, i1 = read()
        return 100 * (1 - (i1 - i0) / max(t1 - t0, 1))
    except (OSError, ValueError, IndexError): return float('nan')

class OtherLoad:
    "Snapshot; `.pct()` = percent of all CPUs used by *other* processes since the snapshot (busy time in /proc/stat minus ours)"
    def __init__(self):
        self.hz, self.ncpu = os.sysconf('SC_CLK_TCK'), os.cpu_count() or 1
        self.wall, self.busy, self.own = time.perf_counter(), self._busy(), self._own()
    @staticmethod
    def _busy():
        try:
            vals = list(map(int, Path('/proc/stat').read_text().splitlines()[0].split()[1:8]))
            return sum(vals) - vals[3] - vals[4]        # all but idle and iowait, in clock ticks
        except (OSError, ValueError, IndexError): return None
    @staticmethod
    def _own():
        t = os.times(); return t.user + t.system + t.children_user + t.children_system
    def pct(self)->float:
        busy = self._busy()
        if busy is None or self.busy is None: return float('nan')
        wall = time.perf_counter() - self.wall
        other = (busy - self.busy) / self.hz - (self._own() - self.own)
        return max(0., 100 * other / (wall * self.ncpu))

def section(title): print(f"\n=== {title} " + '=' * max(0, 96 - len(title)), flush=True)


def run_package(data, steps:int, batch_size:int=32, warmup:int=3, ema:bool=False, seed:int=0):
    "Train the package's MLP on `data` for `steps` steps; returns (images/s, seconds per step) after `warmup`"
    torch.manual_seed(seed)
    batches = DeviceBatches(data, batch_size=batch_size, device='cpu', seed=seed)
    g, d = make_models('mlp', len(data.classes), img_size=data.images.shape[-1])
    timer = StopAfter(steps, warmup)
    cbs = [History(), timer] + ([GeneratorEMA(0.999)] if ema else [])
    learn = GANLearner(g, d, batches, cbs=cbs, classes=data.classes)
    learn.fit(10**9)
    n = steps - warmup
    seconds = timer.seconds
    return n * batches.batch_size / seconds, seconds / n


# ---------------------------------------------------------------------------------------------------------
# FLOP counting
def linear_dims(model:nn.Module):
    "(in, out) of every nn.Linear, in order"
    return [(m.in_features, m.out_features) for m in model.modules() if isinstance(m, nn.Linear)]

def fwd_flops(model:nn.Module)->int:
    "Forward multiply-add FLOPs per sample of the Linear layers: sum of 2·in·out (biases, activations, BN, embeddings ignored)"
    return sum(2 * i * o for i, o in linear_dims(model))

def step_flops_package(g, d, batch:int)->int:
    """FLOPs of one `GANLearner.one_batch` at batch B, counting matrix products of the Linear layers only.

    Fg, Fd = forward FLOPs per sample of G and D (2·in·out summed over their Linear layers).
    A backward pass that computes both the weight gradient and the input gradient of a layer costs 2× its forward;
    one that computes only the input gradient costs 1×.

    - G forward, once, on B samples (the fakes are reused by both steps):                  1·B·Fg
    - D step: D forward on the 2B-sample batch [real; fake.detach()]:                       2B·Fd
              D backward on 2B, weight + input grads in every layer (the first layer's
              input grad is computed too, because its input concatenates the label
              embedding, a trainable parameter):                                            4B·Fd
    - G step: D forward on the B fakes:                                                     1·B·Fd
              D backward to its input only (D is frozen: no weight grads):                  1·B·Fd
              G backward, weight + input grads in every layer (the first layer's input
              holds G's label embedding, trainable):                                        2·B·Fg
    total = 3·B·Fg + 8·B·Fd.  Not counted: Adam, EMA, losses, activations, BatchNorm, embedding look-ups.
    """
    return batch * (3 * fwd_flops(g) + 8 * fwd_flops(d))

def step_flops_note(g, d, batch:int)->int:
    """FLOPs of one step of the note's loop at batch B, same counting as `step_flops_package`.

    - G forward on B:                                                                        1·B·Fg
    - G step: D forward on B fakes, D backward with weight + input grads (D is not frozen):  3·B·Fd
              G backward, weight + input grads:                                              2·B·Fg
    - D step: D forward on B real and on B fakes, separately:                                2·B·Fd
              D backward on both, weight + input grads:                                      4·B·Fd
    total = 3·B·Fg + 9·B·Fd.
    """
    return batch * (3 * fwd_flops(g) + 9 * fwd_flops(d))


def counted_step_flops(data, batch:int)->int:
    "FLOPs the package's training step really executes at `batch`, counted by PyTorch (`FlopCounterMode`) over one step"
    g, d = make_models('mlp', len(data.classes), img_size=data.images.shape[-1])
    learn = GANLearner(g, d, DeviceBatches(data, batch_size=batch, device='cpu', seed=0), classes=data.classes)
    learn.xb, learn.yb = next(iter(learn.batches))
    return counted_flops(learn)



# ---------------------------------------------------------------------------------------------------------
# memory (runs in a child process)
class RSSLog(Callback):
    "VmRSS (kB) after every epoch"
    order = 100
    def before_fit(self): self.rss = []
    def after_epoch(self): self.rss.append(proc_status_kb('VmRSS'))

def memory_child(epochs:int):
    "The main job (`cgan-train` with its defaults: dcgan, digits, 16 px, batch 64) for `epochs` epochs, VmRSS after each"
    from cgan_nbdev.run import train_cgan
    before = proc_status_kb('VmRSS')
    log = RSSLog()
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        train_cgan(epochs=epochs, out=f'{tmp}/run', progress=False, extra_cbs=[log], say=lambda *a, **k: None)
        seconds = time.perf_counter() - t
    print(json.dumps(dict(rss_before_kb=before, rss_kb=log.rss, hwm_kb=proc_status_kb('VmHWM'), seconds=seconds, steps=None)))


def write_digit_pngs(root:Path, size:int=64):
    "scikit-learn's digits as <root>/<ClassName>/<i>.png (RGB); returns the number of files"
    images, labels = load_digits_images(size)
    for c in DIGIT_CLASSES: (root/c).mkdir(parents=True, exist_ok=True)
    for i, (img, lab) in enumerate(zip(images, labels.tolist())):
        Image.fromarray(img.permute(1, 2, 0).numpy()).save(root/DIGIT_CLASSES[lab]/f'{i}.png')
    return len(labels), images, labels


# ---------------------------------------------------------------------------------------------------------
def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--quick', action='store_true', help='few steps: a smoke check in about a minute')
    p.add_argument('--memory-child', type=int, default=None, help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.memory_child is not None: return memory_child(args.memory_child)

    q = args.quick
    rounds, steps, warmup = (1, 40, 3) if q else (3, 150, 5)   # 150 steps ≈ 2.7 epochs of 56 batches
    big_batch, big_steps, big_warmup = 512, (2 if q else 8), (1 if q else 2)
    mm_reps = 3 if q else 10
    mem_epochs = 10 if q else 60
    t_start = time.perf_counter()
    reuse = reuse_freed_memory()   # as `fit_cgan` does; process-wide, so the note's loop below gets it too

    section('machine')
    print(f"CPU: {cpu_name()}, os.cpu_count() = {os.cpu_count()}, torch threads = {torch.get_num_threads()} (left at default)")
    print(f"python {platform.python_version()}, torch {torch.__version__}; mode: {'--quick' if q else 'full'}; "
          f"load average (1 min) at start: {loadavg()}")
    print(f"CPU busy with other work while this benchmark sleeps 1 s: {cpu_busy():.0f}% of {os.cpu_count()} CPUs")
    print(f"reuse_freed_memory() applied for the whole process (both loops): {reuse}")

    with tempfile.TemporaryDirectory(prefix='cgan-bench-') as tmp:
        root = Path(tmp)/'digits'
        section('1. data: digits written as PNG files, read by both loops')
        t = time.perf_counter()
        n_files, src_images, src_labels = write_digit_pngs(root, 64)
        print(f"wrote {n_files} PNG files (64×64 RGB) into {root}/<Class>/<i>.png in {time.perf_counter() - t:.2f}s")
        t = time.perf_counter()
        data = load_data(str(root), img_size=64, show_progress=False)
        print(f"package: load_data(folder, img_size=64) decoded {len(data)} images once in {time.perf_counter() - t:.2f}s; "
              f"classes = {data.classes}")
        # the package orders classes alphabetically (ImageFolder does too); check it read the same pixels
        order = {c: i for i, c in enumerate(data.classes)}
        same = len(data) == n_files and sorted(zip(data.labels.tolist(), data.images.flatten(1).sum(1).tolist())) == \
            sorted(zip([order[DIGIT_CLASSES[l]] for l in src_labels.tolist()], src_images.flatten(1).sum(1).tolist()))
        print(f"package's decoded images match the written ones (per-class pixel sums): {same}")
        n_classes = len(data.classes)

        section(f'2. images/s at the note\'s settings (MLP, batch 32, 64×64, CPU), {rounds} interleaved round(s), '
                f'{steps} steps each, first {warmup} untimed')
        res = dict(note=[], ours=[], ours_ema=[])
        for r in range(rounds):
            for key, name, fn in [('note', 'note loop (ImageFolder, BCELoss, Adam)',
                                   lambda: train_note_loop(root, n_classes, steps, img_size=64, batch_size=32, warmup=warmup)),
                                  ('ours', 'package GANLearner', lambda: run_package(data, steps, 32, warmup)[0]),
                                  ('ours_ema', 'package GANLearner + EMA(0.999)', lambda: run_package(data, steps, 32, warmup, ema=True)[0])]:
                t, load = time.perf_counter(), OtherLoad()
                v = fn(); res[key].append(v)
                print(f"round {r+1}  {name:<38} {v:8.1f} img/s   ({time.perf_counter()-t:5.1f}s; other processes used {load.pct():3.0f}% of the CPUs)", flush=True)
        med = {k: statistics.median(v) for k, v in res.items()}
        # for reference: how fast the note's DataLoader alone delivers batches (PNG decode + transforms, one epoch)
        from torchvision import datasets, transforms
        tf = transforms.Compose([transforms.Resize(64), transforms.CenterCrop(64), transforms.ToTensor(),
                                 transforms.Normalize([0.5] * 3, [0.5] * 3)])
        dl = torch.utils.data.DataLoader(datasets.ImageFolder(str(root), transform=tf), batch_size=32, shuffle=True)
        t = time.perf_counter(); n_dl = sum(len(y) for _, y in dl); load_ips = n_dl / (time.perf_counter() - t)
        print(f"for reference: the note's DataLoader alone (decode + transforms, no training) delivers {load_ips:.0f} img/s, "
              f"i.e. {1e3/load_ips:.2f} ms of every {1e3/med['note']:.2f} ms per image of the note's loop")
        print(f"median: note {med['note']:.1f} img/s, package {med['ours']:.1f} img/s, package+EMA {med['ours_ema']:.1f} img/s")
        print(f"speed-up package / note: {med['ours'] / med['note']:.2f}×  (with EMA: {med['ours_ema'] / med['note']:.2f}×); "
              f"per-round ratios: {', '.join(f'{o/n:.2f}' for o, n in zip(res['ours'], res['note']))}")

        section(f'3. arithmetic: float32 matmul peak and the MLP step at batch {big_batch} (64×64)')
        load = OtherLoad(); peak_best, peak_med = matmul_peak(2048, mm_reps)
        print(f"matmul 2048×2048 @ 2048×2048 float32, {mm_reps} reps, before the step: best {peak_best:.1f} GFLOP/s, "
              f"median {peak_med:.1f} GFLOP/s (other processes: {load.pct():.0f}% of the CPUs)")
        g, d = make_models('mlp', n_classes, img_size=64)
        fg, fd = fwd_flops(g), fwd_flops(d)
        model_flops_512 = step_flops_package(g, d, big_batch)
        flops_pkg_512 = counted_step_flops(data, big_batch)
        print(f"forward FLOPs per sample (Linear layers): G {fg/1e6:.2f} MFLOP {linear_dims(g)}, D {fd/1e6:.2f} MFLOP {linear_dims(d)}")
        print(f"model FLOPs of the note's formulation: package step = 3·B·Fg + 8·B·Fd = {model_flops_512/1e9:.1f} GFLOP at B={big_batch} "
              f"(note's loop would be 3·B·Fg + 9·B·Fd = {step_flops_note(g, d, big_batch)/1e9:.1f} GFLOP)")
        print(f"executed FLOPs of the package step (FlopCounterMode): {flops_pkg_512/1e9:.1f} GFLOP "
              f"(the label half of D's first layer is a per-class table, see 02_models)")
        load = OtherLoad(); ips_512, sec_512 = run_package(data, big_steps + big_warmup, big_batch, big_warmup); load_512 = load.pct()
        load = OtherLoad(); peak2_best, peak2_med = matmul_peak(2048, mm_reps)
        print(f"matmul again, after the step: best {peak2_best:.1f} GFLOP/s, median {peak2_med:.1f} GFLOP/s "
              f"(other processes: {load.pct():.0f}% of the CPUs); peak used below = the better of the two")
        peak_best = max(peak_best, peak2_best)
        gflops_512 = flops_pkg_512 / sec_512 / 1e9
        model_rate_512 = model_flops_512 / sec_512 / 1e9
        print(f"package step at B={big_batch}: {sec_512*1e3:.0f} ms/step ({big_steps} timed), {ips_512:.0f} img/s → executed "
              f"{gflops_512:.1f} GFLOP/s = {100*gflops_512/peak_best:.0f}% of the matmul peak; model-FLOP rate {model_rate_512:.1f} GFLOP/s "
              f"= {100*model_rate_512/peak_best:.0f}% (other processes: {load_512:.0f}% of the CPUs)")
        gf_pkg_32 = med['ours'] * counted_step_flops(data, 32) / 32 / 1e9
        gf_note_32 = med['note'] * step_flops_note(g, d, 1) / 1e9
        print(f"at B=32 (from the medians of section 2): package executes {gf_pkg_32:.1f} GFLOP/s ({100*gf_pkg_32/peak_best:.0f}% of peak), "
              f"note loop {gf_note_32:.1f} GFLOP/s ({100*gf_note_32/peak_best:.0f}% of peak)")

    section(f'4. memory: the main job (cgan-train defaults: dcgan, digits 16 px, batch 64) for {mem_epochs} epochs, fresh process')
    t = time.perf_counter()
    out = subprocess.run([sys.executable, __file__, '--memory-child', str(mem_epochs)], capture_output=True, text=True, check=True)
    mem = json.loads(out.stdout.strip().splitlines()[-1])
    rss = mem['rss_kb']
    mib = lambda kb: kb / 1024
    picks = [e for e in (1, 10, 30, 60) if e <= len(rss)] or [len(rss)]
    print(f"{len(rss)} epochs in {mem['seconds']:.1f}s (child process, {time.perf_counter()-t:.1f}s with start-up)")
    print(f"VmRSS before loading data: {mib(mem['rss_before_kb']):.1f} MiB")
    print('VmRSS after epoch ' + ', '.join(f"{e}: {mib(rss[e-1]):.1f} MiB" for e in picks))
    print('VmRSS every epoch (MiB): ' + ' '.join(f'{mib(v):.1f}' for v in rss))
    growth = (max(rss[2:]) - rss[1]) if len(rss) > 2 else float('nan')
    print(f"max growth after epoch 2 (max over epochs 3..{len(rss)} minus epoch 2): {growth:+.0f} kB = {mib(growth):+.2f} MiB")
    # A leak raises the floor; the allocator's give-back of one large buffer makes single epochs jitter by ~its size.
    if len(rss) >= 6:
        mid = 1 + (len(rss) - 1) // 2
        floor_growth = min(rss[mid:]) - min(rss[1:mid])
        print(f"floor (lowest VmRSS) of epochs 2..{mid}: {mib(min(rss[1:mid])):.1f} MiB, of epochs {mid+1}..{len(rss)}: "
              f"{mib(min(rss[mid:])):.1f} MiB → floor growth {floor_growth:+d} kB; "
              f"range over epochs 2..{len(rss)}: {mib(min(rss[1:])):.1f}–{mib(max(rss[1:])):.1f} MiB")
    else: floor_growth = float('nan')
    print(f"VmHWM (peak RSS of the run): {mib(mem['hwm_kb']):.1f} MiB")

    section('5. summary')
    rows = [
        ('note loop, batch 32, 64 px (median img/s)', f"{med['note']:.1f}"),
        ('package GANLearner, batch 32, 64 px (median img/s)', f"{med['ours']:.1f}"),
        ('package + EMA(0.999), batch 32, 64 px (median img/s)', f"{med['ours_ema']:.1f}"),
        ("note's DataLoader alone, decode only (img/s)", f"{load_ips:.0f}"),
        ('speed-up package / note', f"{med['ours'] / med['note']:.2f}×"),
        ('speed-up package+EMA / note', f"{med['ours_ema'] / med['note']:.2f}×"),
        ('matmul float32 peak, best (GFLOP/s)', f"{peak_best:.1f}"),
        (f'package step B={big_batch}, 64 px, executed (GFLOP/s, % of peak)', f"{gflops_512:.1f} ({100*gflops_512/peak_best:.0f}%)"),
        (f'package step B={big_batch}, 64 px, model FLOPs (GFLOP/s, % of peak)', f"{model_rate_512:.1f} ({100*model_rate_512/peak_best:.0f}%)"),
        (f'package step B={big_batch}, 64 px (img/s)', f"{ips_512:.0f}"),
        ('package at B=32 (GFLOP/s, % of peak)', f"{gf_pkg_32:.1f} ({100*gf_pkg_32/peak_best:.0f}%)"),
        ('note loop at B=32 (GFLOP/s, % of peak)', f"{gf_note_32:.1f} ({100*gf_note_32/peak_best:.0f}%)"),
        (f'main job VmRSS epoch 1 → {len(rss)} (MiB)', f"{mib(rss[0]):.1f} → {mib(rss[-1]):.1f}"),
        ('max VmRSS growth after epoch 2 (MiB)', f"{mib(growth):+.2f}"),
        ('VmRSS floor growth, 2nd vs 1st half after epoch 1 (kB)', f"{floor_growth:+.0f}"),
        ('VmHWM (MiB)', f"{mib(mem['hwm_kb']):.1f}"),
    ]
    w = max(len(r[0]) for r in rows)
    for k, v in rows: print(f"{k:<{w}}  {v:>16}")
    print(f"\nload average (1 min) at the end: {loadavg()} (this benchmark alone keeps it near {torch.get_num_threads()}); "
          f"CPU busy with other work now: {cpu_busy():.0f}%")
    print(f"total benchmark time {time.perf_counter() - t_start:.0f}s")


if __name__ == '__main__':
    main()
