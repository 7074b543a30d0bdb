"""The items of a job as tensors: one feature tensor per distinct front end its experts use."""
import hashlib
import os

import torch

from .features import FrontEnd, fit_clip, load_audio
from .util import torch_load, canonical_json


class Inputs:
    """tensors[j]: [count, ...itemShape] of front end j; index[i]: the front end expert i reads."""

    def __init__(self, tensors, index, labels, ids):
        self.tensors, self.index, self.labels, self.ids = tensors, index, labels, ids

    @property
    def count(self):
        return len(self.ids)


def feature_inputs(experts, items, data, crop, cache_dir=None, progress=None):
    keys, index = [], []
    for expert in experts:
        key = canonical_json(expert['features'])
        if key not in keys:
            keys.append(key)
        index.append(keys.index(key))
    sample_rate = data.get('sampleRate', 16000)
    clip = int(round(data.get('clipSeconds', 3) * sample_rate))
    tensors = []
    for key in keys:
        config = next(e['features'] for e in experts if canonical_json(e['features']) == key)
        tensors.append(_features(config, items, sample_rate, clip, crop, cache_dir, progress))
    labels = torch.tensor([1 if item['label'] == 'bonafide' else 0 for item in items], dtype=torch.long)
    return Inputs(tensors, index, labels, [item['id'] for item in items])


def _features(config, items, sample_rate, clip, crop, cache_dir, progress):
    # Cached per (front end, clip policy, files): every job of a sweep needs the same few sets.
    identity = canonical_json({'f': config, 'sr': sample_rate, 'clip': clip, 'crop': crop, 'items': [[i['id'], i['path']] for i in items], 'v': 1})
    path = None
    if cache_dir is not None:
        path = os.path.join(cache_dir, hashlib.sha256(identity.encode()).hexdigest()[:32] + '.pt')
        if os.path.exists(path):
            try:
                return torch_load(path)
            except Exception:  # a torn or foreign file: recompute it
                pass
    front = FrontEnd(config, sample_rate)
    out = []
    for n, item in enumerate(items):
        try:
            samples = load_audio(item['path'], sample_rate)
        except Exception as error:
            raise RuntimeError(f'cannot read {item["path"]} (item {item["id"]}): {error}') from error
        # The crop key is the item id (as the built-in's): not the path, which moves with the results folder.
        out.append(front(fit_clip(samples, clip, crop, item['id'])))
        if progress is not None and (n + 1) % 200 == 0:
            progress(f'features {n + 1}/{len(items)}')
    tensor = torch.stack(out) if out else torch.zeros(0)
    if path is not None:
        os.makedirs(cache_dir, exist_ok=True)
        tmp = f'{path}.tmp-{os.getpid()}'
        torch.save(tensor, tmp)
        os.replace(tmp, path)
    return tensor
