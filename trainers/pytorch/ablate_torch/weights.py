"""Weights in the built-in's naming: loading a tfjs model's variables into a PyTorch model.

A weight bundle is `<stem>.json` ([{name, shape, offset}], offsets in float32 values) and
`<stem>.bin` (little-endian float32), as tests/trainers/export-reference.ts writes them
from a TensorFlow.js model; names are the built-in's scoped names ("lcnn_conv1/kernel").
"""
import json
import struct

import torch


def read_bundle(stem):
    with open(f'{stem}.json', encoding='utf-8') as f:
        index = json.load(f)
    with open(f'{stem}.bin', 'rb') as f:
        raw = f.read()
    arrays = {}
    for entry in index:
        count = 1
        for d in entry['shape']:
            count *= d
        start = entry['offset'] * 4
        values = struct.unpack_from(f'<{count}f', raw, start)
        arrays[entry['name']] = torch.tensor(values, dtype=torch.float32).reshape(entry['shape'])
    return arrays


def tf_weight_map(model):
    """The built-in's variable name -> (torch tensor, converter from the tfjs layout) for every weight."""
    mapping = {}
    for module in model.modules():
        if hasattr(module, 'tf_weights') and hasattr(module, 'tf_name'):
            for suffix, tensor, convert in module.tf_weights():
                mapping[f'{module.tf_name}/{suffix}'] = (tensor, convert)
    return mapping


def load_tf_weights(model, arrays, source='weights'):
    """Assign every weight of `model` from `arrays` (name -> tensor in tfjs layout); all must be there."""
    mapping = tf_weight_map(model)
    missing = [name for name in mapping if name not in arrays]
    if missing:
        raise KeyError(f'{source} has no value for {missing[0]} (and {len(missing) - 1} more): saved from another model?')
    unused = [name for name in arrays if name not in mapping]
    with torch.no_grad():
        for name, (tensor, convert) in mapping.items():
            value = arrays[name]
            value = convert(value) if convert is not None else value
            if tuple(value.shape) != tuple(tensor.shape):
                raise ValueError(f'{source}: {name} is {tuple(value.shape)} after conversion, the model has {tuple(tensor.shape)}')
            tensor.copy_(value)
    return unused
