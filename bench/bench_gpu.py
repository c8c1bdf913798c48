"""GPU training throughput of each model pair at 64 px, and the wall time of a contest-sized job.

What is timed is the package's own training loop: `GANLearner.fit` (with `History` and `GeneratorEMA(0.999)`, the
callbacks every `cgan-train` run has) over `DeviceBatches` of synthetic uint8 images that live on the GPU. A rate is
real images shown to D per second (the batch size times the steps, as `History` counts them), over whole epochs, with
`torch.cuda.synchronize()` before and after each timed window. Per configuration: one warm-up epoch (cuDNN set-up and,
for compiled variants, the compilation: reported as `first epoch`), one calibration epoch, then `--windows` timed windows
of about `--window-s` seconds; the median and the min–max of the windows are printed.

Variants (each a fresh learner, seeded alike):
  fp32           float32, NCHW (contiguous) weights
  bf16           bf16 autocast, NCHW
  bf16+CL        bf16 autocast, channels_last weights: what `fit_cgan` runs on a GPU with the defaults
  bf16+CL+bench  the same with `torch.backends.cudnn.benchmark = True` (conv models only; the package leaves it off)
  bf16+CL+compile  the same as bf16+CL with `torch.compile` of G's forward and D's `logits`, as bench_compile.py does;
                 a failure is caught and its one-line reason printed
  bf16+CL+graph  the same as bf16+CL with the step captured once as a CUDA graph and replayed (`CapturedStep`,
                 `cgan-train --cuda-graph`); CUDA only
  fp32+graph     fp32 (NCHW) with the captured step: at small batches bf16's weight casts cost more launches than
                 they save; with the launches gone, which precision wins is measured here

Every configuration is one `fit`: a callback synchronises and stamps the time at each epoch's end, so the warm-up
(and a capture or compilation) happens once, as in a real run, and the timed windows follow it without a new fit.

The contest-sized job runs in a fresh process: `fit_cgan` with `cgan-train`'s defaults for a folder (dcgan, 64 px,
batch 64, 100 epochs, bf16 where supported, EMA, sample grids, loss log and a checkpoint every epoch into a temporary
run directory) on 4 classes × 300 synthetic images; its wall time includes importing the package and CUDA start-up.

    python bench/bench_gpu.py                  # on a CUDA GPU: about 5 minutes
    python bench/bench_gpu.py --quick          # smoke test (CPU or GPU): 2 images, batch 2, one window, fp32 (+ bf16+CL for dcgan), no compile on CPU
    python bench/bench_gpu.py --out bench/out/gpu.txt   # also write the tables there (and a .json beside it)
"""
import argparse, json, os, statistics, subprocess, sys, tempfile, time
import torch
from cgan_nbdev.data import ImageData, DeviceBatches
from cgan_nbdev.models import make_models, MODEL_DEFAULTS
from cgan_nbdev.run import default_width
from cgan_nbdev.platform import reuse_freed_memory, pick_device
from cgan_nbdev.learner import GANLearner, Callback, CancelFitException
from cgan_nbdev.capture import CapturedStep
from cgan_nbdev.callbacks import History, GeneratorEMA
from cgan_nbdev.train import fit_cgan

PX = 64
WIDTH = {}       # model → width, from --width (default: the package's own at 64 px)
T0 = time.perf_counter()

def sync(device):
    if device.type == 'cuda': torch.cuda.synchronize(device)

class Report:
    "Prints lines and mirrors them into `--out` as they come, so a run cut short still leaves its figures"
    def __init__(self, path):
        self.path, self.lines = path, []
        if path: os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True); open(path, 'w').close()
    def __call__(self, line=''):
        print(line, flush=True); self.lines.append(line)
        if self.path:
            with open(self.path, 'a') as f: f.write(line + '\n')

def synthetic(n_classes, per_class, device, seed=0, px=PX):
    "Random uint8 images (N×3×px×px) and balanced labels, already on `device` (so `DeviceBatches` copies nothing)"
    g = torch.Generator().manual_seed(seed)
    images = torch.randint(0, 256, (n_classes * per_class, 3, px, px), generator=g, dtype=torch.uint8)
    labels = torch.arange(n_classes).repeat_interleave(per_class)
    return ImageData(images.to(device), labels.to(device), [f'class{i}' for i in range(n_classes)], 'synthetic')

