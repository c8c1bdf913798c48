"""Many short training runs side by side, for choosing defaults: each line of a plan is one run of `train_cgan` with
the package's defaults except what the line names, then `Run.evaluate` on the held-out `valid` split.

    python bench/sweep_emoji.py bench/plans/emoji_32.txt --workers 6 --device cuda   # a GPU: runs in parallel
    python bench/sweep_emoji.py bench/plans/emoji_32.txt --workers 1 --only 0,3       # a CPU: lines 0 and 3
    python bench/sweep_emoji.py bench/plans/cpu_cost.txt --no-eval                   # seconds per kimg on this machine
    python bench/sweep_emoji.py bench/out/sweep_runs.jsonl --summarise                # a markdown table, mean ± spread over seeds

A plan line is `name: key=value ...`. Keys are `TrainSettings` fields (`kimg=256`, `img_size=64`, `model=mlp`, `seed=1`…)
or one of the knobs below that are not settings yet (prototypes: what wins here moves into the notebooks):

- `base=N`      the `width` setting (its name in the plans, which predate the setting)
- `ema=D`       the generator average's decay per step (default 0.999)
- `g_lr=R`      the generator's learning rate as a multiple of D's (two time-scale update rule; default 1)
- `g_up=1`      G upsamples by nearest neighbour + 3×3 conv instead of transposed 4×4 convs
- `d_base=N`    width of D alone (default: the width)
- `mbstd=1`     D sees the standard deviation of its features over groups of 4 images (StyleGAN's minibatch std)
- `d_extra=1`   D has a 3×3 conv after every strided one (as SNGAN's "standard CNN")
- `ms=L`        mode-seeking regularisation (Mao et al. 2019, MSGAN) of weight L: G also minimises
                L / (mean |G(z1,y)-G(z2,y)| / mean |z1-z2|), over pairs of fakes of one class in the batch
- `cbn=1`       conditional batch norm in G (SNGAN/BigGAN): every BN layer of G normalises without its own scale and shift
                and takes them per class from two embeddings (scale starting at 1, shift at 0); the label still enters the stem
- `g_base=N`    width of G alone (default: the width)
- `balance=1`   class-balanced batches: each epoch draws its images with replacement, each class equally often
- `r1=G`        R1 penalty (Mescheder et al. 2018): D also minimises G/2 · |∇ D(real)|², computed every 4th step in its
                own pass through D and weighted ×4 there (StyleGAN2's lazy regularisation)
- `lr_decay=F`  both learning rates fall linearly to 0 over the last fraction F of the steps (F=1: SNGAN's schedule)
- `res_g=1`     G built from residual up-blocks (SNGAN/BigGAN): BN, ReLU, nearest ×2, 3×3 conv, BN, ReLU, 3×3 conv, plus a
                1×1-conv shortcut of the upsampled input; channels halve at each block as in the default, then BN, ReLU, 3×3 conv, Tanh
- `res_d=1`     D built from residual down-blocks (SNGAN's D, the label still as one-hot input planes): 3×3 conv, ReLU, 3×3 conv,
                average pool ×2, plus an average-pooled 1×1-conv shortcut; channels double at each block, then ReLU, sum pooling, linear
- `lecam=L`     LeCam regularisation (Tseng et al. 2021, for GANs on little data) of weight L: D also minimises
                L · (mean relu(D(real) - ā_fake)² + mean relu(ā_real - D(fake))²), ā the averages (decay 0.99) of D's
                logits on real and fake batches; the authors' BigGAN-on-CIFAR setting is L=0.3
- `bcr=L`       balanced consistency regularisation (Zhao et al. 2021, bCR) of weight L: D also minimises
                L · (mean (D(T(real)) - D(real))² + mean (D(T(fake)) - D(fake))²), T a random shift of up to 1/8 of the side
                (zero fill), in one more pass through D; the authors' BigGAN-on-CIFAR setting is L=10 (with flips too, left
                out here because a mirrored flag or letter is a wrong picture)
- `ms_pairs=all` the first form tried: the mean over all same-class pairs of the per-pair ratio (cdist; slower on a GPU)

Rows go to stdout and `--jsonl`, the last sample grid of each run to `--grids` (one PNG per run).
Several workers share one GPU well at batch 64, where a step is bound by the host, not the card.
"""
import argparse, json, os, shutil, subprocess, sys, tempfile, time
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
ROOT = Path(__file__).parent
sys.path.insert(0, str(ROOT))

