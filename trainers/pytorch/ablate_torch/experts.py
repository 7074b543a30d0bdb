"""The built-in's detector architectures (src/experts/*.ts), layer for layer.

Each expert maps its input ([batch, bins, frames] for spectral experts, [batch, samples]
for the raw-waveform one) to (embedding [batch, embeddingDim], logits [batch, 2]), logit 1
= bona fide, with the built-in's layer names so its weights load here (weights.py).
"""
import math

import torch
import torch.nn.functional as F
from torch import nn

from .layers import BatchNorm, Conv1dSame, Conv2dSame, Dense, max_feature_map

EXPERT_ARCHS = ('lcnn', 'resnet', 'sincnet')
DEFAULT_DEPTH = {'lcnn': [], 'resnet': [2, 2, 2, 2], 'sincnet': [2, 2]}
DEFAULT_EMBEDDING_ACTIVATION = {'lcnn': 'mfm', 'resnet': 'relu', 'sincnet': 'leaky-relu'}
RESNET_BASE_CHANNELS = 32
PYTORCH_LEAK = 0.01


def resolve_expert_spec(spec):
    """The spec with the built-in's defaults (src/config/expert-spec.ts)."""
    arch = spec['arch']
    if arch not in EXPERT_ARCHS:
        raise ValueError(f'expert arch: expected one of {", ".join(EXPERT_ARCHS)}, got {arch!r}')
    width = spec.get('width', 1)
    depth = list(spec.get('depth', DEFAULT_DEPTH[arch]))
    default_channels = [scaled_channels(RESNET_BASE_CHANNELS * 2 ** stage, width) for stage in range(len(depth))] if arch == 'resnet' else []
    channels = list(spec.get('channels', default_channels))
    if 'channels' in spec and (arch != 'resnet' or len(channels) != len(depth)):
        raise ValueError(f'expert channels: expected one channel count per resnet stage of depth {depth}, got {channels!r}')
    activation = spec.get('embeddingActivation', DEFAULT_EMBEDDING_ACTIVATION[arch])
    if (arch == 'lcnn') != (activation == 'mfm') or activation not in ('mfm', 'relu', 'leaky-relu', 'none'):
        raise ValueError(f'expert embeddingActivation: {activation!r} does not fit a {arch}')
    embedding_at = spec.get('embeddingAt', 'before-norm')
    if embedding_at not in ('before-norm', 'after-norm') or (embedding_at == 'after-norm' and arch != 'lcnn'):
        raise ValueError(f'expert embeddingAt: {embedding_at!r} does not fit a {arch} (after-norm is the LCNN\'s)')
    return {
        'arch': arch,
        'width': width,
        'depth': depth,
        'embeddingDim': spec.get('embeddingDim', 64),
        'dropout': spec.get('dropout', 0),
        'sampleRate': spec.get('sampleRate', 16000),
        'channels': channels,
        'embeddingActivation': activation,
        'embeddingAt': embedding_at,
    }


def embedding_activation(kind, x, leak):
    """src/experts/embedding.ts: the embedding's activation after its projection."""
    if kind == 'relu':
        return F.relu(x)
    if kind == 'leaky-relu':
        return F.leaky_relu(x, leak)
    return x


def scaled_channels(base, width, multiple_of=1):
    # JavaScript's Math.round rounds halves up; Python's round() rounds them to even.
    return max(multiple_of, int(math.floor(base * width / multiple_of + 0.5)) * multiple_of)


# The LCNN's layer table (src/experts/lcnn.ts): name, kernel, channels before MFM, pool after, BN after.
LCNN_CONVS = [
    ('conv1', 5, 64, True, False),
    ('conv2', 1, 64, False, True),
    ('conv3', 3, 96, True, True),
    ('conv4', 1, 96, False, True),
    ('conv5', 3, 128, True, False),
    ('conv6', 1, 128, False, True),
    ('conv7', 3, 64, False, True),
    ('conv8', 1, 64, False, True),
    ('conv9', 3, 64, False, False),
]
LCNN_POOLED = (16, 8)


