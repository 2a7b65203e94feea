"""The same weights give the same outputs in PyTorch as in the TypeScript core (tfjs `cpu`)."""
import unittest

import torch

from scale.networks import build_networks, load_weights, to_tfjs
from scale.runfile import read_run
from scale.tests.fixtures import cases, nchw, norm_error, plain, relative_error


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

    def test_every_network_has_the_same_gradients_as_tfjs(self):
        """The gradient of Σ output·upstream to every weight, as one vector per network (a weight
        whose gradient is zero in exact arithmetic holds float noise on both sides)."""
        for name, path, fixture in cases():
            run = read_run(path)
            images = nchw(fixture['images'])
            for network, module in build_networks(run.config).items():
                if network == 'nceHead':
                    continue
                with self.subTest(case=name, network=network):
                    load_weights(module, dict(run.networks[network]))
                    (module(images) * nchw(fixture['expected'][f'{network}Upstream'])).sum().backward()
                    layouts = {n: (p, layout) for n, p, layout in module.tfjs_parameters()}
                    expected = fixture['expected'][f'{network}Grads']
                    mine = torch.cat([to_tfjs(layouts[g['name']][0].grad, layouts[g['name']][1]).reshape(-1) for g in expected])
                    self.assertLess(norm_error(mine, torch.cat([plain(g).reshape(-1) for g in expected])), 1e-4)

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