KNOBS = ('base', 'd_base', 'g_base', 'ema', 'g_lr', 'g_up', 'd_extra', 'mbstd', 'ms', 'ms_pairs', 'cbn', 'balance', 'r1', 'lr_decay', 'res_g', 'res_d', 'lecam', 'bcr')
MODEL_KNOBS = ('d_base', 'g_base', 'g_up', 'd_extra', 'mbstd', 'cbn', 'res_g', 'res_d')   # the knobs that change the pair: `register_variant`

def parse_value(v:str):
    for cast in (int, float):
        try: return cast(v)
        except ValueError: pass
    return {'true': True, 'false': False}.get(v.lower(), v)

def parse_plan(path)->list:
    "[(name, {key: value})] from `name: k=v k=v` lines; '#' starts a comment"
    runs = []
    for line in Path(path).read_text().splitlines():
        line = line.split('#', 1)[0].strip()
        if not line: continue
        name, _, rest = line.partition(':')
        runs.append((name.strip(), {k: parse_value(v) for k, v in (kv.split('=', 1) for kv in rest.split())}))
    return runs

def MinibatchStd(group:int=4):
    "One more channel: the features' standard deviation over contiguous groups of `group` images ([real; fake] halves stay apart)"
    import torch, torch.nn as nn
    class _MinibatchStd(nn.Module):
        def forward(self, x):
            n, c, h, w = x.shape
            g = group if n % group == 0 else 1
            sd = x.float().view(n // g, g, c, h, w).std(1, unbiased=False).mean((1, 2, 3)) if g > 1 else x.new_zeros(n)
            return torch.cat([x, sd.to(x.dtype).repeat_interleave(g)[:, None, None, None].expand(n, 1, h, w)], 1)
    return _MinibatchStd()

def mode_seeking(weight:float, all_pairs:bool=False):
    "A callback: G's loss gains MSGAN's term of weight `weight`, from the fakes before augmentation (`learn.fake`) and their noise"
    import torch
    from cgan_nbdev.learner import Callback
    class ModeSeeking(Callback):
        def after_g_loss(self):
            l = self.learn
            y, f, z = l.yb, l.fake.float(), l.z
            if all_pairs:
                f = f.flatten(1)
                pairs = (y[:, None] == y[None]) & ~torch.eye(len(y), dtype=torch.bool, device=y.device)
                ratio = ((torch.cdist(f, f, p=1) / f.shape[1])[pairs] / (torch.cdist(z, z, p=1) / z.shape[1])[pairs]).mean()
            else:
                # each fake is paired with the next one of its class (by a stable sort of the labels): MSGAN's two draws per label;
                # pairs across classes are masked out, not indexed away, so that the step needs no host sync
                order = torch.argsort(y, stable=True)
                i, j = order, order.roll(-1)
                same = (y[i] == y[j]).float()
                ratio = ((f[i] - f[j]).abs().flatten(1).mean(1) * same).sum() / ((z[i] - z[j]).abs().mean(1) * same).sum().clamp_min(1e-8)
            l.g_loss = l.g_loss + weight / (ratio + 1e-5)
    return ModeSeeking()

def balance_classes():
    "Patch `DeviceBatches` (this run's process only) so each epoch's order draws every class equally often, with replacement"
    import torch
    from cgan_nbdev.data import DeviceBatches
    from cgan_nbdev.data import normalize
    def __iter__(self):   # `DeviceBatches.__iter__` with a class-balanced draw for the permutation (no flips, one process)
        counts = torch.bincount(self.labels.cpu(), minlength=self.n_classes).float()
        order = torch.multinomial((1 / counts)[self.labels.cpu()], len(self.labels), replacement=True, generator=self.generator).to(self.device)
        for b in range(len(self)):
            idx = order[b * self.batch_size:(b + 1) * self.batch_size]
            yield normalize(self.images[idx]), self.labels[idx]
    DeviceBatches.__iter__ = __iter__

def r1_penalty(gamma:float, every:int=4):
    "A callback: every `every`-th step D's loss gains every·gamma/2·|∇ₓ D(real)|², at the batch's real images through D's augmentation"
    import torch
    from cgan_nbdev.learner import Callback
    class R1(Callback):
        def after_d_loss(self):
            l = self.learn
            if (l.step + 1) % every: return                       # the every-th, 2·every-th, … step, counted from 1
            real = l.augment(l.xb).detach().requires_grad_(True)   # StyleGAN2's lazy R1: its own pass through D (a fresh augmentation draw)
            with l.autocast(): logits = l.disc_logits(real, l.yb).float()
            g, = torch.autograd.grad(logits.sum(), real, create_graph=True)
            l.d_loss = l.d_loss + every * gamma / 2 * g.float().pow(2).flatten(1).sum(1).mean()
    return R1()

def lecam(weight:float, decay:float=0.99):
    "A callback: D's loss gains LeCam's term of weight `weight`, from D's logits on the batch (`learn.real_logits`, `learn.fake_logits`)"
    import torch.nn.functional as F
    from cgan_nbdev.learner import Callback
    class LeCam(Callback):
        def before_fit(self): self.avg_real = self.avg_fake = None
        def after_d_loss(self):
            l = self.learn
            real, fake = l.real_logits.detach().mean(), l.fake_logits.detach().mean()
            if self.avg_real is None: self.avg_real, self.avg_fake = real, fake   # started at the first batch's means, not at 0
            else: self.avg_real, self.avg_fake = self.avg_real.lerp(real, 1 - decay), self.avg_fake.lerp(fake, 1 - decay)
            l.d_loss = l.d_loss + weight * (F.relu(l.real_logits - self.avg_fake).pow(2).mean() + F.relu(self.avg_real - l.fake_logits).pow(2).mean())
    return LeCam()

def balanced_consistency(weight:float):
    "A callback: D's loss gains bCR's term of weight `weight`: D's logits on shifted copies of the batch's real and fake images pulled to its logits on them"
    import torch
    from cgan_nbdev.augment import DiffAugment
    from cgan_nbdev.learner import Callback
    shift = DiffAugment(policy=('translation',))
    class BalancedConsistency(Callback):
        def after_d_loss(self):
            l = self.learn
            seen = shift(l.augment(torch.cat([l.xb, l.fake.detach()])))   # T after D's own augmentation (none by default)
            with l.autocast(): real, fake = l.disc_logits(seen, torch.cat([l.yb, l.yb])).float().chunk(2)
            l.d_loss = l.d_loss + weight * ((real - l.real_logits).pow(2).mean() + (fake - l.fake_logits).pow(2).mean())
    return BalancedConsistency()

def conditional_bn_generator():
    "`ConvGenerator` whose BatchNorms are class-conditional: its forward sets the labels on them first (a class, so that EMA's deepcopy copies it whole)"
    import torch.nn as nn
    from cgan_nbdev.models import ConvGenerator
    class ConditionalBN(nn.Module):
        def __init__(self, bn, n_classes):
            super().__init__()
            self.bn = type(bn)(bn.num_features, affine=False)
            self.scale, self.shift = nn.Embedding(n_classes, bn.num_features), nn.Embedding(n_classes, bn.num_features)
            nn.init.ones_(self.scale.weight); nn.init.zeros_(self.shift.weight)
            self.labels = None
        def forward(self, x):
            view = (len(x), -1) + (1,) * (x.dim() - 2)
            return self.bn(x) * self.scale(self.labels).view(view) + self.shift(self.labels).view(view)
    class ConditionalBNGenerator(ConvGenerator):
        def __init__(self, n_classes, *a, **k):
            super().__init__(n_classes, *a, **k)
            for seq in (self.stem, self.blocks):
                for i, m in enumerate(seq):
                    if isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)): seq[i] = ConditionalBN(m, n_classes)
        def forward(self, z, labels):
            for m in self.modules():
                if isinstance(m, ConditionalBN): m.labels = labels
            return super().forward(z, labels)
    return ConditionalBNGenerator

