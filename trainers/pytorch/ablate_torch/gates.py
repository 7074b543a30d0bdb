"""The built-in's gating networks (src/gates/*.ts): MLP and transformer, standard and enhanced input.

A gate maps what it sees to one logit per expert, and for noisy top-k also the noise scale
softplus(x W_noise). Enhanced input: the experts' embeddings (a list of [batch, d_i]);
standard input: the first expert's input ([batch, bins, frames] or [batch, samples]).
"""
import torch
import torch.nn.functional as F
from torch import nn

from .layers import BatchNorm, Dense, LayerNorm

GATE_LEAK = 0.01  # nn.LeakyReLU's default slope, the authors' gates' choice
STANDARD_GATE_TOKENS = 8
FEED_FORWARD_MULTIPLE = 4
GATE_DEFAULTS = {'type': 'mlp', 'input': 'enhanced', 'hidden': 64, 'dim': 32, 'layers': 2, 'heads': 2, 'dropout': 0.2}


def resolve_gate_config(config):
    merged = {**GATE_DEFAULTS, **(config or {})}
    if merged['type'] not in ('mlp', 'transformer'):
        raise ValueError(f'gate.type: expected "mlp" or "transformer", got {merged["type"]!r}')
    if merged['input'] not in ('standard', 'enhanced', 'concat'):
        raise ValueError(f'gate.input: expected "standard", "enhanced" or "concat", got {merged["input"]!r}')
    if merged['input'] == 'concat' and merged['type'] == 'transformer':
        raise ValueError('gate.input: concat is for the mlp gate (a transformer reads tokens of one width)')
    if merged['type'] == 'transformer' and merged['dim'] % merged['heads'] != 0:
        raise ValueError(f'gate.heads: expected a divisor of gate.dim ({merged["dim"]}), got {merged["heads"]}')
    # No default in GATE_DEFAULTS: it follows dim (src/config/gate-config.ts).
    merged['feedForward'] = merged.get('feedForward') or FEED_FORWARD_MULTIPLE * merged['dim']
    return merged


def segments_for(item_shape, segments):
    """Segments actually used: never more than there are frames (or samples)."""
    return max(1, min(segments, item_shape[-1]))


def token_features(item_shape, segments):
    if len(item_shape) == 1:
        return item_shape[0] // segments
    bins = 1
    for d in item_shape[:-1]:
        bins *= d
    return 2 * bins


