"""The project's networks in PyTorch, built exactly as src/core/networks builds them in tfjs.

Every layer gets the name tfjs gives it (``G_AtoB_conv2``, ``D_B_in6``...), so a run file's
weights load by name. Images are NCHW here.
"""
import torch
import torch.nn.functional as F
from torch import nn

from .layers import GlobalGrade, InstanceNorm, pad_same, same_padding

# The name each network's layers carry in tfjs (src/core/gan/cycleGan.ts, fastCut.ts).
PREFIXES = {'genAB': 'G_AtoB', 'genBA': 'F_BtoA', 'discA': 'D_A', 'discB': 'D_B', 'nceHead': 'H_nce'}


class Conv(nn.Module):
    """A tfjs conv2d (or conv2dTranspose) layer: 'valid' or TensorFlow's 'same' padding."""

    def __init__(self, cin: int, cout: int, kernel: int, stride: int = 1, padding: str = 'valid', bias: bool = False, transpose: bool = False):
        super().__init__()
        self.kernel, self.stride, self.padding, self.transpose = kernel, stride, padding, transpose
        shape = (cin, cout, kernel, kernel) if transpose else (cout, cin, kernel, kernel)
        self.weight = nn.Parameter(torch.randn(shape) * 0.02)
        self.bias = nn.Parameter(torch.zeros(cout)) if bias else None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if not self.transpose:
            if self.padding == 'same':
                x = pad_same(x, self.kernel, self.stride)
            return F.conv2d(x, self.weight, self.bias, self.stride)
        # The gradient of a 'same' convolution from stride·size down to size: crop what it padded.
        height, width = x.shape[2] * self.stride, x.shape[3] * self.stride
        y = F.conv_transpose2d(x, self.weight, self.bias, self.stride)
        top, left = same_padding(height, self.kernel, self.stride)[0], same_padding(width, self.kernel, self.stride)[0]
        return y[:, :, top:top + height, left:left + width]


class Named(nn.Module):
    """A network whose layers are numbered as tfjs numbers them: ``{prefix}_{kind}{n}``."""

    def __init__(self, prefix: str):
        super().__init__()
        self.prefix = prefix
        self.count = 0
        self.named = nn.ModuleDict()

    def next(self, kind: str) -> str:
        self.count += 1
        return f'{kind}{self.count}'

    def add(self, kind: str, module: nn.Module) -> str:
        key = self.next(kind)
        self.named[key] = module
        return key

    def tfjs_parameters(self):
        """(tfjs name, parameter, layout) for every weight, in no particular order."""
        for key, module in self.named.items():
            if isinstance(module, Conv):
                yield f'{self.prefix}_{key}/kernel', module.weight, 'conv'
                if module.bias is not None:
                    yield f'{self.prefix}_{key}/bias', module.bias, 'plain'
            elif isinstance(module, InstanceNorm):
                yield f'{self.prefix}_{key}/gamma', module.gamma, 'plain'
                yield f'{self.prefix}_{key}/beta', module.beta, 'plain'
            elif isinstance(module, GlobalGrade):
                for part in ('detail', 'curves', 'gain', 'offset', 'mix'):
                    yield f'{self.prefix}_{key}/{part}', getattr(module, part), 'plain'
            elif isinstance(module, nn.Linear):
                yield f'{self.prefix}_{key}/kernel', module.weight, 'dense'
                yield f'{self.prefix}_{key}/bias', module.bias, 'plain'


