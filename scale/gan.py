"""One training step of CycleGAN and of CUT/FastCUT, as src/core/gan/cycleGan.ts and fastCut.ts
take it: the generators (and PatchNCE's head) with the discriminators fixed, then the
discriminators on the generators' fakes."""
import torch
from torch import nn
from torch.nn.parallel import DistributedDataParallel

from .adam import Adam
from .losses import colour_loss, colour_stats, colour_window, discriminator_loss, generator_adversarial_loss, l1, patch_nce_loss, sample_patch_ids
from .networks import build_networks, export_weights, load_weights, to_torch, to_tfjs
from .rng import Rng

LOSS_NAMES = ['dA', 'dB', 'advG', 'advF', 'cycleA', 'cycleB', 'idtG', 'idtF', 'nce', 'nceIdt', 'colourG', 'colourF', 'changeG', 'changeF', 'totalG']
GENERATOR_NETWORKS = {'cyclegan': ['genAB', 'genBA'], 'cut': ['genAB', 'nceHead'], 'fastcut': ['genAB', 'nceHead']}
DISCRIMINATOR_NETWORKS = {'cyclegan': ['discA', 'discB'], 'cut': ['discB'], 'fastcut': ['discB']}


def learning_rate_at(base: float, step: int, decay_start: int, total: int) -> float:
    """The base rate until decay_start, then linear decay reaching zero at total (schedule.ts)."""
    if step < decay_start:
        return base
    return base * max(0.0, 1 - (step - decay_start) / max(1, total - decay_start))


class ImagePool:
    """Past fakes shown to the discriminator (imagePool.ts): each image is itself or, half the
    time once the pool is full, an older one it replaces."""

    def __init__(self, capacity: int, rng: Rng):
        self.capacity, self.rng, self.images = capacity, rng, []

    def query(self, fakes: torch.Tensor) -> torch.Tensor:
        fakes = fakes.detach()
        if self.capacity == 0:
            return fakes
        chosen = []
        for image in fakes:
            if len(self.images) < self.capacity:
                self.images.append(image.clone())
                chosen.append(image)
            elif self.rng.next() < 0.5:
                slot = self.rng.int(self.capacity)
                chosen.append(self.images[slot])
                self.images[slot] = image.clone()
            else:
                chosen.append(image)
        return torch.stack(chosen)


class Side(nn.Module):
    """Networks that learn together; calling it runs `fn(networks)`, so that one forward of a
    DistributedDataParallel wrapper covers every use of them in the step."""

    def __init__(self, networks: dict):
        super().__init__()
        self.nets = nn.ModuleDict(networks)

    def forward(self, fn):
        return fn(self.nets)


