"""Does `torch.compile` pay for training steps here? Eager vs compiled, same models and batches, side by side.

For each configuration: the time to compile (the first steps), then the median ms per step of eager and compiled
steps, interleaved round by round. Compiled means `torch.compile` of the generator's forward and of the
discriminator's `logits` (Inductor, default mode); the optimiser steps stay eager.

    python bench/bench_compile.py
"""
import statistics, time, torch
from cgan_nbdev.data import load_data, DeviceBatches
from cgan_nbdev.models import make_models, MODEL_DEFAULTS
from cgan_nbdev.platform import reuse_freed_memory
from cgan_nbdev.learner import GANLearner

CONFIGS = [('dcgan', 16, 64, 'bf16', 'the main job'), ('dcgan', 32, 128, 'bf16', ''), ('mlp', 64, 32, 'fp32', "the note's settings")]

def learner(model, px, batch, precision):
    torch.manual_seed(0)
    data = load_data('digits', img_size=px, show_progress=False)
    g, d = make_models(model, len(data.classes), img_size=px)
    if model != 'mlp': g, d = g.to(memory_format=torch.channels_last), d.to(memory_format=torch.channels_last)
    defaults = MODEL_DEFAULTS[model]
    learn = GANLearner(g, d, DeviceBatches(data, batch_size=batch), loss=defaults['loss'], betas=defaults['betas'], precision=precision)
    return learn, list(learn.batches)[:8]

def time_steps(learn, batches, reps=3):
    t = time.perf_counter()
    for _ in range(reps):
        for learn.xb, learn.yb in batches: learn.one_batch()
    return (time.perf_counter() - t) / (reps * len(batches)) * 1e3

def main():
    reuse_freed_memory()
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads")
    for model, px, batch, precision, note in CONFIGS:
        eager, batches = learner(model, px, batch, precision)
        comp, _ = learner(model, px, batch, precision)
        t = time.perf_counter()
        comp.disc.logits = torch.compile(comp.disc.logits)            # the G step calls disc.logits directly
        comp.gen_forward, comp.disc_logits = torch.compile(comp.gen), comp.disc.logits
        for comp.xb, comp.yb in batches[:3]: comp.one_batch()
        compile_s = time.perf_counter() - t
        time_steps(eager, batches, 1)
        e, c = [], []
        for _ in range(5):
            e.append(time_steps(eager, batches)); c.append(time_steps(comp, batches))
        me, mc = statistics.median(e), statistics.median(c)
        print(f"{model:6s} {px:3d} px batch {batch:4d} {precision}: eager {me:7.2f} ms/step, compiled {mc:7.2f} ms/step "
              f"({me / mc:.2f}×), compile time {compile_s:.0f} s, "
              + (f"pays after {compile_s * 1e3 / (me - mc):.0f} steps" if mc < me else "never pays")
              + (f"  [{note}]" if note else ''), flush=True)

if __name__ == '__main__': main()
