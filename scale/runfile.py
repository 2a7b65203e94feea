"""Run files as the page downloads and imports them (src/core/persist/runArchive.ts): a .zip of
run.json (settings, history, previews, the tensor and image index), tensors.bin (float32, in the
index's order: each network of the model, then the generator and discriminator optimisers) and
images.bin (RGBA bytes at the offsets the index gives)."""
import io
import json
import math
import zipfile
from dataclasses import dataclass, field

import torch

RUN_FORMAT = 'gan-style-studio-run'
# The version this package reads and writes (src/core/persist/restore.ts RUN_FORMAT_VERSION).
RUN_FORMAT_VERSION = 3
# Each model's networks, in the order tensors.bin stores them (src/core/gan/state.ts networksOf).
NETWORKS = {'cyclegan': ['genAB', 'genBA', 'discA', 'discB'], 'cut': ['genAB', 'discB', 'nceHead'], 'fastcut': ['genAB', 'discB', 'nceHead']}


class RunFileError(Exception):
    """A run file that cannot be used; the message says why, in one line."""


@dataclass
class Run:
    meta: dict
    # {network: [(tfjs name, tensor)]} and {'g' | 'd': [(name, tensor)]}, in the file's order.
    networks: dict
    optimizers: dict
    images: bytes
    extra_images: list = field(default_factory=list)

    @property
    def config(self) -> dict:
        return self.meta['config']

    @property
    def step(self) -> int:
        return self.meta['step']

    def rgb(self, ref: dict) -> torch.Tensor:
        """An image of images.bin as a 3×H×W float tensor of byte values (alpha dropped)."""
        width, height, offset = ref['width'], ref['height'], ref['offset']
        data = torch.frombuffer(bytearray(self.images[offset:offset + width * height * 4]), dtype=torch.uint8)
        return data.view(height, width, 4)[:, :, :3].permute(2, 0, 1).float()


def _fail(message: str):
    raise RunFileError(message)


