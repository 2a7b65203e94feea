"""The custom layers of the TypeScript core (src/core/networks/layers/customLayers.js) in PyTorch.

Tensors are NCHW here; the run file stores NHWC images and tfjs's HWIO kernels, converted in
``networks.py``. Every formula follows the tfjs layer exactly, so the same weights give the same
outputs (tested in ``tests/test_parity.py``).
"""
import torch
import torch.nn.functional as F
from torch import nn


def same_padding(size: int, kernel: int, stride: int) -> tuple:
    """TensorFlow's 'same' padding of one axis: the odd pixel goes after, not before."""
    out = -(-size // stride)
    total = max((out - 1) * stride + kernel - size, 0)
    return total // 2, total - total // 2


def pad_same(x: torch.Tensor, kernel: int, stride: int) -> torch.Tensor:
    top, bottom = same_padding(x.shape[2], kernel, stride)
    left, right = same_padding(x.shape[3], kernel, stride)
    return F.pad(x, (left, right, top, bottom))


class _ContiguousGrad(torch.autograd.Function):
    """The identity, whose backward makes the incoming gradient contiguous."""

    @staticmethod
    def forward(ctx, x):
        return x.view_as(x)

    @staticmethod
    def backward(ctx, grad):
        return grad.contiguous()


class InstanceNorm(nn.Module):
    """Each image's channels normalised over their own pixels (biased variance), then γ·x̂ + β.

    PyTorch 1.13's CPU instance-norm backward returns wrong input gradients when the gradient it
    is given is not contiguous (PatchNCE's channels-last gather hands it one): it gets a
    contiguous copy."""

    def __init__(self, channels: int, epsilon: float = 1e-5):
        super().__init__()
        self.epsilon = epsilon
        self.gamma = nn.Parameter(torch.ones(channels))
        self.beta = nn.Parameter(torch.zeros(channels))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return _ContiguousGrad.apply(F.instance_norm(x, weight=self.gamma, bias=self.beta, eps=self.epsilon))


class GlobalGrade(nn.Module):
    """The same grade everywhere in the image, the identity at zero weights: a detail gain, an
    8-knot tone curve, a gain and an offset per channel, then a 3×3 channel mix. Detail, gain and
    offset are stored divided by ``rate`` (they learn ``rate`` times faster under Adam)."""

    def __init__(self, knots: int = 8, rate: float = 10.0):
        super().__init__()
        self.knots = knots
        self.rate = rate
        self.detail = nn.Parameter(torch.zeros(3))
        self.curves = nn.Parameter(torch.zeros(3, knots))
        self.gain = nn.Parameter(torch.zeros(3))
        self.offset = nn.Parameter(torch.zeros(3))
        self.mix = nn.Parameter(torch.zeros(3, 3))

    def forward(self, image: torch.Tensor) -> torch.Tensor:
        channel = lambda v: v.view(1, 3, 1, 1)
        # tfjs's avgPool 'same' averages only the pixels inside the image.
        average = F.avg_pool2d(image, 3, 1, padding=1, count_include_pad=False)
        x = image + (image - average) * channel(self.detail * self.rate)
        t = (x + 1) * ((self.knots - 1) / 2)
        curved = x
        for k in range(self.knots):
            curved = curved + torch.relu(1 - (t - k).abs()) * channel(self.curves[:, k])
        graded = curved * channel(self.gain * self.rate + 1) + channel(self.offset * self.rate)
        # out_j = g_j + Σ_i g_i·mix[i, j]
        return graded + torch.einsum('nihw,ij->njhw', graded, self.mix)