def build(model, data, batch, device, precision, channels_last, compiled, graphed=False):
    torch.manual_seed(0)
    g, d = make_models(model, len(data.classes), img_size=PX, width=WIDTH.get(model))
    if channels_last: g, d = g.to(memory_format=torch.channels_last), d.to(memory_format=torch.channels_last)
    defaults = MODEL_DEFAULTS[model]
    learn = GANLearner(g, d, DeviceBatches(data, batch_size=batch, device=device, seed=0), loss=defaults['loss'],
                       betas=defaults['betas'], device=device, classes=data.classes, precision=precision,
                       cbs=[History(), GeneratorEMA(0.999)] + ([CapturedStep()] if graphed else []))
    if compiled:   # as bench/bench_compile.py: G's forward and D's logits (the G step calls disc.logits directly)
        learn.disc.logits = torch.compile(learn.disc.logits)
        learn.gen_forward, learn.disc_logits = torch.compile(learn.gen), learn.disc.logits
    return learn

class EpochClock(Callback):
    ("Synchronised time stamps at the start and at every epoch's end; after the warm-up and calibration epochs, "
     "`windows` windows of whole epochs of about `window_s` seconds each, then the fit stops")
    order = 200
    def __init__(self, windows, window_s): self.windows, self.window_s, self.per_window = windows, window_s, None
    def stamp(self): sync(self.learn.device); self.stamps.append(time.perf_counter())
    def before_fit(self): self.stamps = []; self.stamp()
    def after_epoch(self):
        self.stamp()
        if len(self.stamps) == 3:        # start, warm-up epoch, calibration epoch
            calib = self.stamps[2] - self.stamps[1]
            self.per_window = max(1, round(self.window_s / max(calib, 1e-6))) if self.window_s > 0 else 1
        if self.per_window and len(self.stamps) >= 3 + self.windows * self.per_window: raise CancelFitException()
    def window_seconds(self):
        k, s = self.per_window, self.stamps
        return [s[2 + (w + 1) * k] - s[2 + w * k] for w in range(self.windows)]

VARIANTS = {'fp32': ('fp32', False, False, False, False), 'bf16': ('bf16', False, False, False, False),
            'bf16+CL': ('bf16', True, False, False, False), 'bf16+CL+bench': ('bf16', True, True, False, False),
            'bf16+CL+compile': ('bf16', True, False, True, False), 'bf16+CL+graph': ('bf16', True, False, False, True),
            'fp32+graph': ('fp32', False, False, False, True)}

def measure(model, variant, data, batch, device, args):
    precision, cl, bench, compiled, graphed = VARIANTS[variant]
    old_bench = torch.backends.cudnn.benchmark
    torch.backends.cudnn.benchmark = bench
    if device.type == 'cuda': torch.cuda.reset_peak_memory_stats(device)
    try:
        learn = build(model, data, batch, device, precision, cl, compiled, graphed)
        clock = EpochClock(args.windows, args.window_s)
        learn.add_cb(clock).fit(10**6)                             # the clock ends it
        first, per_window = clock.stamps[1] - clock.stamps[0], clock.per_window   # warm-up: cuDNN, compilation, capture
        images = per_window * len(learn.batches) * learn.batches.batch_size
        rates = [images / s for s in clock.window_seconds()]
        h = learn.history[-1]
        finite = all(map(lambda v: v == v and abs(v) != float('inf'), (h['d_loss'], h['g_loss'])))
        mem = torch.cuda.max_memory_allocated(device) / 2**30 if device.type == 'cuda' else float('nan')
        return dict(model=model, variant=variant, batch=learn.batches.batch_size, median=statistics.median(rates),
                    lo=min(rates), hi=max(rates), rates=rates, first_epoch_s=first, steps_per_epoch=len(learn.batches),
                    epochs_per_window=per_window, ms_per_step=1e3 * learn.batches.batch_size / statistics.median(rates),
                    history_img_per_s=h['img_per_s'], losses_finite=finite, peak_mem_gib=mem)
    except Exception as e:
        msg = f"{type(e).__name__}: {str(e).strip().splitlines()[0] if str(e).strip() else ''}"[:300]
        return dict(model=model, variant=variant, batch=batch, error=msg)
    finally:
        torch.backends.cudnn.benchmark = old_bench
        if compiled: torch._dynamo.reset()

def row(r):
    if 'error' in r: return f"{r['model']:10s} {r['batch']:5d} {r['variant']:16s} FAILED  {r['error']}"
    return (f"{r['model']:10s} {r['batch']:5d} {r['variant']:16s} {r['median']:9,.0f} {r['lo']:9,.0f}–{r['hi']:<9,.0f} "
            f"{r['ms_per_step']:8.2f} {r['first_epoch_s']:8.1f} {r['peak_mem_gib']:7.2f}")

