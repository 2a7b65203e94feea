"""Continues a run file from the page in PyTorch, on whatever it is started on, and writes a run
file the page imports and continues:

    python -m scale.train run.zip --out run-out.zip [--steps N --resolution R --batch B]
    torchrun --nproc_per_node=N -m scale.train run.zip --out run-out.zip ...

Under torchrun each process draws its own unpaired batches of B images and each side of the
step (generators, discriminators) runs under DistributedDataParallel, which averages their
gradients over the processes before Adam (NCCL on GPUs, Gloo on the CPU): a step learns from
N·B images. A file that cannot be used gets a one-line reason and
exit code 2, and nothing is written.
"""
import argparse
import datetime
import os
import sys
import time

import torch
import torch.distributed as dist

from .data import ImageSet, run_image_sets, to_rgba
from .gan import LOSS_NAMES, Gan
from .history import append
from .runfile import RunFileError, add_image, pack_run, read_run

PREVIEW_IMAGES = 3


def refuse(message: str) -> None:
    print(f'scale.train: {message}', file=sys.stderr)
    sys.exit(2)


def arguments(argv):
    parser = argparse.ArgumentParser(prog='python -m scale.train', description='Continue a GAN Style Studio run in PyTorch.')
    parser.add_argument('run', help='the run file the page downloaded (.zip)')
    parser.add_argument('--out', required=True, help='where to write the continued run (.zip), for the page to import')
    parser.add_argument('--steps', type=int, default=1000, help='steps to train (default 1000)')
    parser.add_argument('--resolution', type=int, help="image size in pixels (default: the run's)")
    parser.add_argument('--batch', type=int, help="images per process and step (default: the run's batch size)")
    return parser.parse_args(argv)


def settings(run, args) -> dict:
    """The run's settings with the command line's changes, checked as the page checks them."""
    config = dict(run.config)
    if args.steps < 1:
        refuse(f'--steps must be at least 1, got {args.steps}')
    if args.resolution is not None:
        min_side = 2 ** config['discLayers'] * 4
        if args.resolution % 4 or args.resolution < min_side:
            refuse(f'--resolution must be a multiple of 4 and at least {min_side} for these networks, got {args.resolution}')
        config['resolution'] = args.resolution
    if args.batch is not None:
        if args.batch < 1:
            refuse(f'--batch must be at least 1, got {args.batch}')
        config['batchSize'] = args.batch
    return config


def main(argv=None) -> None:
    args = arguments(argv)
    world = int(os.environ.get('WORLD_SIZE', '1'))
    rank = int(os.environ.get('RANK', '0'))
    local = int(os.environ.get('LOCAL_RANK', '0'))
    # Everything is checked before any process starts training or anything is written.
    try:
        run = read_run(args.run)
    except RunFileError as error:
        refuse(str(error))
    config = settings(run, args)
    device = torch.device(f'cuda:{local}') if torch.cuda.is_available() else torch.device('cpu')
    gan = Gan(config, device)
    try:
        gan.load(run.networks, run.optimizers, run.step)
    except ValueError as error:
        refuse(f"the run's tensors do not fit its settings: {error}")
    content, style = run_image_sets(run, config['resolution'], config['augment'])
    gan.use_colour_reference(content.centred().to(device), style.centred().to(device))

    if world > 1:
        dist.init_process_group('nccl' if device.type == 'cuda' else 'gloo')
        if device.type == 'cuda':
            torch.cuda.set_device(device)
        gan.distribute(device)

    # Each process draws its own batches; the run's seed, the step and the rank decide them.
    generator = torch.Generator().manual_seed(hash((config['seed'], run.step, rank)) % 2 ** 63)
    history = run.meta['history']
    batch = config['batchSize']
    started = last_report = time.time()
    if rank == 0:
        print(f'scale.train: {config["model"]} from step {run.step}, {args.steps} steps at {config["resolution"]} px, '
              f'{world} process{"es" if world > 1 else ""} × batch {batch} on {device.type}', flush=True)
    for _ in range(args.steps):
        real_a = content.batch(torch.randint(len(content), (batch,), generator=generator).tolist(), generator).to(device)
        real_b = style.batch(torch.randint(len(style), (batch,), generator=generator).tolist(), generator).to(device)
        losses = gan.train_step(real_a, real_b)
        if world > 1:
            values = torch.tensor([losses[n] for n in LOSS_NAMES], device=device)
            dist.all_reduce(values)
            losses = dict(zip(LOSS_NAMES, (values / world).tolist()))
        if rank == 0:
            history = append(history, gan.step_count, losses)
            if time.time() - last_report > 10:
                last_report = time.time()
                rate = (gan.step_count - run.step) / (last_report - started)
                print(f'step {gan.step_count}: G {losses["totalG"]:.3f}, D {losses["dA"] + losses["dB"]:.3f}, {rate:.2f} steps/s', flush=True)
    seconds = time.time() - started
    if rank == 0:
        write(run, gan, config, history, content, style, args.out)
        print(f'scale.train: wrote {args.out} at step {gan.step_count}: {args.steps} steps in {seconds:.1f} s, '
              f'{args.steps / seconds:.2f} steps/s, {args.steps * batch * world / seconds:.2f} images/s', flush=True)
    if world > 1:
        dist.barrier()
        dist.destroy_process_group()


@torch.no_grad()
def previews(run, gan, content: ImageSet, style: ImageSet) -> dict:
    """Translations of the first images of each set, as the page's previews show them."""
    def pairs(images, generator):
        inputs = images.centred()[:PREVIEW_IMAGES].to(next(generator.parameters()).device)
        outputs = generator(inputs)
        size = images.resolution
        return [{'input': add_image(run, to_rgba(i), size, size), 'output': add_image(run, to_rgba(o), size, size)} for i, o in zip(inputs, outputs)]

    report = {'step': gan.step_count, 'aToB': pairs(content, gan.networks['genAB']), 'bToA': []}
    if 'genBA' in gan.networks:
        report['bToA'] = pairs(style, gan.networks['genBA'])
    return report


def write(run, gan, config, history, content, style, out: str) -> None:
    """The continued run, written whole to a temporary file, then moved into place."""
    networks, optimizers = gan.state()
    run.networks, run.optimizers = networks, optimizers
    meta = run.meta
    meta['step'] = gan.step_count
    meta['config'] = config
    meta['history'] = history
    meta['previews'] = list(meta.get('previews', [])) + [previews(run, gan, content, style)]
    meta['savedAt'] = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec='milliseconds').replace('+00:00', 'Z')
    partial = f'{out}.partial'
    with open(partial, 'wb') as f:
        f.write(pack_run(run))
    os.replace(partial, out)


if __name__ == '__main__':
    main()
