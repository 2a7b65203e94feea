"""The losses of src/core/gan/losses.ts, colourStats.ts and patchNce.ts. Discriminator outputs are
raw PatchGAN logits, averaged over every patch."""
import torch
import torch.nn.functional as F

from .rng import Rng

ADVERSARIAL_LOSSES = ('bce', 'lsgan', 'hinge')
# CUT's defaults (src/core/gan/patchNce.ts).
NCE_PATCHES = 256
NCE_TEMPERATURE = 0.07


def discriminator_loss(kind: str, real: torch.Tensor, fake: torch.Tensor) -> torch.Tensor:
    if kind == 'bce':
        return F.binary_cross_entropy_with_logits(real, torch.ones_like(real)) + F.binary_cross_entropy_with_logits(fake, torch.zeros_like(fake))
    if kind == 'lsgan':
        return ((real - 1) ** 2).mean() + (fake ** 2).mean()
    if kind == 'hinge':
        return torch.relu(1 - real).mean() + torch.relu(1 + fake).mean()
    raise ValueError(f'Unknown adversarial loss {kind!r}; expected one of {", ".join(ADVERSARIAL_LOSSES)}')


def generator_adversarial_loss(kind: str, fake: torch.Tensor) -> torch.Tensor:
    if kind == 'bce':
        return F.binary_cross_entropy_with_logits(fake, torch.ones_like(fake))
    if kind == 'lsgan':
        return ((fake - 1) ** 2).mean()
    if kind == 'hinge':
        return -fake.mean()
    raise ValueError(f'Unknown adversarial loss {kind!r}; expected one of {", ".join(ADVERSARIAL_LOSSES)}')


def l1(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    return (a - b).abs().mean()


def colour_stats(x: torch.Tensor) -> torch.Tensor:
    """Per image then averaged: each channel's mean, log spread and sharpness (log spread of the
    detail, the image minus its 3×3 average, over its own spread). Nine numbers."""
    def log_spread(t):
        return 0.5 * torch.log(t.var(dim=(2, 3), unbiased=False) + 1e-4)

    spread = log_spread(x)
    detail = x - F.avg_pool2d(x, 3, 1, padding=1, count_include_pad=False)
    sharpness = log_spread(detail) - spread
    return torch.cat([x.mean(dim=(2, 3)), spread, sharpness], 1).mean(0)


def colour_loss(graded: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    return ((colour_stats(graded) - target) ** 2).sum()


COLOUR_IMAGES_PER_STEP = 8


def colour_window(images: torch.Tensor, step: int) -> torch.Tensor:
    """This step's window of a colour reference set (src/core/gan/colourReference.ts)."""
    n = images.shape[0]
    if n <= COLOUR_IMAGES_PER_STEP:
        return images
    start = (step * COLOUR_IMAGES_PER_STEP) % n
    return images[[(start + i) % n for i in range(COLOUR_IMAGES_PER_STEP)]]


def sample_patch_ids(features: list, rng: Rng, patches: int = NCE_PATCHES) -> list:
    """Which positions of each feature map PatchNCE compares: a partial Fisher–Yates shuffle."""
    ids = []
    for f in features:
        positions = f.shape[2] * f.shape[3]
        order = list(range(positions))
        count = min(patches, positions)
        for i in range(count):
            j = i + rng.int(positions - i)
            order[i], order[j] = order[j], order[i]
        ids.append(torch.tensor(order[:count], dtype=torch.long))
    return ids


def _project(head, features: list, ids: list) -> list:
    batch = features[0].shape[0]
    sampled = []
    for f, index in zip(features, ids):
        channels = f.shape[1]
        # NHWC order of positions, as tfjs flattens them.
        flat = f.permute(0, 2, 3, 1).reshape(batch, -1, channels)
        sampled.append(flat[:, index].reshape(-1, channels))
    projected = head(sampled)
    return [(p * torch.rsqrt((p ** 2).sum(-1, keepdim=True) + 1e-12)).reshape(batch, -1, p.shape[-1]) for p in projected]


def patch_nce_loss(head, queries: list, keys: list, ids: list) -> torch.Tensor:
    """PatchNCE per image: cross-entropy of each output patch against the input patch at its place,
    the other sampled patches being negatives; averaged over patches, then layers."""
    q = _project(head, queries, ids)
    k = [t.detach() for t in _project(head, keys, ids)]
    per_layer = []
    for ql, kl in zip(q, k):
        logits = torch.matmul(ql, kl.transpose(1, 2)) / NCE_TEMPERATURE
        positive = (ql * kl).sum(-1) / NCE_TEMPERATURE
        per_layer.append((logits.exp().sum(-1).log() - positive).mean(1))
    return sum(per_layer) / len(per_layer)
