"""The captured step against the eager step on a CUDA GPU: the same seed, data and callbacks, losses and weights compared.

The notebook `14_capture` makes this check on a CPU with `StepTape`, a stand-in that keeps a CUDA graph's rules; this
script makes it with a real CUDA graph (`CapturedStep`), on the 64-px default pair (`dcgan`, width 32, hinge, bf16
autocast, channels_last, `History` + `GeneratorEMA`), 4 classes × 300 synthetic pictures, batch 64, 10 epochs.

    python bench/check_capture.py                 # on a CUDA GPU, about 20 s
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

def main():
    if not torch.cuda.is_available(): sys.exit("check_capture.py needs a CUDA GPU")
    device = torch.device('cuda')
    print(f"card: {torch.cuda.get_device_name()}; torch {torch.__version__}, CUDA {torch.version.cuda}")
    (eager, t_eager), (graphed, t_graph) = trained(device, False), trained(device, True)
    print(f"steps {eager.step} and {graphed.step}; replays {graphed.cb(CapturedStep).replays}; "
          f"fit seconds eager {t_eager:.2f}, captured {t_graph:.2f}")
    print(f"{'epoch':>5} {'d_loss eager':>12} {'captured':>9} {'g_loss eager':>12} {'captured':>9} {'img/s eager':>11} {'captured':>9}")
    for a, b in zip(eager.history, graphed.history):
        print(f"{a['epoch']:5d} {a['d_loss']:12.4f} {b['d_loss']:9.4f} {a['g_loss']:12.4f} {b['g_loss']:9.4f} "
              f"{a['img_per_s']:11,.0f} {b['img_per_s']:9,.0f}")
    diff = lambda k: max(abs(a[k] - b[k]) for a, b in zip(eager.history, graphed.history))
    weights = max((p - q).abs().max().item() for p, q in zip(eager.gen.parameters(), graphed.gen.parameters()))
    print(f"largest difference: d_loss {diff('d_loss'):.2e}, g_loss {diff('g_loss'):.2e}, G's weights {weights:.2e}")
    rate = lambda l: statistics.median(r['img_per_s'] for r in l.history[1:])
    print(f"median img/s from epoch 2: eager {rate(eager):,.0f}, captured {rate(graphed):,.0f} "
          f"({rate(graphed) / rate(eager):.1f}×)")

if __name__ == '__main__': main()
