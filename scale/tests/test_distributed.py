"""Under DistributedDataParallel, two processes with one image each take the same step as one
process with both images: their gradients are averaged before Adam."""
import os
import socket
import tempfile
import unittest

import torch
import torch.distributed as dist
import torch.multiprocessing as mp

from scale.gan import Gan
from scale.runfile import read_run
from scale.tests.fixtures import nchw, norm_error, step_cases


def free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def one_rank(rank: int, world: int, port: int, path: str, fixture: dict, out: str) -> None:
    os.environ.update(MASTER_ADDR='127.0.0.1', MASTER_PORT=str(port))
    dist.init_process_group('gloo', rank=rank, world_size=world)
    run = read_run(path)
    gan = Gan(run.config)
    gan.load(run.networks, run.optimizers, run.step)
    gan.use_colour_reference(nchw(fixture['content']), nchw(fixture['style']))
    gan.distribute(torch.device('cpu'))
    a, b = halves(fixture)
    gan.train_step(a[rank:rank + 1], b[rank:rank + 1])
    if rank == 0:
        torch.save(gan.state(), out)
    dist.destroy_process_group()


def halves(fixture: dict):
    """Two images per domain: the fixture's, and the same image mirrored."""
    a, b = nchw(fixture['realA']), nchw(fixture['realB'])
    return torch.cat([a, a.flip(3)]), torch.cat([b, b.flip(3)])


class Distributed(unittest.TestCase):
    def test_two_processes_take_the_step_of_their_batches_together(self):
        for name, path, _, fixture in step_cases():
            if 'lsgan' not in name:
                continue
            with self.subTest(case=name), tempfile.TemporaryDirectory() as scratch:
                out = os.path.join(scratch, 'state.pt')
                mp.spawn(one_rank, args=(2, free_port(), path, fixture, out), nprocs=2, join=True)
                networks, _ = torch.load(out)
                run = read_run(path)
                together = Gan(run.config)
                together.load(run.networks, run.optimizers, run.step)
                together.use_colour_reference(nchw(fixture['content']), nchw(fixture['style']))
                together.train_step(*halves(fixture))
                expected, _ = together.state()
                # And not what one image alone would have given.
                alone = Gan(run.config)
                alone.load(run.networks, run.optimizers, run.step)
                alone.use_colour_reference(nchw(fixture['content']), nchw(fixture['style']))
                alone.train_step(*(t[:1] for t in halves(fixture)))
                single, _ = alone.state()
                for network, tensors in expected.items():
                    self.assertLess(norm_error(flat(networks[network]), flat(tensors)), 1e-4, network)
                    self.assertGreater(norm_error(flat(single[network]), flat(tensors)), 1e-4, network)


def flat(named: list) -> torch.Tensor:
    return torch.cat([t.reshape(-1) for _, t in named])

if __name__ == '__main__':
    unittest.main()