class Lcnn(nn.Module):
    def __init__(self, spec, input_shape, name='lcnn'):
        super().__init__()
        if len(input_shape) != 2:
            raise ValueError(f'lcnn takes [bins, frames], got {list(input_shape)}')
        self.name = name
        self.embedding_dim = spec['embeddingDim']
        self.convs = nn.ModuleList()
        self.norms = nn.ModuleDict()
        self.pools = []
        channels = 1
        for layer, kernel, out, pool, norm in LCNN_CONVS:
            filters = scaled_channels(out, spec['width'], 2)
            self.convs.append(Conv2dSame(f'{name}_{layer}', channels, filters, kernel))
            channels = filters // 2
            self.pools.append(pool)
            if norm:
                self.norms[layer] = BatchNorm(f'{name}_{layer}_bn', channels)
        self.layer_names = [c[0] for c in LCNN_CONVS]
        self.dropout = nn.Dropout(spec['dropout']) if spec['dropout'] > 0 else None
        flat = LCNN_POOLED[0] * LCNN_POOLED[1] * channels
        self.fc1 = Dense(f'{name}_fc1', flat, 2 * self.embedding_dim)
        self.fc1_bn = BatchNorm(f'{name}_fc1_bn', self.embedding_dim)
        self.fc2 = Dense(f'{name}_fc2', self.embedding_dim, 2)
        self.after_norm = spec['embeddingAt'] == 'after-norm'

    def forward(self, x):
        x = x.unsqueeze(1)  # [batch, 1, bins, frames]
        for layer, conv, pool in zip(self.layer_names, self.convs, self.pools):
            x = max_feature_map(conv(x))
            if pool:
                x = F.max_pool2d(x, 2, 2)
            if layer in self.norms:
                x = self.norms[layer](x)
        x = F.adaptive_max_pool2d(x, LCNN_POOLED)
        # The built-in flattens NHWC: (height, width, channel) order, which fc1's rows follow.
        x = x.permute(0, 2, 3, 1).reshape(x.shape[0], -1)
        if self.dropout is not None:
            x = self.dropout(x)
        activated = max_feature_map(self.fc1(x))
        normed = self.fc1_bn(activated)
        return (normed if self.after_norm else activated), self.fc2(normed)


class ResnetBlock(nn.Module):
    def __init__(self, prefix, in_channels, channels, stride):
        super().__init__()
        self.conv1 = Conv2dSame(f'{prefix}_conv1', in_channels, channels, 3, stride, bias=False)
        self.bn1 = BatchNorm(f'{prefix}_bn1', channels)
        self.conv2 = Conv2dSame(f'{prefix}_conv2', channels, channels, 3, 1, bias=False)
        self.bn2 = BatchNorm(f'{prefix}_bn2', channels)
        self.proj = None
        if stride != 1 or channels != in_channels:
            self.proj = Conv2dSame(f'{prefix}_proj', in_channels, channels, 1, stride, bias=False)
            self.proj_bn = BatchNorm(f'{prefix}_proj_bn', channels)

    def forward(self, x):
        shortcut = x if self.proj is None else self.proj_bn(self.proj(x))
        y = F.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        return F.relu(y + shortcut)


class Resnet(nn.Module):
    """ResNet-18-style basic blocks, one stage per depth entry, 32 x 2^stage x width channels or the
    explicit `channels` (src/experts/resnet.ts)."""

    def __init__(self, spec, input_shape, name='resnet'):
        super().__init__()
        if len(input_shape) != 2:
            raise ValueError(f'resnet takes [bins, frames], got {list(input_shape)}')
        if not spec['depth']:
            raise ValueError('resnet depth: expected at least one stage')
        self.name = name
        self.embedding_dim = spec['embeddingDim']
        channels = spec['channels'][0]
        self.activation = spec['embeddingActivation']
        self.stem = Conv2dSame(f'{name}_stem', 1, channels, 3, 1, bias=False)
        self.stem_bn = BatchNorm(f'{name}_stem_bn', channels)
        blocks = []
        for stage, count in enumerate(spec['depth']):
            stage_channels = spec['channels'][stage]
            for block in range(count):
                stride = 2 if stage > 0 and block == 0 else 1
                blocks.append(ResnetBlock(f'{name}_s{stage + 1}b{block + 1}', channels, stage_channels, stride))
                channels = stage_channels
        self.blocks = nn.Sequential(*blocks)
        self.dropout = nn.Dropout(spec['dropout']) if spec['dropout'] > 0 else None
        self.embedding = Dense(f'{name}_embedding', channels, self.embedding_dim)
        self.logits = Dense(f'{name}_logits', self.embedding_dim, 2)

    def forward(self, x):
        x = F.relu(self.stem_bn(self.stem(x.unsqueeze(1))))
        x = self.blocks(x).mean(dim=(2, 3))
        if self.dropout is not None:
            x = self.dropout(x)
        embedding = embedding_activation(self.activation, self.embedding(x), PYTORCH_LEAK)
        return embedding, self.logits(embedding)


def _to_mel(hz):
    return 2595 * math.log10(1 + hz / 700)


def _from_mel(mel):
    return 700 * (10 ** (mel / 2595) - 1)


