"""Where the TypeScript core's fixtures are (scale/fixtures/parity.ts writes them; scripts/test-scale.js runs it)."""
import glob
import json
import os

import torch

FIXTURES = os.environ.get('SCALE_FIXTURES', '')


def cases():
    """(name, run file path, inputs and expected outputs) of every parity case."""
    paths = sorted(glob.glob(os.path.join(FIXTURES, '*.zip')))
    if not paths:
        raise RuntimeError(f'no parity fixtures in {FIXTURES!r}: run the tests with `npm run test:scale`, which writes them')
    for path in paths:
        with open(path[:-4] + '.json') as f:
            yield os.path.basename(path)[:-4], path, json.load(f)


def nchw(entry: dict) -> torch.Tensor:
    """An NHWC tensor of the fixtures as NCHW."""
    return torch.tensor(entry['values'], dtype=torch.float32).reshape(entry['shape']).permute(0, 3, 1, 2)


def plain(entry: dict) -> torch.Tensor:
    return torch.tensor(entry['values'], dtype=torch.float32).reshape(entry['shape'])


def relative_error(actual: torch.Tensor, expected: torch.Tensor) -> float:
    """Largest difference over the largest magnitude of the expected values."""
    return float((actual - expected).abs().max() / expected.abs().max().clamp_min(1e-12))


def step_cases():
    """(name, run file before, run file after, batches and expected losses) of every step case."""
    folder = os.path.join(FIXTURES, 'steps')
    paths = sorted(p for p in glob.glob(os.path.join(folder, '*.zip')) if not p.endswith('.after.zip'))
    if not paths:
        raise RuntimeError(f'no step fixtures in {folder!r}: run the tests with `npm run test:scale`, which writes them')
    for path in paths:
        with open(path[:-4] + '.json') as f:
            yield os.path.basename(path)[:-4], path, path[:-4] + '.after.zip', json.load(f)


def norm_error(actual: torch.Tensor, expected: torch.Tensor) -> float:
    """‖actual − expected‖ / ‖expected‖: a few coordinates that Adam moves by ±lr on a gradient
    that is float noise on both sides weigh what they are worth."""
    return float((actual - expected).norm() / expected.norm().clamp_min(1e-12))
