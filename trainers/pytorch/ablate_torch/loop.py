"""The training loop (src/train/train-loop.ts): AdamW, cosine schedule per epoch, early stopping,
best weights restored, a checkpoint after every epoch and on SIGTERM, and exact resume.

Batches are the built-in's: the same class-balanced plan from the same seed (rng.py is
ablate's generator bit for bit). Exact resume: everything random is drawn from generators
whose state is checkpointed (the batch plan's Rng, the torch generator of dropout, the
routing noise generator),
and the epoch's whole batch plan is drawn up front, so a job resumed after any epoch, or
after a SIGTERM between steps, runs the same steps in the same states as an uninterrupted
one (bit for bit on the CPU).
"""
import contextlib
import copy
import math
import os
import signal
import time

import torch

from .rng import Rng
from .util import derive_seed
from .util import torch_load


class Stopped(Exception):
    """SIGTERM arrived: the state is checkpointed; the process exits with 143."""


class StopFlag:
    def __init__(self):
        self.requested = False
        signal.signal(signal.SIGTERM, self._on_term)

    def _on_term(self, _signum, _frame):
        self.requested = True


def learning_rate_at(epoch, hp):
    if hp['schedule'] == 'constant':
        return hp['lr']
    t_max = hp.get('tMax') or hp['epochs']
    return hp['etaMin'] + (hp['lr'] - hp['etaMin']) * (1 + math.cos(math.pi * epoch / t_max)) / 2


def hyper_params(config):
    """A stage's training config with the schema's defaults (src/jobs/hyper.ts)."""
    config = config or {}
    lr = config.get('lr', 1e-4)
    return {
        'epochs': config.get('epochs', 20), 'lr': lr, 'weightDecay': config.get('weightDecay', 1e-4),
        'schedule': config.get('schedule', 'cosine'), 'etaMin': min(config.get('etaMin', 1e-5), lr),
        'patience': config.get('patience', 20), 'monitor': config.get('monitor', 'loss'),
        'batchSize': config.get('batchSize', 32), 'labelSmoothing': config.get('labelSmoothing', 0.2),
        'balanced': config.get('balanced', True), 'stepsPerEpoch': config.get('batchesPerEpoch'),
        'classPools': config.get('classPools', 'epoch'), 'validationNorm': config.get('validationNorm', 'recalibrate'),
        'tieBreak': config.get('tieBreak', 'first'),
    }