class Gan:
    """A model's networks, both Adam optimisers and the step count, loaded from and saved to a run."""

    def __init__(self, config: dict, device: torch.device = torch.device('cpu')):
        self.config = config
        self.kind = config['model']
        self.networks = {name: net.to(device) for name, net in build_networks(config).items()}
        self.step_count = 0
        self.colour = None
        order = lambda names: [(n, p) for name in names for n, p, _ in self.networks[name].tfjs_parameters()]
        self.opt_g = Adam(order(GENERATOR_NETWORKS[self.kind]), config['beta1'], config['beta2'])
        self.opt_d = Adam(order(DISCRIMINATOR_NETWORKS[self.kind]), config['beta1'], config['beta2'])
        self.layouts = {n: layout for net in self.networks.values() for n, _, layout in net.tfjs_parameters()}
        # Each side of the step as one module: what DistributedDataParallel wraps under torchrun.
        self.g_side = Side({name: self.networks[name] for name in GENERATOR_NETWORKS[self.kind]})
        self.d_side = Side({name: self.networks[name] for name in DISCRIMINATOR_NETWORKS[self.kind]})
        self.run_g, self.run_d = self.g_side, self.d_side
        pool_rng = Rng(f'{config["seed"]}:pool')
        self.pools = {'A': ImagePool(config['poolSize'], pool_rng), 'B': ImagePool(config['poolSize'], pool_rng)}

    def load(self, networks: dict, optimizers: dict, step: int) -> None:
        """Weights and optimiser state as a run file holds them ([(name, tensor)] lists)."""
        for name, net in self.networks.items():
            load_weights(net, dict(networks[name]))
        for opt, names, which in ((self.opt_g, GENERATOR_NETWORKS[self.kind], 'g'), (self.opt_d, DISCRIMINATOR_NETWORKS[self.kind], 'd')):
            # Each optimiser meets the weights in the run file's order, as tfjs's did.
            params = {n: p for name in names for n, p, _ in self.networks[name].tfjs_parameters()}
            opt.params = [(n, params[n]) for name in names for n, _ in networks[name] if n in params]
            opt.load(optimizers[which], lambda n, t: to_torch(t, self.layouts[n]))
        self.step_count = step

    def state(self) -> tuple:
        """(networks, optimizers) in the run file's form, each list in tfjs's order."""
        networks = {}
        for name, net in self.networks.items():
            exported = export_weights(net)
            order = [n for n, _ in self.opt_g.params + self.opt_d.params if n in exported]
            networks[name] = [(n, exported[n]) for n in order]
        to_tfjs_named = lambda n, t: to_tfjs(t.detach().cpu(), self.layouts[n])
        return networks, {'g': self.opt_g.state(to_tfjs_named), 'd': self.opt_d.state(to_tfjs_named)}

    def use_colour_reference(self, content: torch.Tensor, style: torch.Tensor) -> None:
        """Every content and style image (NCHW, [-1, 1]) for the colour loss, and each set's statistics."""
        with torch.no_grad():
            self.colour = {'content': content, 'style': style, 'contentStats': colour_stats(content), 'styleStats': colour_stats(style)}

    def learning_rates(self) -> tuple:
        c = self.config
        return (learning_rate_at(c['learningRateG'], self.step_count, c['decayStartStep'], c['totalSteps']),
                learning_rate_at(c['learningRateD'], self.step_count, c['decayStartStep'], c['totalSteps']))

    def distribute(self, device: torch.device) -> None:
        """Wraps each side in DistributedDataParallel (after init_process_group): its backward
        averages the side's gradients over every process before Adam uses them."""
        ids = [device.index] if device.type == 'cuda' else None
        self.run_g = DistributedDataParallel(self.g_side, device_ids=ids, broadcast_buffers=False)
        self.run_d = DistributedDataParallel(self.d_side, device_ids=ids, broadcast_buffers=False)

    def _apply(self, opt: Adam, total: torch.Tensor, learning_rate: float) -> None:
        total.backward()
        grads = {}
        for name, param in opt.params:
            grads[name] = param.grad
            param.grad = None
        opt.step(grads, learning_rate)

    def train_step(self, real_a: torch.Tensor, real_b: torch.Tensor) -> dict:
        """One step on NCHW batches in [-1, 1]; returns the losses by name."""
        lr_g, lr_d = self.learning_rates()
        g_phase, d_phase = (self._cyclegan_g, self._cyclegan_d) if self.kind == 'cyclegan' else (self._cut_g, self._cut_d)
        # The discriminators judge the generators' fakes without learning from that judgement.
        self.d_side.requires_grad_(False)
        total, parts, fakes = self.run_g(lambda nets: g_phase(nets, real_a, real_b))
        self.d_side.requires_grad_(True)
        parts['totalG'] = total
        self._apply(self.opt_g, total, lr_g)
        d_total, d_parts = self.run_d(lambda nets: d_phase(nets, real_a, real_b, fakes))
        parts.update(d_parts)
        self._apply(self.opt_d, d_total, lr_d)
        self.step_count += 1
        return {name: float(parts[name]) if name in parts else 0.0 for name in LOSS_NAMES}

    def _cyclegan_g(self, nets, real_a, real_b):
        c = self.config
        g, f = nets['genAB'], nets['genBA']
        d_a, d_b = self.networks['discA'], self.networks['discB']
        kind, lam_cycle, lam_colour, lam_change = c['adversarialLoss'], c['lambdaCycle'], c['lambdaColour'], c['lambdaChange']
        lam_idt = lam_cycle * c['lambdaIdentity']
        n_a, n_b = real_a.shape[0], real_b.shape[0]
        if lam_idt > 0:
            fake_b, idt_b = g(torch.cat([real_a, real_b])).split([n_a, n_b])
            fake_a, idt_a = f(torch.cat([real_b, real_a])).split([n_b, n_a])
        else:
            fake_b, fake_a = g(real_a), f(real_b)
        zero = torch.zeros((), device=real_a.device)
        colour = self.colour if lam_colour > 0 else None
        terms = {
            'advG': generator_adversarial_loss(kind, d_b(fake_b)),
            'advF': generator_adversarial_loss(kind, d_a(fake_a)),
            'cycleA': l1(f(fake_b), real_a) * lam_cycle,
            'cycleB': l1(g(fake_a), real_b) * lam_cycle,
            'idtG': l1(idt_b, real_b) * lam_idt if lam_idt > 0 else zero,
            'idtF': l1(idt_a, real_a) * lam_idt if lam_idt > 0 else zero,
            'colourG': colour_loss(g.graded(colour_window(colour['content'], self.step_count)), colour['styleStats']) * lam_colour if colour and g.grade else zero,
            'changeG': l1(fake_b, g.graded(real_a)) * lam_change if lam_change > 0 and g.grade else zero,
            'changeF': l1(fake_a, f.graded(real_b)) * lam_change if lam_change > 0 and f.grade else zero,
            'colourF': colour_loss(f.graded(colour_window(colour['style'], self.step_count)), colour['contentStats']) * lam_colour if colour and f.grade else zero,
        }
        return sum(terms.values(), zero), terms, (fake_a.detach(), fake_b.detach())

    def _cyclegan_d(self, nets, real_a, real_b, fakes):
        kind = self.config['adversarialLoss']
        pooled_a, pooled_b = self.pools['A'].query(fakes[0]), self.pools['B'].query(fakes[1])
        real_logits_a, fake_logits_a = nets['discA'](torch.cat([real_a, pooled_a])).split([real_a.shape[0], pooled_a.shape[0]])
        real_logits_b, fake_logits_b = nets['discB'](torch.cat([real_b, pooled_b])).split([real_b.shape[0], pooled_b.shape[0]])
        d_a = discriminator_loss(kind, real_logits_a, fake_logits_a) * 0.5
        d_b = discriminator_loss(kind, real_logits_b, fake_logits_b) * 0.5
        return d_a + d_b, {'dA': d_a, 'dB': d_b}

    def _cut_g(self, nets, real_a, real_b):
        c = self.config
        g, head, d_b = nets['genAB'], nets['nceHead'], self.networks['discB']
        kind, lam_nce, lam_colour, lam_change = c['adversarialLoss'], c['lambdaNce'], c['lambdaColour'], c['lambdaChange']
        identity = self.kind == 'cut'
        n_a = real_a.shape[0]
        inputs = torch.cat([real_a, real_b]) if identity else real_a
        taps, generated = g.features(inputs)
        keys = [inputs] + taps
        queries = [generated] + g.features(generated, encode_only=True)[0]
        ids = sample_patch_ids(keys, Rng(f'{c["seed"]}:patches:{self.step_count}'))
        per_image = patch_nce_loss(head, queries, keys, ids)
        fake = generated[:n_a] if identity else generated
        weight = lam_nce / 2 if identity else lam_nce
        parts = {'advG': generator_adversarial_loss(kind, d_b(fake)), 'nce': per_image[:n_a].mean() * weight}
        if identity:
            parts['nceIdt'] = per_image[n_a:].mean() * weight
        if lam_colour > 0 and self.colour and g.grade:
            parts['colourG'] = colour_loss(g.graded(colour_window(self.colour['content'], self.step_count)), self.colour['styleStats']) * lam_colour
        if lam_change > 0 and g.grade:
            parts['changeG'] = l1(fake, g.graded(real_a)) * lam_change
        return sum(parts.values()), parts, fake.detach()

    def _cut_d(self, nets, real_a, real_b, fake):
        real_logits, fake_logits = nets['discB'](torch.cat([real_b, fake])).split([real_b.shape[0], fake.shape[0]])
        d_b = discriminator_loss(self.config['adversarialLoss'], real_logits, fake_logits) * 0.5
        return d_b, {'dB': d_b}
