"""The same weights give the same outputs in PyTorch as in the TypeScript core (tfjs `cpu`)."""
import unittest

import torch

from scale.networks import build_networks, load_weights
from scale.runfile import read_run
from scale.tests.fixtures import cases, nchw, plain, relative_error


class NetworkParity(unittest.TestCase):
    def test_every_network_matches_tfjs(self):
        for name, path, fixture in cases():
            run = read_run(path)
            networks = build_networks(run.config)
            images = nchw(fixture['images'])
            for network, module in networks.items():
                with self.subTest(case=name, network=network):
                    load_weights(module, dict(run.networks[network]))
                    with torch.no_grad():
                        if network == 'nceHead':
                            outputs = module([plain(f) for f in fixture['expected']['nceHeadInputs']])
                            for output, expected in zip(outputs, fixture['expected']['nceHead']):
                                self.assertLess(relative_error(output, plain(expected)), 1e-4)
                        else:
                            output = module(images)
                            self.assertLess(relative_error(output, nchw(fixture['expected'][network])), 1e-4)

    def test_weights_go_back_to_tfjs_unchanged(self):
        from scale.networks import export_weights
        for name, path, _ in cases():
            run = read_run(path)
            for network, module in build_networks(run.config).items():
                with self.subTest(case=name, network=network):
                    original = dict(run.networks[network])
                    load_weights(module, original)
                    exported = export_weights(module)
                    self.assertEqual(sorted(exported), sorted(original))
                    for weight, value in exported.items():
                        self.assertTrue(torch.equal(value, original[weight]), weight)


if __name__ == '__main__':
    unittest.main()