def read_run(path: str) -> Run:
    """Reads and checks a run file; raises RunFileError with the reason when it cannot be used."""
    try:
        with zipfile.ZipFile(path) as archive:
            files = {name: archive.read(name) for name in archive.namelist()}
    except FileNotFoundError:
        _fail(f'{path} does not exist')
    except (zipfile.BadZipFile, EOFError, OSError, zipfile.LargeZipFile) as error:
        _fail(f'{path} is not a readable .zip file ({error})')
    if 'run.json' not in files:
        _fail('run.json is missing: this is not a GAN Style Studio run file')
    try:
        meta = json.loads(files['run.json'].decode('utf-8'))
    except (UnicodeDecodeError, json.JSONDecodeError):
        _fail('run.json is not valid JSON')
    if not isinstance(meta, dict) or meta.get('format') != RUN_FORMAT:
        _fail(f'Expected format "{RUN_FORMAT}" in run.json, got {json.dumps(meta.get("format") if isinstance(meta, dict) else None)}')
    version = meta.get('version')
    if not isinstance(version, int) or version < 1:
        _fail(f'Expected a format version number, got {json.dumps(version)}')
    if version > RUN_FORMAT_VERSION:
        _fail(f'This run file has format version {version}, newer than this scale package reads ({RUN_FORMAT_VERSION}): update the package from the same GAN Style Studio that saved it')
    if version < RUN_FORMAT_VERSION:
        _fail(f'This run file has the older format version {version}: import it into the page and download it again, which updates it to version {RUN_FORMAT_VERSION}')
    config = meta.get('config')
    if not isinstance(config, dict) or config.get('model') not in NETWORKS:
        _fail('run.json has no config with a model the package knows (cyclegan, cut, fastcut)')
    if not isinstance(meta.get('step'), int) or meta['step'] < 0:
        _fail(f'Expected a step count, got {json.dumps(meta.get("step"))}')
    for name in ('tensors.bin', 'images.bin'):
        if name not in files:
            _fail(f'{name} is missing')
    tensor_bytes = files['tensors.bin']
    offset = 0

    def read_tensors(refs, what):
        nonlocal offset
        if not isinstance(refs, list):
            _fail(f'Expected a list of tensors for {what}')
        out = []
        for ref in refs:
            if not isinstance(ref, dict) or not isinstance(ref.get('name'), str) or not isinstance(ref.get('shape'), list) or not all(isinstance(d, int) and d >= 0 for d in ref['shape']):
                _fail(f'A tensor of {what} has no valid name and shape')
            size = math.prod(ref['shape'])
            end = offset + 4 * size
            if end > len(tensor_bytes):
                _fail(f'tensors.bin is too short: {what} needs {end} bytes, the file has {len(tensor_bytes)}')
            values = torch.frombuffer(bytearray(tensor_bytes[offset:end]), dtype=torch.float32).reshape(ref['shape']) if size else torch.zeros(ref['shape'])
            if not torch.isfinite(values).all():
                _fail(f'Tensor {ref["name"]} of {what} holds NaN or infinite values')
            out.append((ref['name'], values))
            offset = end
        return out

    index = meta.get('tensors')
    if not isinstance(index, dict) or not isinstance(index.get('networks'), dict) or not isinstance(index.get('optimizers'), dict):
        _fail('run.json has no tensor index')
    networks = {name: read_tensors(index['networks'].get(name), name) for name in NETWORKS[config['model']]}
    optimizers = {'g': read_tensors(index['optimizers'].get('g'), 'the generator optimiser'), 'd': read_tensors(index['optimizers'].get('d'), 'the discriminator optimiser')}
    if offset != len(tensor_bytes):
        _fail(f'tensors.bin has {len(tensor_bytes) - offset} bytes more than its index describes')
    images = files['images.bin']
    data = meta.get('data')
    if not isinstance(data, dict) or not isinstance(data.get('content'), list) or not isinstance(data.get('style'), list):
        _fail('run.json has no image sets')
    for what in ('content', 'style'):
        if not data[what]:
            _fail(f'Expected images in both sets, got {len(data["content"])} content and {len(data["style"])} style')
        for item in data[what]:
            ref = item.get('image') if isinstance(item, dict) else None
            if not isinstance(ref, dict) or not all(isinstance(ref.get(k), int) and ref[k] >= 0 for k in ('width', 'height', 'offset')) or ref['width'] == 0 or ref['height'] == 0:
                _fail(f'{what} image {item.get("name") if isinstance(item, dict) else "?"} has no valid size')
            if ref['offset'] + ref['width'] * ref['height'] * 4 > len(images):
                _fail(f'images.bin is too short for {what} image {item.get("name")}')
    return Run(meta=meta, networks=networks, optimizers=optimizers, images=images)


def pack_run(run: Run) -> bytes:
    """The run as a .zip the page imports: run.json re-indexed, tensors.bin rewritten in order,
    images.bin with the images added since reading appended."""
    tensors = io.BytesIO()

    def index(pairs):
        refs = []
        for name, values in pairs:
            tensors.write(values.detach().to(torch.float32).contiguous().cpu().numpy().tobytes())
            refs.append({'name': name, 'shape': list(values.shape)})
        return refs

    meta = dict(run.meta)
    meta['tensors'] = {
        'networks': {name: index(run.networks[name]) for name in NETWORKS[meta['config']['model']]},
        'optimizers': {'g': index(run.optimizers['g']), 'd': index(run.optimizers['d'])},
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr('run.json', json.dumps(meta))
        archive.writestr('tensors.bin', tensors.getvalue())
        archive.writestr('images.bin', run.images + b''.join(run.extra_images))
    return out.getvalue()


def add_image(run: Run, rgba: bytes, width: int, height: int) -> dict:
    """Appends an RGBA image to images.bin and returns its reference."""
    offset = len(run.images) + sum(len(b) for b in run.extra_images)
    if len(rgba) != width * height * 4:
        raise ValueError(f'Expected {width}×{height}×4 bytes, got {len(rgba)}')
    run.extra_images.append(bytes(rgba))
    return {'width': width, 'height': height, 'offset': offset}