class SincConv(nn.Module):
    """SincNet's band-pass filters (src/experts/layers/sinc-conv.ts): only the cut-offs learn."""

    def __init__(self, tf_name, filters, kernel_size, sample_rate, min_low_hz=50, min_band_hz=50):
        super().__init__()
        if kernel_size % 2 != 1:
            raise ValueError(f'sinc kernel size must be odd, got {kernel_size}')
        self.tf_name = tf_name
        self.filters, self.kernel_size, self.sample_rate = filters, kernel_size, sample_rate
        self.min_low_hz, self.min_band_hz = min_low_hz, min_band_hz
        high = sample_rate / 2 - (min_low_hz + min_band_hz)
        edges = [_from_mel(_to_mel(30) + (_to_mel(high) - _to_mel(30)) * i / filters) for i in range(filters + 1)]
        self.low_hz = nn.Parameter(torch.tensor(edges[:-1], dtype=torch.float32))
        self.band_hz = nn.Parameter(torch.tensor([edges[i + 1] - edges[i] for i in range(filters)], dtype=torch.float32))
        half = (kernel_size - 1) // 2
        # Computed in double and rounded once, as the built-in fills its Float32Arrays.
        n = torch.tensor([2 * math.pi * (i - half) / sample_rate for i in range(half)], dtype=torch.float64).float()
        window = torch.tensor([0.54 - 0.46 * math.cos(2 * math.pi * i / kernel_size) for i in range(half)], dtype=torch.float64).float()
        self.register_buffer('n', n.view(1, half), persistent=False)
        self.register_buffer('window', window.view(1, half), persistent=False)

    def tf_weights(self):
        return [('low_hz', self.low_hz, None), ('band_hz', self.band_hz, None)]

    def filter_bank(self):
        low = self.min_low_hz + self.low_hz.abs()
        high = torch.clamp(low + self.min_band_hz + self.band_hz.abs(), self.min_low_hz, self.sample_rate / 2)
        band = high - low
        low_t = low.view(-1, 1) @ self.n
        high_t = high.view(-1, 1) @ self.n
        left = (torch.sin(high_t) - torch.sin(low_t)) / (self.n / 2) * self.window
        centre = (2 * band).view(-1, 1)
        bank = torch.cat([left, centre, left.flip(1)], 1) / (2 * band).view(-1, 1)
        return bank.unsqueeze(1)  # [filters, 1, taps]

    def forward(self, x):
        return F.conv1d(x, self.filter_bank())


class Sincnet(nn.Module):
    """The raw-waveform expert (src/experts/sincnet.ts): sinc filters, |.|, pool, BN, LeakyReLU 0.3,
    conv stages, global average + max pooling, a LeakyReLU embedding, the logits."""

    FILTERS, TAPS, POOL, LEAK = 32, 129, 3, 0.3

    def __init__(self, spec, input_shape, name='sincnet'):
        super().__init__()
        if len(input_shape) != 1:
            raise ValueError(f'sincnet takes [samples], got {list(input_shape)}')
        minimum = self.TAPS + self.POOL ** (len(spec['depth']) + 1)
        if input_shape[0] < minimum:
            raise ValueError(f'sincnet needs at least {minimum} samples, got {input_shape[0]}')
        self.name = name
        self.embedding_dim = spec['embeddingDim']
        filters = scaled_channels(self.FILTERS, spec['width'])
        self.sinc = SincConv(f'{name}_sinc', filters, self.TAPS, spec['sampleRate'])
        self.sinc_bn = BatchNorm(f'{name}_sinc_bn', filters)
        self.convs = nn.ModuleList()
        self.bns = nn.ModuleList()
        self.stage_ends = []
        channels = filters
        for stage, count in enumerate(spec['depth']):
            out = scaled_channels(32 * 2 ** stage, spec['width'])
            for block in range(count):
                bid = f's{stage + 1}b{block + 1}'
                self.convs.append(Conv1dSame(f'{name}_{bid}_conv', channels, out, 3))
                self.bns.append(BatchNorm(f'{name}_{bid}_bn', out))
                self.stage_ends.append(block == count - 1)
                channels = out
        self.dropout = nn.Dropout(spec['dropout']) if spec['dropout'] > 0 else None
        self.embedding_fc = Dense(f'{name}_embedding_fc', 2 * channels, self.embedding_dim)
        self.activation = spec['embeddingActivation']
        self.logits = Dense(f'{name}_logits', self.embedding_dim, 2)

    def forward(self, x):
        x = self.sinc(x.unsqueeze(1)).abs()
        x = F.leaky_relu(self.sinc_bn(F.max_pool1d(x, self.POOL, self.POOL)), self.LEAK)
        for conv, bn, end in zip(self.convs, self.bns, self.stage_ends):
            x = F.leaky_relu(bn(conv(x)), self.LEAK)
            if end:
                x = F.max_pool1d(x, self.POOL, self.POOL)
        x = torch.cat([x.mean(dim=2), x.amax(dim=2)], 1)
        if self.dropout is not None:
            x = self.dropout(x)
        embedding = embedding_activation(self.activation, self.embedding_fc(x), self.LEAK)
        return embedding, self.logits(embedding)


BUILDERS = {'lcnn': Lcnn, 'resnet': Resnet, 'sincnet': Sincnet}


def build_expert(spec, input_shape, name=None):
    resolved = resolve_expert_spec(spec)
    expert = BUILDERS[resolved['arch']](resolved, list(input_shape), name or resolved['arch'])
    expert.input_shape = list(input_shape)
    expert.spec = resolved
    return expert
