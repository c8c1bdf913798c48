"""The captured step against the eager step on a CUDA GPU: the same seed, data and callbacks, losses and weights compared.

The notebook `14_capture` makes this check on a CPU with `StepTape`, a stand-in that keeps a CUDA graph's rules; this
script makes it with a real CUDA graph (`CapturedStep`), beside two eager runs (a GPU's run-to-run differences set the
yardstick: the captured run must be within ten times them), on the 64-px default pair (`dcgan`, width 32, hinge, bf16
autocast, channels_last, `History` + `GeneratorEMA`), 4 classes × 300 synthetic pictures, batch 64, 10 epochs.

    python bench/check_capture.py                 # on a CUDA GPU, about 30 s; exits 1 if the captured step differs
"""
import statistics, sys, time
import torch
from cgan_nbdev.data import ImageData, DeviceBatches
from cgan_nbdev.models import make_models, MODEL_DEFAULTS
from cgan_nbdev.learner import GANLearner
from cgan_nbdev.callbacks import History, GeneratorEMA
from cgan_nbdev.capture import CapturedStep

def data(device):
    rng = torch.Generator().manual_seed(0)
    images = torch.randint(0, 256, (1200, 3, 64, 64), generator=rng, dtype=torch.uint8)
    return ImageData(images.to(device), torch.arange(4).repeat_interleave(300).to(device), list('abcd'), 'synthetic')

def trained(device, graphed, epochs=10):
    torch.manual_seed(0)
    gen, disc = make_models('dcgan', 4, img_size=64, width=32)
    gen, disc = gen.to(memory_format=torch.channels_last), disc.to(memory_format=torch.channels_last)
    d = MODEL_DEFAULTS['dcgan']
    learn = GANLearner(gen, disc, DeviceBatches(data(device), batch_size=64, device=device, seed=0), loss=d['loss'],
                       lr=d['lr'], betas=d['betas'], device=device, precision='bf16', classes=list('abcd'),
                       cbs=[History(), GeneratorEMA()] + ([CapturedStep()] if graphed else []))
    torch.cuda.synchronize(); start = time.perf_counter()
    learn.fit(epochs)
    torch.cuda.synchronize()
    return learn, time.perf_counter() - start

def apart(a, b):
    "The largest difference in the losses of any epoch, and in any weight of G and of its average"
    losses = max(abs(x[k] - y[k]) for x, y in zip(a.history, b.history) for k in ('d_loss', 'g_loss'))
    weights = max((p - q).abs().max().item() for m, n in ((a.gen, b.gen), (a.sample_model, b.sample_model))
                  for p, q in zip(m.parameters(), n.parameters()))
    return losses, weights

def main():
    if not torch.cuda.is_available(): sys.exit("check_capture.py needs a CUDA GPU")
    device = torch.device('cuda')
    print(f"card: {torch.cuda.get_device_name()}; torch {torch.__version__}, CUDA {torch.version.cuda}")
    (eager, t_eager), (again, _), (graphed, t_graph) = trained(device, False), trained(device, False), trained(device, True)
    print(f"steps {eager.step} and {graphed.step}; replays {graphed.cb(CapturedStep).replays}; "
          f"fit seconds eager {t_eager:.2f}, captured {t_graph:.2f}")
    print(f"{'epoch':>5} {'d_loss eager':>12} {'captured':>9} {'g_loss eager':>12} {'captured':>9} {'img/s eager':>11} {'captured':>9}")
    for a, b in zip(eager.history, graphed.history):
        print(f"{a['epoch']:5d} {a['d_loss']:12.4f} {b['d_loss']:9.4f} {a['g_loss']:12.4f} {b['g_loss']:9.4f} "
              f"{a['img_per_s']:11,.0f} {b['img_per_s']:9,.0f}")
    run_to_run, captured = apart(eager, again), apart(eager, graphed)
    print(f"largest difference from the eager run (losses of an epoch, weights of G and its EMA): a second eager run "
          f"{run_to_run[0]:.2e}, {run_to_run[1]:.2e}; the captured run {captured[0]:.2e}, {captured[1]:.2e}")
    rate = lambda l: statistics.median(r['img_per_s'] for r in l.history[1:])
    print(f"median img/s from epoch 2: eager {rate(eager):,.0f}, captured {rate(graphed):,.0f} "
          f"({rate(graphed) / rate(eager):.1f}×)")
    if any(c > 10 * r + 1e-4 for r, c in zip(run_to_run, captured)):
        sys.exit("FAILED: the captured step trains further from the eager step than a second eager run does (×10)")
    print("passed: the captured step trains as the eager step does")

if __name__ == '__main__': main()