def residual_pair():
    "(ResidualGenerator, ResidualDiscriminator): SNGAN-style residual blocks, sized like the package's conv pair by `base`"
    import torch, torch.nn as nn, torch.nn.functional as F
    from cgan_nbdev.models import _check_size, _sn
    class UpBlock(nn.Module):
        def __init__(self, ci, co):
            super().__init__()
            self.bn1, self.conv1, self.bn2, self.conv2 = nn.BatchNorm2d(ci), nn.Conv2d(ci, co, 3, 1, 1), nn.BatchNorm2d(co), nn.Conv2d(co, co, 3, 1, 1)
            self.skip = nn.Conv2d(ci, co, 1)
        def forward(self, x):
            h = self.conv1(F.interpolate(F.relu(self.bn1(x)), scale_factor=2))
            return self.conv2(F.relu(self.bn2(h))) + self.skip(F.interpolate(x, scale_factor=2))
    class ResidualGenerator(nn.Module):
        def __init__(self, n_classes, latent_dim=100, img_size=32, channels=3, base=64, emb_dim=32):
            super().__init__()
            n_up = _check_size(img_size)
            self.n_classes, self.latent_dim, self.img_size, self.channels = n_classes, latent_dim, img_size, channels
            ch = base * 2 ** (n_up - 1)
            self.label_emb = nn.Embedding(n_classes, emb_dim)
            self.stem = nn.Linear(latent_dim + emb_dim, 4 * 4 * ch)
            self.blocks = nn.Sequential(*[UpBlock(ch // 2 ** i, ch // 2 ** (i + 1)) for i in range(n_up)])
            self.out = nn.Sequential(nn.BatchNorm2d(ch // 2 ** n_up), nn.ReLU(True), nn.Conv2d(ch // 2 ** n_up, channels, 3, 1, 1), nn.Tanh())
        def forward(self, z, labels):
            h = self.stem(torch.cat([z, self.label_emb(labels)], dim=1)).view(len(z), -1, 4, 4)
            return self.out(self.blocks(h))
    class DownBlock(nn.Module):
        def __init__(self, ci, co, first=False):
            super().__init__()
            self.first = first         # SNGAN's optimised first block: no ReLU before its first conv, the shortcut pools first
            self.conv1, self.conv2, self.skip = _sn(nn.Conv2d(ci, co, 3, 1, 1), True), _sn(nn.Conv2d(co, co, 3, 1, 1), True), _sn(nn.Conv2d(ci, co, 1), True)
        def forward(self, x):
            h = self.conv1(x if self.first else F.relu(x))
            h = F.avg_pool2d(self.conv2(F.relu(h)), 2)
            return h + (self.skip(F.avg_pool2d(x, 2)) if self.first else F.avg_pool2d(self.skip(x), 2))
    class ResidualDiscriminator(nn.Module):
        def __init__(self, n_classes, img_size=32, channels=3, base=64, conditioning='planes', spectral_norm=True):
            super().__init__()
            assert conditioning == 'planes'
            n_down = _check_size(img_size)
            self.n_classes, self.img_size, self.channels, self.conditioning = n_classes, img_size, channels, conditioning
            chs = [base * 2 ** i for i in range(n_down)]
            self.features = nn.Sequential(DownBlock(channels + n_classes, chs[0], first=True), *[DownBlock(a, b) for a, b in zip(chs, chs[1:])], nn.ReLU(True))
            self.head = _sn(nn.Linear(chs[-1], 1), True)
        def logits(self, images, labels):
            planes = F.one_hot(labels, self.n_classes).to(images.dtype)[:, :, None, None].expand(-1, -1, *images.shape[2:])
            return self.head(self.features(torch.cat([images, planes], dim=1)).sum(dim=(2, 3))).squeeze(1)
        def forward(self, images, labels): return self.logits(images, labels)
    return ResidualGenerator, ResidualDiscriminator

def register_variant(spec:dict)->str:
    "Register a conv pair with the prototype knobs in `spec` under a new model name; returns the name"
    import torch.nn as nn
    from cgan_nbdev import models
    from cgan_nbdev.models import ConvGenerator, ConvDiscriminator, MODELS, MODEL_DEFAULTS
    base_name = spec.get('model', 'dcgan')
    gen_cls, disc_cls, disc_kw = MODELS[base_name]
    residual_gen, residual_disc = residual_pair() if spec.get('res_g') or spec.get('res_d') else (None, None)
    def make_gen(*a, **k):     # `make_models` passes the `width` setting as `base`
        gen = residual_gen if spec.get('res_g') else conditional_bn_generator() if spec.get('cbn') else ConvGenerator
        g = gen(*a, **{**k, **({'base': spec['g_base']} if 'g_base' in spec else {})})
        if spec.get('g_up'):      # swap every ConvTranspose2d(ci, co, 4, 2, 1) for Upsample ×2 + Conv2d(ci, co, 3, 1, 1)
            layers = [nn.Sequential(nn.Upsample(scale_factor=2), nn.Conv2d(m.in_channels, m.out_channels, 3, 1, 1, bias=m.bias is not None))
                      if isinstance(m, nn.ConvTranspose2d) else m for m in g.blocks]
            g.blocks = nn.Sequential(*layers)
        return g
    def make_disc(*a, **k):
        d = (residual_disc if spec.get('res_d') else ConvDiscriminator)(*a, **{**disc_kw, **k, **({'base': spec['d_base']} if 'd_base' in spec else {})})
        if spec.get('d_extra'):   # after every strided conv's activation, a 3×3 conv (same channels) + LeakyReLU
            layers, ch = [], None
            for m in d.features:
                layers.append(m)
                if isinstance(m, nn.Conv2d): ch = m.out_channels
                elif ch is not None:
                    layers += [models._sn(nn.Conv2d(ch, ch, 3, 1, 1), True), nn.LeakyReLU(0.2, True)]
            d.features = nn.Sequential(*layers)
        if spec.get('mbstd'):
            assert d.conditioning == 'planes'
            ch = d.head.in_features // 16
            d.features = nn.Sequential(*d.features, MinibatchStd())
            d.head = models._sn(nn.Linear((ch + 1) * 16, 1), True)
        return d
    name = f"{base_name}-variant"
    MODELS[name] = (make_gen, make_disc, {})
    MODEL_DEFAULTS[name] = dict(MODEL_DEFAULTS[base_name])
    return name

def one_run(name:str, spec:dict, data:str, device:str, grids:Path, evaluate:bool=True)->dict:
    import torch
    from cgan_nbdev import run as run_mod
    from cgan_nbdev.learner import Callback
    from cgan_nbdev.run import train_cgan
    from cgan_nbdev.platform import pick_device
    torch.set_num_threads(max(1, int(os.environ.get('SWEEP_THREADS', '2'))))
    device = str(pick_device(device))
    settings = {'data': data, **{k: v for k, v in spec.items() if k not in KNOBS}}   # a line may name its own data, e.g. data=digits
    if 'base' in spec: settings['width'] = spec['base']
    if any(k in spec for k in MODEL_KNOBS): settings['model'] = register_variant(spec)
    if spec.get('balance'): balance_classes()
    if 'ema' in spec: run_mod.fit_cgan = partial(run_mod.fit_cgan, ema_decay=spec['ema'])
    class ScaleGeneratorLR(Callback):
        def before_fit(self):
            for g in self.learn.opt_g.param_groups: g['lr'] *= spec['g_lr']
    class LinearDecay(Callback):
        def before_fit(self):
            l = self.learn
            self.total, self.groups = l.n_epochs * len(l.batches), [(g, g['lr']) for o in (l.opt_g, l.opt_d) for g in o.param_groups]
        def before_batch(self):
            scale = min(1.0, (1 - self.learn.step / self.total) / spec['lr_decay'])
            for g, lr in self.groups: g['lr'] = lr * scale
    extra = ([ScaleGeneratorLR()] if 'g_lr' in spec else []) + ([LinearDecay()] if 'lr_decay' in spec else [])
    if 'r1' in spec: extra.append(r1_penalty(spec['r1']))
    if 'ms' in spec: extra.append(mode_seeking(spec['ms'], spec.get('ms_pairs') == 'all'))
    if 'lecam' in spec: extra.append(lecam(spec['lecam']))
    if 'bcr' in spec: extra.append(balanced_consistency(spec['bcr']))
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        run = train_cgan(out=Path(tmp)/'run', device=device, progress=False, say=lambda *a, **k: None, extra_cbs=extra, **settings)
        seconds = time.perf_counter() - t
        m = run.evaluate(device=device) if evaluate else {}
        grid = sorted((run.path/'samples').glob('epoch_*.png'))[-1]
        grids.mkdir(parents=True, exist_ok=True); shutil.copyfile(grid, grids/f'{name}.png')
        kept = grids.parent/'sweep_runs'/name                          # the run itself, for measuring its generator again later
        shutil.rmtree(kept, ignore_errors=True); shutil.copytree(run.path, kept)
        h = run.learner.history
        steady = [r['img_per_s'] for r in h[1:]] or [h[-1]['img_per_s']]   # the first epoch pays for warm-up
    return dict(name=name, spec=spec, kimg=h[-1]['kimg'], train_s=seconds, img_per_s=sorted(steady)[len(steady) // 2], s_per_kimg=1000 / sorted(steady)[len(steady) // 2],
                **{k: v for k, v in m.items() if isinstance(v, (int, float)) or k == 'per_class'})

def row(r:dict)->str:
    if 'error' in r: return f"{r['name']} | error: {r['error']}"
    if 'frechet_ratio' not in r: return f"{r['name']} | {r['kimg']:.0f} kimg | {r['train_s']:.0f} s | {r['img_per_s']:.0f} img/s | {r['s_per_kimg']:.2f} s/kimg"
    return (f"{r['name']} | {r['kimg']:.0f} kimg | {r['train_s']:.0f} s | {r['img_per_s']:.0f} img/s | acc {r['conditional_accuracy']:.3f}"
            f" (real {r['classifier_accuracy_real']:.3f}) | FD/floor {r['frechet_ratio']:.2f} ± {r['frechet_ratio_std']:.2f}"
            f" | KID {r['kid']:.3f} | div {r['diversity']:.2f} | memo {r['memorisation']:.2f}"
            + ''.join(f" | {c[:8]} {v['accuracy']:.2f}/{v['diversity']:.2f}" for c, v in r.get('per_class', {}).items()))   # accuracy/diversity

def summarise(path)->str:
    "A markdown table of a sweep's rows: the runs of one configuration (any seed) are one row, mean ± spread over the runs"
    import re, statistics
    groups = {}
    for line in Path(path).read_text().splitlines():
        r = json.loads(line)
        key = json.dumps({k: v for k, v in r['spec'].items() if k != 'seed'}, sort_keys=True)   # runs of one configuration, any seed
        if 'frechet_ratio' in r: groups.setdefault(key, []).append(r)
    def ms(rows, k, f='.2f'):
        v = [r[k] for r in rows]
        return f"{statistics.mean(v):{f}} ± {statistics.stdev(v):{f}}" if len(v) > 1 else f"{v[0]:{f}}"
    out = ['| run | settings besides the defaults | runs | kimg | accuracy (real) | FD / floor | KID | diversity | memorisation |', '|---' * 9 + '|']
    for rows in groups.values():
        name = re.sub(r'-s\d+$', '', rows[0]['name'])
        spec = ' '.join(f'{k}={v}' for k, v in rows[0]['spec'].items() if k != 'seed')
        out.append(f"| {name} | {spec} | {len(rows)} | {rows[0]['kimg']:.0f} | {ms(rows, 'conditional_accuracy', '.3f')} ({statistics.mean(r['classifier_accuracy_real'] for r in rows):.3f})"
                   f" | {ms(rows, 'frechet_ratio')} | {ms(rows, 'kid', '.3f')} | {ms(rows, 'diversity')} | {ms(rows, 'memorisation')} |")
    return '\n'.join(out)

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('plan')
    p.add_argument('--data', default=None, help='a class-folder dataset (default: the emoji set from emoji_data.py)')
    p.add_argument('--device', default='auto')
    p.add_argument('--workers', type=int, default=1)
    p.add_argument('--only', default=None, help='comma-separated line numbers (from 0) of the plan to run')
    p.add_argument('--deadline', type=float, default=1e9, help='start no run after this many seconds')
    p.add_argument('--jsonl', default=str(ROOT/'out'/'sweep_runs.jsonl'))
    p.add_argument('--grids', default=str(ROOT/'out'/'sweep_grids'))
    p.add_argument('--no-eval', action='store_true', help='time the training only')
    p.add_argument('--summarise', action='store_true', help='print PLAN (here a .jsonl of rows) as a markdown table, one row per configuration')
    p.add_argument('--one', default=None, help=argparse.SUPPRESS)   # internal: run one JSON-encoded (name, spec) and print its row as JSON
    a = p.parse_args()
    if a.summarise: print(summarise(a.plan)); return
    if a.data is None:
        from emoji_data import emoji_folder
        a.data = str(emoji_folder())
    if a.one:
        name, spec = json.loads(a.one)
        print('ROW ' + json.dumps(one_run(name, spec, a.data, a.device, Path(a.grids), not a.no_eval)), flush=True); return
    plan = parse_plan(a.plan)
    if a.only: plan = [plan[int(i)] for i in a.only.split(',')]
    start = time.time()
    Path(a.jsonl).parent.mkdir(parents=True, exist_ok=True)
    def launch(item):
        name, spec = item
        if time.time() - start > a.deadline: return dict(name=name, error='not started: past the deadline')
        cmd = [sys.executable, __file__, a.plan, '--data', a.data, '--device', a.device, '--grids', a.grids, '--one', json.dumps([name, spec])] + ['--no-eval'] * a.no_eval
        out = subprocess.run(cmd, capture_output=True, text=True)
        rows = [l[4:] for l in out.stdout.splitlines() if l.startswith('ROW ')]
        r = json.loads(rows[-1]) if rows else dict(name=name, spec=spec, error=(out.stderr.strip().splitlines() or ['no output'])[-1])
        with open(a.jsonl, 'a') as f: f.write(json.dumps(r) + '\n')
        print(row(r), f"| done at {time.time() - start:.0f} s", flush=True)
        return r
    with ThreadPoolExecutor(a.workers) as pool: list(pool.map(launch, plan))

if __name__ == '__main__': main()
