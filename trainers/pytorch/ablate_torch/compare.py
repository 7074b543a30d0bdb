"""Equivalence check against the built-in trainer: `python3 -m ablate_torch.compare <dir>`.

Front-end cases compare the torchaudio features here with the built-in's on one signal
(the control changes the pre-emphasis). Reads the reference cases tests/trainers/support/export-reference.ts wrote (manifest.json
and float32 bundles), builds each model here, loads the built-in's weights, runs the same
input in inference mode and prints one JSON object: case -> output -> max abs difference.
"""
import json
import sys

import torch

from .experts import build_expert
from .features import FrontEnd, fit_clip
from .loop import batch_plan
from .rng import Rng
from .gates import build_gate
from .layers import init_module_
from .mixture import Mixture
from .routing import resolve_routing_config, route
from .weights import load_tf_weights, read_bundle, tf_weight_map


def max_diff(a, b):
    return float((a.reshape(-1).double() - b.reshape(-1).double()).abs().max()) if a.numel() else 0.0


def run_draws(case, directory, load):
    """Crop windows and batch plans drawn here from the built-in's seeds (the control: another seed)."""
    io = read_bundle(f'{directory}/{case["name"]}.io')
    c = case['config']
    seed = c['seed'] if load else c['seed'] + 1
    rng = Rng(seed)
    plan = []
    for size, steps, balanced, pools, epoch in c['batches']:
        hp = {'batchSize': size, 'stepsPerEpoch': steps, 'balanced': balanced, 'classPools': pools}
        plan += [row for batch in batch_plan(c['labels'], rng, hp, seed, epoch) for row in batch]
    crops = [fit_clip(torch.arange(slack + 10, dtype=torch.float32), 10, 'random', i if load else i + '!')[0] for i in c['ids'] for slack in c['slacks']]
    tiles = [fit_clip(torch.arange(7, dtype=torch.float32), 10, 'random+tile', i if load else i + '!')[0] for i in c['ids']]
    return {'plan': max_diff(torch.tensor(plan, dtype=torch.float32), io['plan']), 'crops': max_diff(torch.stack(crops), io['crops']),
            'tiles': max_diff(torch.stack(tiles), io['tiles'])}


def run_case(case, directory, load=True):
    if case['kind'] == 'draws':
        return run_draws(case, directory, load)
    if case['kind'] == 'features':
        io = read_bundle(f'{directory}/{case["name"]}.io')
        config = case['config']['features'] if load else {**case['config']['features'], 'preEmphasis': 0.5}
        got = FrontEnd(config, case['config']['sampleRate'])(io['input0'])
        return {'features': max_diff(got.reshape(io['features'].shape), io['features'])}
    weights = read_bundle(f'{directory}/{case["name"]}.weights') if load else None
    io = read_bundle(f'{directory}/{case["name"]}.io')
    config = case['config']
    got = {}
    if case['kind'] == 'expert':
        model = build_expert(config['spec'], config['shape'], name=config['name'])
        load_tf_weights(model, weights, case['name']) if load else None
        init_module_(model, torch.Generator().manual_seed(1)) if not load else None
        model.eval()
        with torch.no_grad():
            got['embedding'], got['logits'] = model(io['input0'])
    elif case['kind'] == 'gate':
        experts = len(config['embeddingDims'])
        gate = build_gate(config['gate'], experts, noisy=config['noisy'], embedding_dims=config['embeddingDims'], standard_shape=config['standardShape'])
        load_tf_weights(gate, weights, case['name']) if load else None
        init_module_(gate, torch.Generator().manual_seed(1)) if not load else None
        gate.eval()
        inputs = [io[f'input{i}'] for i in range(experts if gate.enhanced else 1)]
        with torch.no_grad():
            got['gate_logits'], noise_std = gate(inputs)
            if noise_std is not None:
                got['noise_std'] = noise_std
            for r in config['routings']:
                routed = route(got['gate_logits'], resolve_routing_config(r['routing'], experts), False)
                got[f'weights_{r["name"]}'] = routed['weights']
    else:
        experts = [build_expert(e['spec'], config['shapes'][e['input']], name=e['name']) for e in config['experts']]
        mixture = Mixture(experts, [e['input'] for e in config['experts']], gate=config['gate'], routing=config['routing'], moe=config['moe'], label_smoothing=config['labelSmoothing'])
        load_tf_weights(mixture, weights, case['name']) if load else None
        init_module_(mixture, torch.Generator().manual_seed(1)) if not load else None
        mixture.eval()
        inputs = [io[f'input{i}'] for i in range(len(config['shapes']))]
        with torch.no_grad():
            out = mixture(inputs)
            terms = mixture.loss_terms(out, io['labels'].long())
        got = {'log_probs': out['log_probs'], 'gate_logits': out['gate_logits'], 'weights': out['routed']['weights']}
        got.update({f'loss_{k}': v for k, v in terms.items()})
        if 'train_loss' in case['outputs']:
            # Training mode: batch statistics, then the gradient of every trainable weight, in the built-in's layout.
            mixture.train()
            mixture.zero_grad()
            loss = mixture.loss_terms(mixture(inputs), io['labels'].long())['total']
            loss.backward()
            got['train_loss'] = loss.detach()
            grads = read_bundle(f'{directory}/{case["name"]}.grads')
            worst = 0.0
            for name, (tensor, convert) in tf_weight_map(mixture).items():
                if name not in grads:
                    continue
                reference = convert(grads[name]) if convert is not None else grads[name]
                mine = tensor.grad if tensor.grad is not None else torch.zeros_like(tensor)
                worst = max(worst, max_diff(mine, reference))
            got['train_grads'] = torch.tensor([worst])
            io['train_grads'] = torch.tensor([0.0])
    return {name: max_diff(got[name], io[name]) for name in case['outputs']}


def main(argv):
    if len(argv) != 1:
        print('usage: python3 -m ablate_torch.compare <reference dir>', file=sys.stderr)
        return 2
    directory = argv[0]
    with open(f'{directory}/manifest.json', encoding='utf-8') as f:
        cases = json.load(f)
    torch.set_num_threads(1)
    torch.manual_seed(0)
    # The control: the same models with their own initial weights, which must NOT match
    # (a comparison that passes without loading anything proves nothing).
    result = {
        'torch': torch.__version__,
        'cases': {case['name']: run_case(case, directory) for case in cases},
        'control': {case['name']: run_case(case, directory, load=False) for case in cases},
    }
    print(json.dumps(result))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