class Generator(Named):
    """CycleGAN's ResNet generator: c7s1-k, d2k, d4k, N × R4k, u2k, uk, c7s1-3. With the
    'identity' start, the last convolution's change is added to a global grade of the input and
    clipped to [-1, 1]; with 'random', the paper's tanh."""

    def __init__(self, prefix: str, filters: int, res_blocks: int, upsampling: str, start: str, knots: int = 8, rate: float = 10.0):
        super().__init__(prefix)
        k = filters
        self.upsampling, self.start = upsampling, start
        self.next('pad')
        self.head = (self.add('conv', Conv(3, k, 7)), self.add('in', InstanceNorm(k)), self.next('relu'))
        self.downs = []
        for cin, cout in ((k, 2 * k), (2 * k, 4 * k)):
            self.downs.append((self.add('conv', Conv(cin, cout, 3, 2, 'same')), self.add('in', InstanceNorm(cout)), self.next('relu')))
        self.blocks = []
        for _ in range(res_blocks):
            self.next('pad')
            first = (self.add('conv', Conv(4 * k, 4 * k, 3)), self.add('in', InstanceNorm(4 * k)), self.next('relu'))
            self.next('pad')
            second = (self.add('conv', Conv(4 * k, 4 * k, 3)), self.add('in', InstanceNorm(4 * k)))
            self.next('res')
            self.blocks.append((first[:2], second))
        self.ups = []
        cin = 4 * k
        for cout in (2 * k, k):
            if upsampling == 'transpose':
                conv = self.add('up', Conv(cin, cout, 3, 2, 'same', transpose=True))
            else:
                self.next('resize')
                self.next('pad')
                conv = self.add('conv', Conv(cin, cout, 3))
            self.ups.append((conv, self.add('in', InstanceNorm(cout)), self.next('relu')))
            cin = cout
        self.next('pad')
        self.last = self.add('conv', Conv(k, 3, 7, bias=True))
        if start == 'random':
            self.next('tanh')
            self.grade = None
        else:
            if start == 'identity':
                with torch.no_grad():
                    self.named[self.last].weight.zero_()
            self.grade = self.add('grade', GlobalGrade(knots, rate))
            self.next('change')
            self.next('clip')

    def features(self, image: torch.Tensor, encode_only: bool = False):
        """The encoder taps PatchNCE compares (as generator.ts encoderTaps) and the output
        (None with `encode_only`, which stops after the last tap)."""
        layer = self.named
        taps = []
        conv, norm, _ = self.head
        x = torch.relu(layer[norm](layer[conv](F.pad(image, (3, 3, 3, 3), mode='reflect'))))
        taps.append(x)
        for conv, norm, _ in self.downs:
            x = torch.relu(layer[norm](layer[conv](x)))
            taps.append(x)
        for i, ((conv1, norm1), (conv2, norm2)) in enumerate(self.blocks):
            y = torch.relu(layer[norm1](layer[conv1](F.pad(x, (1, 1, 1, 1), mode='reflect'))))
            y = layer[norm2](layer[conv2](F.pad(y, (1, 1, 1, 1), mode='reflect')))
            x = x + y
            if i == 0 or i == len(self.blocks) // 2:
                taps.append(x)
            if encode_only and i == len(self.blocks) // 2:
                return taps, None
        for conv, norm, _ in self.ups:
            if self.upsampling == 'transpose':
                x = layer[conv](x)
            else:
                x = layer[conv](F.pad(F.interpolate(x, scale_factor=2, mode='nearest'), (1, 1, 1, 1), mode='reflect'))
            x = torch.relu(layer[norm](x))
        x = layer[self.last](F.pad(x, (3, 3, 3, 3), mode='reflect'))
        if self.grade is None:
            return taps, torch.tanh(x)
        return taps, torch.clamp(layer[self.grade](image) + x, -1, 1)

    def forward(self, image: torch.Tensor) -> torch.Tensor:
        return self.features(image)[1]

    def graded(self, image: torch.Tensor) -> torch.Tensor:
        """The input through the global grade alone (what the colour loss trains)."""
        return self.named[self.grade](image)


class Discriminator(Named):
    """The PatchGAN: stride-2 4×4 convolutions (zero padding 1), two stride-1 ones, raw logits."""

    def __init__(self, prefix: str, filters: int, layers: int):
        super().__init__(prefix)
        self.stack = []
        cin = 3
        strides = [2] * layers + [1, 1]
        for i, stride in enumerate(strides):
            last = i == layers + 1
            cout = 1 if last else filters * min(2 ** i, 8)
            normed = 0 < i and not last
            self.next('pad')
            conv = self.add('conv', Conv(cin, cout, 4, stride, bias=not normed))
            norm = self.add('in', InstanceNorm(cout)) if normed else None
            if not last:
                self.next('lrelu')
            self.stack.append((conv, norm, last))
            cin = cout

    def forward(self, image: torch.Tensor) -> torch.Tensor:
        x = image
        for conv, norm, last in self.stack:
            x = self.named[conv](F.pad(x, (1, 1, 1, 1)))
            if norm is not None:
                x = self.named[norm](x)
            if not last:
                x = F.leaky_relu(x, 0.2)
        return x