HEADER = (f"{'model':10s} {'batch':>5s} {'variant':16s} {'img/s med':>9s} {'min–max':^19s} {'ms/step':>8s} "
          f"{'1st ep s':>8s} {'mem GiB':>7s}")

def step_flops(model, data, batch, device):
    "FLOPs of one package training step (bf16+CL) per real image, counted by PyTorch"
    from torch.utils.flop_counter import FlopCounterMode
    learn = build(model, data, batch, device, 'fp32' if device.type == 'cpu' else 'bf16', True, False)   # the same count either way
    learn.cbs = []                                            # one bare step: no History/EMA
    learn.xb, learn.yb = next(iter(learn.batches))
    with FlopCounterMode(display=False) as counter: learn.one_batch()
    return counter.get_total_flops() / batch

def profile_steps(model, data, batch, device, report, steps=20):
    "Where a bf16+CL step's time goes: GPU kernel time against wall time, and the host syncs the loop makes"
    from torch.profiler import profile, ProfilerActivity
    learn = build(model, data, batch, device, 'bf16', True, False)
    learn.fit(1)
    it = iter(learn.batches)
    batches = [next(it) for _ in range(min(steps, len(learn.batches)))]
    for learn.xb, learn.yb in batches[:3]: learn.one_batch()
    sync(device)
    with profile(activities=[ProfilerActivity.CPU, ProfilerActivity.CUDA]) as prof:
        t = time.perf_counter()
        for learn.xb, learn.yb in batches:
            learn('before_batch'); learn.one_batch(); learn.step += 1; learn('after_batch')
        sync(device); wall = time.perf_counter() - t
    ev = prof.key_averages()
    dev_attr = 'self_device_time_total' if hasattr(ev[0], 'self_device_time_total') else 'self_cuda_time_total'
    kern = sorted((e for e in ev if e.device_type == torch.autograd.DeviceType.CUDA), key=lambda e: getattr(e, dev_attr), reverse=True)
    gpu_us = sum(getattr(e, dev_attr) for e in kern)
    n = len(batches)
    launches = sum(e.count for e in ev if e.key in ('cudaLaunchKernel', 'cuLaunchKernel', 'cudaLaunchKernelExC', 'cuLaunchKernelEx'))
    syncs = {e.key: e.count for e in ev if any(s in e.key for s in ('Synchronize', 'cudaMemcpy', 'Memcpy ', 'aten::item', 'aten::_local_scalar_dense', 'nonzero'))}
    report(f"profile {model} batch {len(batches[0][1])} bf16+CL, {n} steps: wall under the profiler {1e3 * wall / n:.2f} ms/step, GPU busy "
           f"{gpu_us / 1e3 / n:.2f} ms/step ({100 * gpu_us / 1e6 / wall:.0f}%), {launches / n:.0f} kernel launches/step; "
           f"sync-like calls over {n} steps: {syncs or 'none'}")
    for e in kern[:6]:
        report(f"    {getattr(e, dev_attr) / 1e3 / n:7.3f} ms/step  {e.count // n:3d}×  {e.key[:90]}")

