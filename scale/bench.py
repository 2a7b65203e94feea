"""Median ms per training step, as ../shared/gpu/torch_ref.py times its own: batch 1, 3 warm-up
steps, then the median of the timed ones, the losses read back every step. Either a run file's
model and images, or settings (a .json of {name, config}, as bench/scaleConfigs.ts writes them)
with fresh networks and random images. --threads sets PyTorch's threads on the CPU (its default
is its own choice: one on some 2-core machines).

--turns keeps the model warm for another program to time in turns beside its own: after the
warm-up it prints `ready`, then for each line `THREADS SECONDS` read from stdin it trains that long
(at least two steps) on that many threads and prints the median ms per step.

    python -m scale.bench run.zip|settings.json [--steps 20] [--threads N] [--turns]
"""
import json
import argparse
import statistics
import sys
import time

import torch

from .data import ImageSet, run_image_sets
from .gan import Gan
from .runfile import read_run


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog='python -m scale.bench')
    parser.add_argument('run')
    parser.add_argument('--steps', type=int, default=20)
    parser.add_argument('--threads', type=int)
    parser.add_argument('--turns', action='store_true')
    args = parser.parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)
    device = torch.device('cuda') if torch.cuda.is_available() else torch.device('cpu')
    if args.run.endswith('.json'):
        with open(args.run) as f:
            settings = json.load(f)
        name, config = settings['name'], settings['config']
        gan = Gan(config, device)
        resolution = config['resolution']
        random = lambda: [torch.rand(3, resolution, resolution) * 255 for _ in range(8)]
        content, style = ImageSet(random(), resolution, False), ImageSet(random(), resolution, False)
    else:
        run = read_run(args.run)
        name, config = run.meta.get('name', 'run'), run.config
        gan = Gan(config, device)
        gan.load(run.networks, run.optimizers, run.step)
        resolution = config['resolution']
        content, style = run_image_sets(run, resolution, False)
    gan.use_colour_reference(content.centred().to(device), style.centred().to(device))
    a, b = content.centred()[:1].to(device), style.centred()[:1].to(device)

    def timed_step() -> float:
        if device.type == 'cuda':
            torch.cuda.synchronize()
        started = time.perf_counter()
        gan.train_step(a, b)  # reads every loss back, as the app and torch_ref.py do
        return (time.perf_counter() - started) * 1000

    for _ in range(3):
        timed_step()
    if args.turns:
        print('ready', flush=True)
        for line in sys.stdin:
            threads, seconds = line.split()
            torch.set_num_threads(int(threads))
            timed_step()  # the first step on a new thread count starts its threads
            times, end = [], time.perf_counter() + float(seconds)
            while len(times) < 2 or time.perf_counter() < end:
                times.append(timed_step())
            print(f'{statistics.median(times):.1f}', flush=True)
        return
    times = [timed_step() for _ in range(args.steps)]
    print(f'scale step name={name.replace(" ", "-")} model={config["model"]} px={resolution} ms={statistics.median(times):.1f} device={torch.cuda.get_device_name() if device.type == "cuda" else "cpu"} threads={torch.get_num_threads()}', flush=True)


if __name__ == '__main__':
    main()