def standard_summary(x, segments):
    """StandardSummary (src/gates/layers/standard-summary.ts): spectral items -> per-segment per-bin
    mean and (population) standard deviation, [batch, segments, 2 x bins]; waveforms -> the
    samples cut into equal segments, the remainder dropped."""
    batch = x.shape[0]
    if x.dim() == 2:
        length = x.shape[1] // segments
        return x[:, : length * segments].reshape(batch, segments, length)
    frames = x.shape[-1]
    flat = x.reshape(batch, -1, frames)
    tokens = []
    for s in range(segments):
        part = flat[:, :, (s * frames) // segments:((s + 1) * frames) // segments]
        mean = part.mean(dim=2)
        # tf.moments: the mean of squared deviations (biased), then sqrt.
        variance = ((part - mean.unsqueeze(2)) ** 2).mean(dim=2)
        tokens.append(torch.cat([mean, variance.sqrt()], 1))
    return torch.stack(tokens, 1)


class CrossTerm(nn.Module):
    """The Enhanced MoE's cross term: product of the experts' projections times a learned vector."""

    def __init__(self, tf_name, dim):
        super().__init__()
        self.tf_name = tf_name
        self.scale = nn.Parameter(torch.ones(dim))

    def tf_weights(self):
        return [('scale', self.scale, None)]

    def forward(self, tokens):
        product = tokens[:, 0]
        for e in range(1, tokens.shape[1]):
            product = product * tokens[:, e]
        return product * self.scale

    def reset_seeded(self, generator):
        with torch.no_grad():
            self.scale.fill_(1)


class EnhancedTokens(nn.Module):
    """Each embedding through its own Linear(d_i -> dim), one batch norm over all experts' projections,
    LeakyReLU, then the cross term as one more token: [batch, experts + 1, dim]."""

    def __init__(self, prefix, dims, dim):
        super().__init__()
        self.projections = nn.ModuleList([Dense(f'{prefix}_proj{i}', d, dim) for i, d in enumerate(dims)])
        self.bn = BatchNorm(f'{prefix}_proj_bn', dim)
        self.cross = CrossTerm(f'{prefix}_cross', dim)

    def forward(self, embeddings):
        tokens = torch.stack([p(e) for p, e in zip(self.projections, embeddings)], 1)
        # Statistics over batch and experts together: the channel axis goes to 1 for BatchNorm.
        tokens = F.leaky_relu(self.bn(tokens.transpose(1, 2)).transpose(1, 2), GATE_LEAK)
        return torch.cat([tokens, self.cross(tokens).unsqueeze(1)], 1)


class Heads(nn.Module):
    def __init__(self, prefix, features, experts, noisy):
        super().__init__()
        self.logits = Dense(f'{prefix}_logits', features, experts)
        self.noise = None
        if noisy:
            self.noise = Dense(f'{prefix}_noise', features, experts)
            self.noise.zero_init = True  # W_noise starts at zero (Shazeer et al. 2017)
            with torch.no_grad():
                self.noise.weight.zero_()
                self.noise.bias.zero_()

    def forward(self, x):
        return self.logits(x), (F.softplus(self.noise(x)) if self.noise is not None else None)


class MlpGate(nn.Module):
    """FC(hidden) -> dropout -> batch norm -> LeakyReLU -> one logit per expert (src/gates/mlp-gate.ts)."""

    def __init__(self, config, experts, noisy, embedding_dims=None, standard_shape=None, name='gate'):
        super().__init__()
        self.name, self.config, self.enhanced = name, config, config['input'] != 'standard'
        self.concat = config['input'] == 'concat'
        if self.concat:
            features = sum(embedding_dims)
        elif self.enhanced:
            self.tokens = EnhancedTokens(name, embedding_dims, config['dim'])
            features = (len(embedding_dims) + 1) * config['dim']
        else:
            self.standard_shape = list(standard_shape)
            features = token_features(self.standard_shape, 1)
        self.fc1 = Dense(f'{name}_fc1', features, config['hidden'])
        self.dropout = nn.Dropout(config['dropout'])
        self.bn = BatchNorm(f'{name}_bn', config['hidden'])
        self.heads = Heads(name, config['hidden'], experts, noisy)

    def forward(self, inputs):
        if self.concat:
            features = torch.cat(list(inputs), 1)
        elif self.enhanced:
            features = self.tokens(inputs).flatten(1)
        else:
            features = standard_summary(inputs[0], 1).flatten(1)
        x = F.leaky_relu(self.bn(self.dropout(self.fc1(features))), GATE_LEAK)
        return self.heads(x)


class SelfAttention(nn.Module):
    """nn.MultiheadAttention's computation with the built-in's [dim, dim] kernels (x K + b)."""

    def __init__(self, tf_name, dim, heads):
        super().__init__()
        self.tf_name, self.heads, self.dim = tf_name, heads, dim
        self.q_w, self.k_w, self.v_w, self.o_w = (nn.Parameter(torch.empty(dim, dim)) for _ in range(4))
        self.q_b, self.k_b, self.v_b, self.o_b = (nn.Parameter(torch.zeros(dim)) for _ in range(4))
        for w in (self.q_w, self.k_w, self.v_w, self.o_w):
            nn.init.xavier_uniform_(w)

    def tf_weights(self):
        out = []
        for tf_part, w, b in (('query', self.q_w, self.q_b), ('key', self.k_w, self.k_b), ('value', self.v_w, self.v_b), ('output', self.o_w, self.o_b)):
            out += [(f'{tf_part}_kernel', w, None), (f'{tf_part}_bias', b, None)]
        return out

    def reset_seeded(self, generator):
        limit = (6.0 / (2 * self.dim)) ** 0.5
        with torch.no_grad():
            for w in (self.q_w, self.k_w, self.v_w, self.o_w):
                w.copy_(torch.rand(w.shape, generator=generator) * 2 * limit - limit)
            for b in (self.q_b, self.k_b, self.v_b, self.o_b):
                b.zero_()

    def forward(self, x):
        batch, tokens, dim = x.shape
        h, hd = self.heads, dim // self.heads

        def split(t):
            return t.reshape(batch, tokens, h, hd).transpose(1, 2)

        q, k, v = split(x @ self.q_w + self.q_b), split(x @ self.k_w + self.k_b), split(x @ self.v_w + self.v_b)
        attended = torch.softmax((q @ k.transpose(2, 3)) * (1 / hd ** 0.5), -1) @ v
        return attended.transpose(1, 2).reshape(batch, tokens, dim) @ self.o_w + self.o_b


class EncoderLayer(nn.Module):
    """Post-norm encoder layer as nn.TransformerEncoderLayer (ReLU FFN feed_forward wide, LayerNorm eps 1e-5)."""

    def __init__(self, prefix, dim, heads, dropout, feed_forward):
        super().__init__()
        self.attn = SelfAttention(f'{prefix}_attn', dim, heads)
        self.drop1, self.drop2 = nn.Dropout(dropout), nn.Dropout(dropout)
        self.ln1, self.ln2 = LayerNorm(f'{prefix}_ln1', dim), LayerNorm(f'{prefix}_ln2', dim)
        self.ff1 = Dense(f'{prefix}_ff1', dim, feed_forward)
        self.ff2 = Dense(f'{prefix}_ff2', feed_forward, dim)

    def forward(self, x):
        x = self.ln1(x + self.drop1(self.attn(x)))
        return self.ln2(x + self.drop2(self.ff2(F.relu(self.ff1(x)))))


class ClassToken(nn.Module):
    """A learned class token prepended, a learned position embedding added (N(0, 0.02) truncated)."""

    def __init__(self, tf_name, tokens, dim):
        super().__init__()
        self.tf_name = tf_name
        self.token = nn.Parameter(torch.zeros(1, 1, dim))
        self.positions = nn.Parameter(torch.zeros(1, tokens + 1, dim))

    def tf_weights(self):
        return [('token', self.token, None), ('positions', self.positions, None)]

    def reset_seeded(self, generator):
        with torch.no_grad():
            for p in (self.token, self.positions):
                # Truncated at two standard deviations by redrawing, as tf.truncatedNormal.
                values = torch.randn(p.shape, generator=generator)
                bad = values.abs() > 2
                while bad.any():
                    values[bad] = torch.randn(int(bad.sum()), generator=generator)
                    bad = values.abs() > 2
                p.copy_(values * 0.02)

    def forward(self, x):
        token = self.token.expand(x.shape[0], 1, x.shape[2])
        return torch.cat([token, x], 1) + self.positions


class TransformerGate(nn.Module):
    """MILE-Att's gate (src/gates/transformer-gate.ts), read out from the class token."""

    def __init__(self, config, experts, noisy, embedding_dims=None, standard_shape=None, name='gate'):
        super().__init__()
        self.name, self.config, self.enhanced = name, config, config['input'] == 'enhanced'
        dim = config['dim']
        if self.enhanced:
            self.tokens = EnhancedTokens(name, embedding_dims, dim)
            count = len(embedding_dims) + 1
        else:
            self.standard_shape = list(standard_shape)
            self.segments = segments_for(self.standard_shape, STANDARD_GATE_TOKENS)
            self.token_proj = Dense(f'{name}_token_proj', token_features(self.standard_shape, self.segments), dim)
            count = self.segments
        self.cls = ClassToken(f'{name}_cls', count, dim)
        self.embed_dropout = nn.Dropout(config['dropout'])
        self.layers = nn.ModuleList([EncoderLayer(f'{name}_enc{i + 1}', dim, config['heads'], config['dropout'], config['feedForward']) for i in range(config['layers'])])
        self.heads = Heads(name, dim, experts, noisy)

    def forward(self, inputs):
        if self.enhanced:
            tokens = self.tokens(inputs)
        else:
            tokens = self.token_proj(standard_summary(inputs[0], self.segments))
        x = self.embed_dropout(self.cls(tokens))
        for layer in self.layers:
            x = layer(x)
        return self.heads(x[:, 0])


def build_gate(config, experts, noisy=False, embedding_dims=None, standard_shape=None, name='gate'):
    resolved = resolve_gate_config(config)
    cls = MlpGate if resolved['type'] == 'mlp' else TransformerGate
    return cls(resolved, experts, noisy, embedding_dims=embedding_dims, standard_shape=standard_shape, name=name)
