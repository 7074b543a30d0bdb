"""Seeds, canonical JSON and atomic writes, as ablate does them (src/util/)."""
import hashlib
import json
import os


def derive_seed(*parts):
    """ablate's deriveSeed: the first 4 bytes (little-endian) of sha256 of the parts joined by NUL."""
    digest = hashlib.sha256('\0'.join(str(p) for p in parts).encode('utf-8')).digest()
    return int.from_bytes(digest[:4], 'little')


def canonical_json(value):
    """Sorted keys, no spaces: RFC 8785 for the values job inputs hold (strings, integers, plain floats)."""
    return json.dumps(value, sort_keys=True, separators=(',', ':'), ensure_ascii=False)


def write_atomic(path, data, mode='w'):
    """Write to a temporary file and rename it over `path`: a reader sees the old file or the whole new one."""
    tmp = f'{path}.tmp-{os.getpid()}'
    with open(tmp, mode + ('b' if isinstance(data, bytes) else ''), **({} if isinstance(data, bytes) else {'encoding': 'utf-8'})) as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def torch_load(path):
    """torch.load of a file this trainer wrote itself (checkpoints, models, feature caches).
    weights_only=False explicitly: PyTorch 2.6 made True the default, which refuses the
    Python objects a checkpoint holds (the batch generator's state); 1.13 takes the flag too."""
    import torch

    return torch.load(path, map_location='cpu', weights_only=False)
