"""Adam as tfjs's AdamOptimizer runs it, with its state in tfjs's form: 'iter', then each
variable's first moments ('<name>/m'), then its second moments ('<name>/v')."""
import re

import torch

# tfjs's backend epsilon for float32.
EPSILON = 1e-7


class Adam:
    def __init__(self, named_params: list, beta1: float, beta2: float):
        """`named_params`: [(tfjs name, parameter)] in the order tfjs's optimiser meets them."""
        self.params = named_params
        self.beta1, self.beta2 = beta1, beta2
        self.iterations = 0
        self.m = {name: torch.zeros_like(p) for name, p in named_params}
        self.v = {name: torch.zeros_like(p) for name, p in named_params}

    def load(self, state: list, to_layout) -> None:
        """Takes a run file's optimiser state ([(name, tensor)]; moments in tfjs layout). tfjs
        restores moments by position (its variable names may carry a uniquifying suffix, as in
        'G_AtoB_conv2/kernel_2/m'), so they are matched by position here too, then checked."""
        if not state or state[0][0] != 'iter':
            raise ValueError('the optimiser state does not start with its iteration count')
        self.iterations = int(state[0][1].reshape(-1)[0].item())
        moments = state[1:]
        if not moments:
            return
        count = len(self.params)
        if len(moments) != 2 * count:
            raise ValueError(f'the optimiser state has {len(moments)} moments, expected {2 * count} for these settings')
        for i, (name, param) in enumerate(self.params):
            for suffix, store, (saved_name, value) in (('m', self.m, moments[i]), ('v', self.v, moments[count + i])):
                if re.sub(r'_\d+(/[mv])$', r'\1', saved_name) != f'{name}/{suffix}':
                    raise ValueError(f'the optimiser state has {saved_name} where {name}/{suffix} belongs')
                value = to_layout(name, value)
                if value.shape != param.shape:
                    raise ValueError(f'{saved_name} has shape {list(value.shape)}, which does not fit its weight')
                store[name] = value.clone().to(param.device)

    def state(self, to_tfjs) -> list:
        if self.iterations == 0:
            return [('iter', torch.tensor(0.0))]
        names = [name for name, _ in self.params]
        return [('iter', torch.tensor(float(self.iterations)))] + [(f'{n}/m', to_tfjs(n, self.m[n])) for n in names] + [(f'{n}/v', to_tfjs(n, self.v[n])) for n in names]

    @torch.no_grad()
    def step(self, grads: dict, learning_rate: float) -> None:
        """Applies {name: gradient}; tfjs's bias correction uses β^(t+1) with t steps taken before."""
        acc1 = self.beta1 ** (self.iterations + 1)
        acc2 = self.beta2 ** (self.iterations + 1)
        for name, param in self.params:
            grad = grads.get(name)
            if grad is None:
                continue
            m = self.m[name].mul_(self.beta1).add_(grad * (1 - self.beta1))
            v = self.v[name].mul_(self.beta2).add_(grad.square() * (1 - self.beta2))
            param.add_((m / (1 - acc1)) / ((v / (1 - acc2)).sqrt() + EPSILON) * -learning_rate)
        self.iterations += 1
