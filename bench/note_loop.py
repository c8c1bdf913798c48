"""The study note's training loop, reconstructed as the baseline for `bench_train_speed.py`.

This is deliberately *not* optimised; it reproduces what the note does, step for step:

- images are read with `torchvision.datasets.ImageFolder` + `Resize/CenterCrop/ToTensor/Normalize`,
  restricted to the wanted classes with a `Subset`, and served by a `DataLoader(batch_size=32, shuffle=True)`
  with the default `num_workers=0`, so every image file is decoded again in every epoch, in the training process;
- the models are the note's MLP generator and discriminator (the package's `MLPGenerator` /
  `MLPDiscriminator`, which are layer-for-layer identical), with `D(images, labels)` returning sigmoid
  probabilities and `nn.BCELoss` on them;
- two default (non-fused, for-each) Adam optimisers, lr 2e-4, betas (0.5, 0.999);
- per batch: `ones`/`zeros` target tensors allocated anew; the G step first (G forward, D forward on the
  fakes with D's weight gradients computed too, because D is not frozen), then the D step with real and fake
  images passed through D separately; `.item()` on both losses every step (the note printed them).

The only additions are what a benchmark needs: a fixed number of steps (cycling epochs), a few warm-up
steps that are not timed, and images/second as the result.
"""
import time

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Subset
from torchvision import datasets, transforms

from cgan_nbdev.models import MLPGenerator, MLPDiscriminator


def train_note_loop(root, # folder laid out as <class>/<images>
                    n_classes:int, # the first `n_classes` class folders are used (the note's "wanted classes")
                    steps:int, # batches to train, cycling over epochs as needed
                    img_size:int=64, batch_size:int=32,
                    device='cpu',
                    warmup:int=3, # first steps not timed
                    latent_dim:int=100,
                    verbose:bool=False, # print the losses every step, as the note did
                   )->float:
    "Train the note's MLP cGAN for exactly `steps` batches; returns images/s over the steps after `warmup`"
    device = torch.device(device if device != 'auto' else ('cuda' if torch.cuda.is_available() else 'cpu'))

    # --- data, as in the note -------------------------------------------------------------------------
    transform = transforms.Compose([
        transforms.Resize(img_size),
        transforms.CenterCrop(img_size),
        transforms.ToTensor(),
        transforms.Normalize([0.5, 0.5, 0.5], [0.5, 0.5, 0.5]),
    ])
    dataset = datasets.ImageFolder(root=str(root), transform=transform)
    wanted = list(range(n_classes))                      # class indices of the wanted classes
    indices = [i for i, t in enumerate(dataset.targets) if t in wanted]
    subset = Subset(dataset, indices)
    dataloader = DataLoader(subset, batch_size=batch_size, shuffle=True)

    # --- models, loss, optimisers, as in the note ----------------------------------------------------
    generator = MLPGenerator(n_classes, latent_dim=latent_dim, img_size=img_size).to(device)
    discriminator = MLPDiscriminator(n_classes, img_size=img_size).to(device)
    adversarial_loss = nn.BCELoss()
    optimizer_G = torch.optim.Adam(generator.parameters(), lr=2e-4, betas=(0.5, 0.999))
    optimizer_D = torch.optim.Adam(discriminator.parameters(), lr=2e-4, betas=(0.5, 0.999))

    # --- the loop ------------------------------------------------------------------------------------
    step, images_timed, epoch = 0, 0, 0
    start = time.perf_counter() if warmup == 0 else None   # the clock starts right after the last warm-up step
    while step < steps:
        for imgs, labels in dataloader:
            imgs, labels = imgs.to(device), labels.to(device)
            bs = imgs.size(0)
            real_labels = torch.ones(bs, 1, device=device)
            fake_labels = torch.zeros(bs, 1, device=device)

            # Train generator
            z = torch.randn(bs, latent_dim, device=device)
            gen_labels = torch.randint(0, n_classes, (bs,), device=device)
            fake_imgs = generator(z, gen_labels)
            g_loss = adversarial_loss(discriminator(fake_imgs, gen_labels), real_labels)
            optimizer_G.zero_grad()
            g_loss.backward()
            optimizer_G.step()

            # Train discriminator
            real_loss = adversarial_loss(discriminator(imgs, labels), real_labels)
            fake_loss = adversarial_loss(discriminator(fake_imgs.detach(), gen_labels), fake_labels)
            d_loss = (real_loss + fake_loss) / 2
            optimizer_D.zero_grad()
            d_loss.backward()
            optimizer_D.step()

            d_val, g_val = d_loss.item(), g_loss.item()   # the note printed these every step
            if verbose: print(f"[Epoch {epoch}] [Batch {step}] [D loss: {d_val:.4f}] [G loss: {g_val:.4f}]")

            step += 1
            if start is not None: images_timed += bs
            elif step == warmup: start = time.perf_counter()
            if step >= steps: break
        epoch += 1
    if device.type == 'cuda': torch.cuda.synchronize()
    if start is None: raise ValueError(f"steps ({steps}) must exceed warmup ({warmup})")
    return images_timed / (time.perf_counter() - start)


if __name__ == '__main__':
    import argparse
    p = argparse.ArgumentParser(description="Run the study note's loop on a <class>/<images> folder and print images/s")
    p.add_argument('root'); p.add_argument('--n-classes', type=int, required=True)
    p.add_argument('--steps', type=int, default=100); p.add_argument('--img-size', type=int, default=64)
    p.add_argument('--device', default='cpu'); p.add_argument('--verbose', action='store_true')
    a = p.parse_args()
    print(f"{train_note_loop(a.root, a.n_classes, a.steps, a.img_size, device=a.device, verbose=a.verbose):.1f} img/s")
