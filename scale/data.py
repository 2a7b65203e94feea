"""The run's images as the TypeScript core prepares them (src/core/data/pixels.ts, augment.ts,
cropGeometry.ts): a centred square, halved by 2×2 averages while twice the size or more, then a
bilinear resize; training batches are random crops mirrored half the time."""
import math

import torch
import torch.nn.functional as F


def load_size(resolution: int, augment: bool) -> int:
    """CycleGAN's load-then-crop: 286 px for 256 px crops, an even size."""
    if not augment:
        return resolution
    return 2 * math.floor(resolution * 286 / 256 / 2 + 0.5)


def prepare(rgb: torch.Tensor, size: int) -> torch.Tensor:
    """A 3×H×W image of bytes (0..255, float) as a 3×size×size tensor in [-1, 1]."""
    _, h, w = rgb.shape
    side = min(h, w)
    top, left = (h - side) // 2, (w - side) // 2
    square = rgb[:, top:top + side, left:left + side].unsqueeze(0)
    while square.shape[2] >= 2 * size:
        square = F.avg_pool2d(square, 2, 2)
    if square.shape[2] != size:
        # TensorFlow's half-pixel centres are PyTorch's align_corners=False.
        square = F.interpolate(square, size=(size, size), mode='bilinear', align_corners=False)
    return (square[0] / 127.5 - 1)


def centre_crop(image: torch.Tensor, size: int) -> torch.Tensor:
    _, h, w = image.shape
    top, left = (h - size) // 2, (w - size) // 2
    return image[:, top:top + size, left:left + size]


class ImageSet:
    """A set's images at their load size, and batches of random crops (or centre crops)."""

    def __init__(self, images: list, resolution: int, augment: bool):
        if not images:
            raise ValueError('Expected at least one image in the set, got none')
        size = load_size(resolution, augment)
        self.images = [prepare(image, size) for image in images]
        self.resolution, self.augment = resolution, augment

    def __len__(self) -> int:
        return len(self.images)

    def centred(self) -> torch.Tensor:
        return torch.stack([centre_crop(image, self.resolution) for image in self.images])

    def batch(self, indices: list, generator: torch.Generator) -> torch.Tensor:
        out = []
        for i in indices:
            image = self.images[i]
            if not self.augment:
                out.append(centre_crop(image, self.resolution))
                continue
            _, h, w = image.shape
            top = int(torch.randint(h - self.resolution + 1, (1,), generator=generator))
            left = int(torch.randint(w - self.resolution + 1, (1,), generator=generator))
            crop = image[:, top:top + self.resolution, left:left + self.resolution]
            out.append(crop.flip(2) if torch.rand(1, generator=generator).item() < 0.5 else crop)
        return torch.stack(out)


def run_image_sets(run, resolution: int, augment: bool) -> tuple:
    """A run file's content and style images as ImageSets."""
    data = run.meta['data']
    return tuple(ImageSet([run.rgb(item['image']) for item in data[which]], resolution, augment) for which in ('content', 'style'))


def to_rgba(image: torch.Tensor) -> bytes:
    """A 3×H×W image in [-1, 1] as opaque RGBA bytes, rounded as tensorToRgba rounds."""
    rgb = ((image.detach().cpu().float() + 1) * 127.5).round().clamp(0, 255).to(torch.uint8)
    alpha = torch.full((1, *rgb.shape[1:]), 255, dtype=torch.uint8)
    return torch.cat([rgb, alpha]).permute(1, 2, 0).contiguous().numpy().tobytes()
