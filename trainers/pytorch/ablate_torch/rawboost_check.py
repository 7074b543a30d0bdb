"""RawBoost against the built-in: `python3 -m ablate_torch.rawboost_check <dir>`.

Reads <dir>/rawboost.json (length, items, cases of item / seed / epoch / algorithm / cache /
sampleRate) and <dir>/waves.f32 (one waveform per item), augments each case through the trainer's own
Augmenter (a single waveform expert, so its epoch input is the augmented waveform itself) and
writes the outputs, case after case, to <dir>/torch.f32 for tests/trainers/pytorch-rawboost.test.ts
to compare with augmentWaveform's. Prints the torch version and the seconds it took.
"""
import json
import struct
import sys
import time

import torch

from .augment import Augmenter
from .data import Inputs


def main(directory):
    with open(f'{directory}/rawboost.json', encoding='utf-8') as f:
        spec = json.load(f)
    length, items = spec['length'], spec['items']
    with open(f'{directory}/waves.f32', 'rb') as f:
        raw = f.read()
    waves = torch.tensor(struct.unpack(f'<{len(items) * length}f', raw), dtype=torch.float32).reshape(len(items), length)
    started = time.time()
    outputs = []
    for case in spec['cases']:
        wave = waves[items.index(case['item'])].clone()
        config = {'rawboost': case['algorithm'], 'cache': case['cache']}
        train = Inputs([wave.unsqueeze(0)], [0], torch.zeros(1, dtype=torch.long), [case['item']])
        augmenter = Augmenter(config, case['seed'], [{'features': {'kind': 'waveform'}}], train, wave.unsqueeze(0), case['sampleRate'])
        outputs.append(augmenter.epoch(case['epoch'])[0][0].to(torch.float32).contiguous())
    with open(f'{directory}/torch.f32', 'wb') as f:
        values = torch.cat(outputs).tolist()
        f.write(struct.pack(f'<{len(values)}f', *values))
    print(json.dumps({'torch': torch.__version__, 'seconds': round(time.time() - started, 3)}))


if __name__ == '__main__':
    main(sys.argv[1])