def batch_plan(labels, rng, hp, seed=None, epoch=0):
    """One epoch of rows: class-balanced (half bona fide, half spoof, each class from its own
    reshuffled cycle: balancedRowPlan's rows from the same rng state) or one shuffled pass.
    With classPools 'persistent' the class pools carry over between epochs: the k-th refill of a
    class is a permutation seeded by (seed, class, k) and epoch e starts where e - 1 stopped."""
    count = len(labels)
    size = hp['batchSize']
    steps = hp['stepsPerEpoch'] or max(1, -(-count // size))
    if not hp['balanced']:
        order = list(range(count))
        rng.shuffle(order)
        rows = [order[(s * size + i) % count] for s in range(steps) for i in range(size)]
        return [rows[s * size:(s + 1) * size] for s in range(steps)]
    bona = [r for r in range(count) if labels[r] == 1]
    spoof = [r for r in range(count) if labels[r] != 1]
    if not bona or not spoof:
        raise ValueError(f'class-balanced batches need both classes; the data has {len(bona)} bona fide and {len(spoof)} spoof items')
    cycles = {}
    half = size // 2
    if hp.get('classPools') == 'persistent':
        def pool(rows, name, first):
            draw = [first]
            refills = {}

            def take():
                k = draw[0] // len(rows)
                if k not in refills:
                    refills.clear()
                    refills[k] = Rng(derive_seed(derive_seed(seed, 'class-pool', name), k)).shuffle(list(rows))
                row = refills[k][draw[0] % len(rows)]
                draw[0] += 1
                return row
            return take
        take_bona = pool(bona, 'bonafide', epoch * steps * half)
        take_spoof = pool(spoof, 'spoof', epoch * steps * (size - half))
        return [[take_bona() for _ in range(half)] + [take_spoof() for _ in range(size - half)] for _ in range(steps)]

    def take(rows, name):
        order, at = cycles.get(name, ([], 0))
        if at >= len(order):
            order = list(rows)
            rng.shuffle(order)
            at = 0
        cycles[name] = (order, at + 1)
        return order[at]

    return [[take(bona, 'b') for _ in range(half)] + [take(spoof, 's') for _ in range(size - half)] for _ in range(steps)]


def save_checkpoint(directory, state):
    os.makedirs(directory, exist_ok=True)
    path = os.path.join(directory, 'state.pt')
    tmp = f'{path}.tmp-{os.getpid()}'
    torch.save(state, tmp)
    with open(tmp, 'rb') as f:
        os.fsync(f.fileno())
    os.replace(tmp, path)


def load_checkpoint(directory):
    path = os.path.join(directory, 'state.pt')
    return torch_load(path) if os.path.exists(path) else None


def rng_states(generators):
    out = {'torch': torch.get_rng_state(), 'generators': [g.get_state() for g in generators]}
    if torch.cuda.is_available():
        out['cuda'] = torch.cuda.get_rng_state_all()
    return out


def set_rng_states(states, generators):
    torch.set_rng_state(states['torch'])
    for g, s in zip(generators, states['generators']):
        g.set_state(s)
    if 'cuda' in states and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(states['cuda'])


def train_loop(*, model, parameters, hp, seed, labels, step_loss, validate, checkpoint_dir, fingerprint, events, stop, generators=(), device='cpu', amp=False):
    """Train `model`; `step_loss(rows, epoch)` is the loss of one batch in training mode, `validate(epoch)`
    returns {'loss', 'eer', ...} in inference mode. Returns the loop summary and history."""
    optimizer = torch.optim.AdamW(parameters, lr=hp['lr'], weight_decay=hp['weightDecay'])
    amp = amp and device != 'cpu'
    # torch.amp.GradScaler('cuda') where it exists (2.3+; torch.cuda.amp's is deprecated there), else 1.13's.
    scaler = torch.amp.GradScaler('cuda', enabled=amp) if hasattr(torch.amp, 'GradScaler') else torch.cuda.amp.GradScaler(enabled=amp)
    rng = Rng(seed)
    state = {'epoch': 0, 'best_metric': math.inf, 'best_epoch': -1, 'since': 0, 'stopped_early': False, 'history': [], 'best': None}
    plan, step, loss_sum, resumed_from = None, 0, 0.0, None
    saved = load_checkpoint(checkpoint_dir)
    if saved is not None:
        if saved['fingerprint'] != fingerprint:
            raise ValueError(f'checkpoint {checkpoint_dir} belongs to another job configuration; delete it to restart the job')
        model.load_state_dict(saved['model'])
        optimizer.load_state_dict(saved['optimizer'])
        scaler.load_state_dict(saved['scaler'])
        rng = Rng(state=saved['rng'])
        set_rng_states(saved['rng_states'], generators)
        state = saved['state']
        plan, step, loss_sum = saved['plan'], saved['step'], saved['loss_sum']
        resumed_from = state['epoch']

    def checkpoint():
        save_checkpoint(checkpoint_dir, {
            'fingerprint': fingerprint, 'model': model.state_dict(), 'optimizer': optimizer.state_dict(), 'scaler': scaler.state_dict(),
            'rng': rng.state, 'rng_states': rng_states(generators), 'state': state, 'plan': plan, 'step': step, 'loss_sum': loss_sum,
        })

    trained, train_seconds = 0, 0.0
    while state['epoch'] < hp['epochs'] and not state['stopped_early']:
        epoch = state['epoch']
        # Wall time of the epoch, validation included, as the built-in trainer's `seconds`
        # (an epoch resumed from a mid-epoch checkpoint counts only its resumed part).
        epoch_started = time.perf_counter()
        lr = learning_rate_at(epoch, hp)
        for group in optimizer.param_groups:
            group['lr'] = lr
        if plan is None:
            plan, step, loss_sum = batch_plan(labels, rng, hp, seed, epoch), 0, 0.0
        model.train()
        while step < len(plan):
            if stop.requested:
                checkpoint()
                raise Stopped()
            started = time.perf_counter()
            optimizer.zero_grad(set_to_none=True)
            with torch.autocast(device_type='cuda') if amp else contextlib.nullcontext():
                loss = step_loss(plan[step], epoch)
            value = float(loss.detach())
            if not math.isfinite(value):
                raise ValueError(f'training diverged: the loss is {value} at epoch {epoch}, step {step}. Lower training.lr or check the features for NaN/inf.')
            scaler.scale(loss).backward()
            scaler.step(optimizer)
            scaler.update()
            loss_sum += value
            if device != 'cpu':
                torch.cuda.synchronize()
            train_seconds += time.perf_counter() - started
            trained += len(plan[step])
            step += 1
            events.progress(epoch=epoch, epochs=hp['epochs'], step=step, steps=len(plan), loss=value)
        model.eval()
        validation = validate(epoch)
        metric = validation['eer'] if hp['monitor'] == 'eer' else validation['loss']
        # tieBreak 'loss': an epoch that ties the best on `monitor` wins with a lower validation loss.
        best_loss = next((r['metrics']['valLoss'] for r in state['history'] if r['epoch'] == state['best_epoch'] + 1), math.inf)
        improved = metric < state['best_metric'] or (hp.get('tieBreak') == 'loss' and metric == state['best_metric'] and validation['loss'] < best_loss)
        if improved:
            state.update(best_metric=metric, best_epoch=epoch, since=0, best=copy.deepcopy(model.state_dict()))
        else:
            state['since'] += 1
        record = {'epoch': epoch + 1, 'metrics': {'loss': loss_sum / len(plan), 'lr': lr, **{f'val{k[0].upper()}{k[1:]}': v for k, v in validation.items()}, 'seconds': time.perf_counter() - epoch_started}}
        state['history'].append(record)
        state['epoch'] = epoch + 1
        if hp['patience'] is not None and state['since'] >= hp['patience']:
            state['stopped_early'] = True
        plan, step, loss_sum = None, 0, 0.0
        checkpoint()
        events.epoch(record['epoch'], hp['epochs'], record['metrics'])
    if state['best'] is not None:
        model.load_state_dict(state['best'])
    if trained:
        # Training steps only (no validation, no features): what bench/gpu-pytorch.sh sums.
        print(f'ablate_torch: trained {trained} samples in {train_seconds:.3f} s ({trained / train_seconds:.1f} samples/s) on {device}', flush=True)
    return {'epochs': state['epoch'], 'bestEpoch': state['best_epoch'] + 1, 'bestMetric': state['best_metric'], 'stoppedEarly': state['stopped_early'], 'resumedFromEpoch': resumed_from, 'history': state['history']}


def recalibrate_batch_norm(model, run, count, batch_size, seed, max_items=None):
    """Precise BN (src/train/batch-norm-recalibration.ts): the moving statistics become the plain
    mean of the batch statistics over the training data under the current weights."""
    norms = [m for m in model.modules() if isinstance(m, torch.nn.modules.batchnorm._BatchNorm)]
    if not norms:
        return
    # The built-in's items and batches: Rng(seed).shuffle of all rows, cut to max_items.
    order = Rng(seed).shuffle(list(range(count)))
    order = order[:max_items] if max_items else order
    saved = [(m.momentum, m.training) for m in norms]
    torch_state = torch.get_rng_state()
    try:
        for m in norms:
            m.reset_running_stats()
            m.momentum = None  # cumulative average over the batches
            m.train()
        with torch.no_grad():
            for start in range(0, len(order) - 1, batch_size):
                rows = order[start:start + batch_size]
                if len(rows) >= 2:
                    run(rows)
    finally:
        torch.set_rng_state(torch_state)
        for m, (momentum, training) in zip(norms, saved):
            m.momentum = momentum
            m.train(training)