def contest_child(quick):
    "The contest-sized job, run in a fresh process by `--contest-child`: prints one JSON line"
    t_start = time.perf_counter()
    reuse_freed_memory()
    device = pick_device('auto')
    per_class, epochs = (1, 2) if quick else (300, 100)
    data = synthetic(4, per_class, 'cpu')              # as `load_data` gives it: uint8 on the CPU
    from cgan_nbdev import train as T
    spent = {}
    def timed(cls, name):      # bench-side wrapper: seconds spent in a callback method (the package is unchanged)
        f = getattr(cls, name)
        def wrapper(self, *a, **k):
            t = time.perf_counter()
            try: return f(self, *a, **k)
            finally: spent[f'{cls.__name__}.{name}'] = spent.get(f'{cls.__name__}.{name}', 0) + time.perf_counter() - t
        setattr(cls, name, wrapper)
    for cls, name in ((T.History, 'after_epoch'), (T.Checkpoint, 'after_epoch'), (T.SampleGrid, 'after_epoch'),
                      (T.SampleGrid, 'after_fit'), (T.LossLog, 'after_epoch'), (T.LossLog, 'after_fit')): timed(cls, name)
    with tempfile.TemporaryDirectory() as run_dir:
        t = time.perf_counter()
        batches = DeviceBatches(data, batch_size=MODEL_DEFAULTS['dcgan']['batch_size'], device=device, seed=0)
        learn = fit_cgan(batches, model='dcgan', epochs=epochs, device=device, run_dir=run_dir, progress=False)
        sync(device)
        train_s = time.perf_counter() - t
        n_samples = len(os.listdir(os.path.join(run_dir, 'samples')))
    h = learn.history
    print(json.dumps(dict(device=str(device), precision=learn.precision, images=len(data), batch=batches.batch_size,
                          steps_per_epoch=len(batches), epochs=len(h), train_s=train_s,
                          after_imports_s=time.perf_counter() - T0, setup_s=t - t_start,
                          epoch_s_sum=sum(r['seconds'] for r in h), first_epoch_s=h[0]['seconds'],
                          median_epoch_img_per_s=statistics.median(r['img_per_s'] for r in h),
                          sample_grids=n_samples, callback_s={k: round(v, 2) for k, v in spent.items()}, final_d_loss=h[-1]['d_loss'], final_g_loss=h[-1]['g_loss'])))

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--quick', action='store_true', help='smoke test: tiny data, one short window, fewer variants')
    p.add_argument('--device', default='auto')
    p.add_argument('--out', default=None, help='also write the report here (and JSON next to it)')
    p.add_argument('--models', default='dcgan,dcgan-proj,mlp')
    p.add_argument('--width', type=int, default=None, help="the conv pairs' width (default: cgan-train's at 64 px)")
    p.add_argument('--variants', default=None, help='only these variants, comma-separated (default: all that apply)')
    p.add_argument('--large', type=int, default=None, help='the large batch size (default 1024; 2 with --quick, which runs only this one)')
    p.add_argument('--windows', type=int, default=None, help='timed windows per configuration (default 3; 1 with --quick)')
    p.add_argument('--window-s', type=float, default=None, help='seconds per timed window (default 1.0; 0 with --quick)')
    p.add_argument('--budget', type=float, default=None, help='seconds; configurations left when it is spent are skipped (default 300; 120 with --quick)')
    p.add_argument('--compile-reserve', type=float, default=None, help='start a compiled variant only with this many seconds of the budget left (default 75; 0 with --quick)')
    p.add_argument('--compile', default='auto', choices=['auto', 'yes', 'no'], help='auto: not on the CPU with --quick')
    p.add_argument('--no-contest', action='store_true')
    p.add_argument('--contest-child', action='store_true', help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.contest_child: return contest_child(args.quick)
    reuse_freed_memory()
    WIDTH.update({m: args.width or default_width(m, PX) for m in args.models.split(',')})
    device = pick_device(args.device)
    args.large = args.large or (2 if args.quick else 1024)
    args.windows = args.windows or (1 if args.quick else 3)
    args.window_s = args.window_s if args.window_s is not None else (0.0 if args.quick else 1.0)
    args.budget = args.budget or (120 if args.quick else 300)
    args.compile_reserve = args.compile_reserve if args.compile_reserve is not None else (0 if args.quick else 75)
    do_compile = args.compile == 'yes' or (args.compile == 'auto' and not (args.quick and device.type == 'cpu'))
    report = Report(args.out)
    name = torch.cuda.get_device_name(device) if device.type == 'cuda' else f'CPU ({torch.get_num_threads()} threads)'
    report(f"card: {name}; torch {torch.__version__}"
           + (f", CUDA {torch.version.cuda}, cuDNN {torch.backends.cudnn.version()}" if device.type == 'cuda' else '')
           + f"; bf16 autocast; TF32 convs {torch.backends.cudnn.allow_tf32}, TF32 matmul {torch.backends.cuda.matmul.allow_tf32}")
    report(f"date {time.strftime('%Y-%m-%d %H:%M:%S %Z')}; command: {' '.join([os.path.basename(sys.executable)] + sys.argv)}")
    n_classes, per_class = (2, 1) if args.quick else (10, 1024)
    data = synthetic(n_classes, per_class, device)
    report(f"widths: {WIDTH} (None: the note's fixed widths)")
    report(f"data: synthetic uint8, {len(data)} images of {n_classes} classes at {PX} px, on {device}; windows: {args.windows} × ~{args.window_s:g} s "
           f"of whole epochs after {1 + (args.window_s > 0)} untimed epoch(s); callbacks History + EMA(0.999)")
    models = args.models.split(',')
    results, skipped = [], []
    report(); report(HEADER)
    plan = []   # the target first (dcgan) and the contest job right after it; compile variants last (slow to build, may fail)
    for model in models:
        for batch in dict.fromkeys((args.large,) + (() if args.quick else (MODEL_DEFAULTS[model]['batch_size'],))):
            variants = ('fp32', 'bf16', 'bf16+CL') + (('bf16+CL+bench',) if model != 'mlp' and device.type == 'cuda' else ())
            if device.type == 'cuda': variants += ('bf16+CL+graph', 'fp32+graph')
            if args.quick: variants = ('fp32', 'bf16+CL') if model == models[0] else ('fp32',)   # smoke test: each code path once
            plan += [(model, batch, v) for v in variants if args.variants is None or v in args.variants.split(',')]
    contest, contest_at = None, len([x for x in plan if x[0] == models[0]])
    def run_plan(plan, reserve=0):
        for model, batch, v in plan:
            if time.perf_counter() - T0 > args.budget - reserve: skipped.append(f"{model} {batch} {v}"); continue
            r = measure(model, v, data, batch, device, args)
            results.append(r); report(row(r))
    run_plan(plan[:contest_at])
    if not args.no_contest: contest = run_contest(args, report)
    run_plan(plan[contest_at:])
    if device.type == 'cuda':
        report()
        for model, batch in (('dcgan', MODEL_DEFAULTS['dcgan']['batch_size']), ('dcgan', args.large)):
            try: profile_steps(model, data, batch, device, report)
            except Exception as e: report(f"profile {model} {batch} failed: {type(e).__name__}: {str(e).splitlines()[0][:200]}")
    report()
    for model in models:
        try:
            fl = step_flops(model, data, args.large, device)
            best = max((r['median'] for r in results if r['model'] == model and 'median' in r), default=None)
            report(f"{model}: {fl / 1e9:.2f} GFLOP per real image per step (PyTorch FLOP counter, one step)"
                   + (f" → best eager {best:,.0f} img/s = {fl * best / 1e12:.1f} TFLOP/s" if best else ''))
        except Exception as e: report(f"{model}: FLOP count failed: {type(e).__name__}: {str(e).splitlines()[0][:200]}")
    if do_compile:   # started only with `compile_reserve` seconds of the budget left: a compilation can take a minute
        report(); report(HEADER)
        run_plan([(m, args.large, 'bf16+CL+compile') for m in models] + [(m, MODEL_DEFAULTS[m]['batch_size'], 'bf16+CL+compile') for m in models if MODEL_DEFAULTS[m]['batch_size'] != args.large],
                 reserve=args.compile_reserve)
    if skipped: report(f"skipped (budget {args.budget:.0f} s): {', '.join(skipped)}")
    report()
    report("summary (median img/s; 'x' = failed, '-' = not run)")
    cols = list(VARIANTS)
    report(f"{'model':10s} {'batch':>5s} " + ' '.join(f"{c:>15s}" for c in cols))
    for model in models:
        for batch in sorted({r['batch'] for r in results if r['model'] == model}, reverse=True):
            cells = []
            for c in cols:
                r = next((r for r in results if r['model'] == model and r['batch'] == batch and r['variant'] == c), None)
                cells.append('-' if r is None else 'x' if 'error' in r else f"{r['median']:,.0f}")
            report(f"{model:10s} {batch:5d} " + ' '.join(f"{c:>15s}" for c in cells))
    for r in results:
        if 'error' in r: report(f"failed: {r['model']} {r['batch']} {r['variant']}: {r['error']}")
    if contest: report(f"contest-sized job: {contest.get('summary', contest)}")
    if contest and contest.get('callback_s'): report(f"contest job, seconds in per-epoch callbacks: {contest['callback_s']}")
    report(f"total benchmark time {time.perf_counter() - T0:.0f} s")
    if args.out:
        with open(os.path.splitext(args.out)[0] + '.json', 'w') as f:
            json.dump(dict(card=name, torch=torch.__version__, results=results, contest=contest, skipped=skipped), f, indent=1)

def run_contest(args, report):
    cmd = [sys.executable, os.path.abspath(__file__), '--contest-child'] + (['--quick'] if args.quick else [])
    t = time.perf_counter()
    out = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t
    if out.returncode:
        tail = (out.stderr.strip().splitlines() or ['?'])[-1]
        c = dict(error=tail, wall_s=wall, summary=f"FAILED after {wall:.1f} s: {tail}")
    else:
        c = json.loads(out.stdout.strip().splitlines()[-1]); c['wall_s'] = wall
        c['summary'] = (f"dcgan 64 px, {c['images']} images (4 classes), batch {c['batch']}, {c['epochs']} epochs × {c['steps_per_epoch']} steps, "
                        f"{c['precision']}, run dir with samples/checkpoints: fit_cgan {c['train_s']:.1f} s "
                        f"(epochs {c['epoch_s_sum']:.1f} s, first epoch {c['first_epoch_s']:.2f} s, median {c['median_epoch_img_per_s']:,.0f} img/s); "
                        f"whole process {wall:.1f} s wall")
    report(f"--- contest-sized job: {c['summary']}")
    return c

if __name__ == '__main__': main()
