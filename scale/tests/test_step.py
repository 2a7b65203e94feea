"""One training step from the same state gives the same losses and weights in PyTorch as in the
TypeScript core (tfjs `cpu`): CycleGAN and FastCUT, every adversarial loss and upsampling mode."""
import re
import unittest

import torch

from scale.gan import Gan
from scale.runfile import read_run
from scale.tests.fixtures import nchw, norm_error, step_cases


class StepParity(unittest.TestCase):
    def test_one_step_matches_tfjs(self):
        for name, before_path, after_path, fixture in step_cases():
            with self.subTest(case=name):
                before, after = read_run(before_path), read_run(after_path)
                gan = Gan(before.config)
                gan.load(before.networks, before.optimizers, before.step)
                gan.use_colour_reference(nchw(fixture['content']), nchw(fixture['style']))
                losses = gan.train_step(nchw(fixture['realA']), nchw(fixture['realB']))
                for loss, expected in fixture['losses'].items():
                    self.assertLess(abs(losses[loss] - expected), 1e-3 * max(1.0, abs(expected)), f'{loss}: {losses[loss]} against {expected}')
                networks, optimizers = gan.state()
                self.assertEqual(gan.step_count, after.step)
                # Whole networks and optimiser states: a weight whose gradient is zero in exact
                # arithmetic (an instance norm's β right before another instance norm) gets Adam
                # steps of ±lr from float noise on both sides, which only the whole can weigh.
                for network, tensors in after.networks.items():
                    mine = dict(networks[network])
                    self.assertEqual(list(mine), [n for n, _ in tensors])
                    self.assertLess(norm_error(flat([mine[n] for n, _ in tensors]), flat([t for _, t in tensors])), 1e-3, network)
                for which in ('g', 'd'):
                    expected = after.optimizers[which]
                    self.assertEqual([n for n, _ in optimizers[which]], [unsuffixed(n) for n, _ in expected])
                    mine = [t.reshape(e.shape) for (_, t), (_, e) in zip(optimizers[which], expected)]
                    self.assertLess(norm_error(flat(mine), flat([e for _, e in expected])), 1e-3, f'optimiser {which}')


def flat(tensors) -> torch.Tensor:
    return torch.cat([t.reshape(-1) for t in tensors])


def unsuffixed(name: str) -> str:
    """A moment's name without the suffix tfjs adds to a variable name it has seen before."""
    return re.sub(r'_\d+(/[mv])$', r'\1', name)

if __name__ == '__main__':
    unittest.main()