def to_torch(values: torch.Tensor, layout: str) -> torch.Tensor:
    """A tfjs weight in this module's layout: HWIO kernels (HWOI for transposed) to OIHW (IOHW)."""
    if layout == 'conv':
        return values.permute(3, 2, 0, 1).contiguous()
    if layout == 'dense':
        return values.t().contiguous()
    return values


def to_tfjs(values: torch.Tensor, layout: str) -> torch.Tensor:
    if layout == 'conv':
        return values.permute(2, 3, 1, 0).contiguous()
    if layout == 'dense':
        return values.t().contiguous()
    return values


def tfjs_shape(param: torch.Tensor, layout: str) -> list:
    return list(to_tfjs(param.detach(), layout).shape)


def load_weights(network: Named, weights: dict) -> None:
    """Copies tfjs weights ({name: tensor in tfjs layout}) in; every weight must be there and fit."""
    expected = list(network.tfjs_parameters())
    missing = [name for name, _, _ in expected if name not in weights]
    if missing:
        raise ValueError(f'the run has no {missing[0]} for {network.prefix} ({len(missing)} weights missing)')
    extra = sorted(set(n for n in weights if n.startswith(f'{network.prefix}_')) - set(n for n, _, _ in expected))
    if extra:
        raise ValueError(f'the run has {extra[0]}, which a {network.prefix} of these settings does not have')
    with torch.no_grad():
        for name, param, layout in expected:
            value = weights[name]
            if list(value.shape) != tfjs_shape(param, layout):
                raise ValueError(f'{name} has shape {list(value.shape)}, expected {tfjs_shape(param, layout)} for these settings')
            param.copy_(to_torch(value, layout))


def export_weights(network: Named) -> dict:
    """{tfjs name: tensor in tfjs layout} of every weight."""
    return {name: to_tfjs(param.detach().cpu(), layout) for name, param, layout in network.tfjs_parameters()}


class NceHead(Named):
    """CUT's projection head: per encoder tap a two-layer MLP (C → D, ReLU, D → D)."""

    def __init__(self, prefix: str, channels: list, dimensions: int):
        super().__init__(prefix)
        for i, c in enumerate(channels):
            self.named[f'fc{i}a'] = nn.Linear(c, dimensions)
            self.named[f'fc{i}b'] = nn.Linear(dimensions, dimensions)
        self.taps = len(channels)

    def forward(self, features: list) -> list:
        """Features [patches, C] per tap → projections [patches, D] (not yet normalised)."""
        return [self.named[f'fc{i}b'](torch.relu(self.named[f'fc{i}a'](f))) for i, f in enumerate(features)]


def nce_dimensions(gen_filters: int) -> int:
    """Width of the projections (src/core/gan/patchNce.ts nceDimensions)."""
    return min(256, 4 * gen_filters)


def tap_channels(config: dict) -> list:
    """Channels of PatchNCE's features: the pixels, the three conv blocks down, the first and middle residual blocks."""
    k = config['genFilters']
    blocks = [0] if config['genResBlocks'] // 2 == 0 else [0, config['genResBlocks'] // 2]
    return [3, k, 2 * k, 4 * k] + [4 * k for _ in blocks]


def build_networks(config: dict) -> dict:
    """The model's networks, named as tfjs names them, with fresh weights."""
    def generator(name):
        return Generator(PREFIXES[name], config['genFilters'], config['genResBlocks'], config['upsampling'], config['generatorStart'])

    def discriminator(name):
        return Discriminator(PREFIXES[name], config['discFilters'], config['discLayers'])

    if config['model'] == 'cyclegan':
        return {'genAB': generator('genAB'), 'genBA': generator('genBA'), 'discA': discriminator('discA'), 'discB': discriminator('discB')}
    return {'genAB': generator('genAB'), 'discB': discriminator('discB'), 'nceHead': NceHead(PREFIXES['nceHead'], tap_channels(config), nce_dimensions(config['genFilters']))}
