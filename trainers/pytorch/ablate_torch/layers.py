"""Layers that compute what the built-in TensorFlow.js trainer's layers compute, in PyTorch.

Every layer that owns weights carries the built-in's layer name (`tf_name`) and says how
its parameters map to the built-in's variables (`tf_weights`), so one set of weights loads
into either trainer (weights.py). Activations are channels-first (NCHW / NCW) as PyTorch
wants; where the built-in's channels-last order matters (a flatten before a dense layer)
the model permutes back explicitly.
"""
import math

import torch
import torch.nn.functional as F
from torch import nn


def tf_same_padding(length, kernel, stride):
    """TensorFlow's 'same' padding (before, after) of one axis: the odd pixel goes after.

    PyTorch's symmetric `padding=k//2` differs whenever the total is odd (a 3x3 conv at
    stride 2 on an even length pads 0 before and 1 after in TensorFlow).
    """
    out = -(-length // stride)
    total = max((out - 1) * stride + kernel - length, 0)
    return total // 2, total - total // 2


class Dense(nn.Linear):
    """tf.layers.dense: y = x K + b with K [in, out] (torch keeps [out, in])."""

    def __init__(self, tf_name, in_features, out_features, bias=True):
        super().__init__(in_features, out_features, bias=bias)
        self.tf_name = tf_name

    def tf_weights(self):
        out = [('kernel', self.weight, lambda a: a.t())]
        if self.bias is not None:
            out.append(('bias', self.bias, None))
        return out

    def reset_glorot(self, generator):
        # Glorot/Xavier uniform, the built-in's dense initialiser; biases start at zero.
        limit = math.sqrt(6.0 / (self.in_features + self.out_features))
        with torch.no_grad():
            self.weight.copy_(torch.rand(self.weight.shape, generator=generator) * 2 * limit - limit)
            if self.bias is not None:
                self.bias.zero_()


class Conv2dSame(nn.Conv2d):
    """PlainConv2D (src/experts/layers/conv2d.ts): NHWC kernel [kh, kw, in, out], 'same' as TensorFlow pads."""

    def __init__(self, tf_name, in_channels, out_channels, kernel, stride=1, bias=True):
        super().__init__(in_channels, out_channels, kernel, stride=stride, padding=0, bias=bias)
        self.tf_name = tf_name

    def forward(self, x):
        k, s = self.kernel_size[0], self.stride[0]
        top, bottom = tf_same_padding(x.shape[2], k, s)
        left, right = tf_same_padding(x.shape[3], k, s)
        if top == bottom and left == right:
            # Symmetric (every stride-1 case): the convolution pads itself, no padded copy.
            return F.conv2d(x, self.weight, self.bias, self.stride, (top, left))
        return super().forward(F.pad(x, (left, right, top, bottom)))

    def tf_weights(self):
        out = [('kernel', self.weight, lambda a: a.permute(3, 2, 0, 1))]
        if self.bias is not None:
            out.append(('bias', self.bias, None))
        return out


class Conv1dSame(nn.Conv1d):
    """tf.layers.conv1d with 'same' padding: kernel [k, in, out]."""

    def __init__(self, tf_name, in_channels, out_channels, kernel, bias=False):
        super().__init__(in_channels, out_channels, kernel, padding=0, bias=bias)
        self.tf_name = tf_name

    def forward(self, x):
        before, after = tf_same_padding(x.shape[2], self.kernel_size[0], 1)
        if before == after:
            return F.conv1d(x, self.weight, self.bias, 1, before)
        return super().forward(F.pad(x, (before, after)))

    def tf_weights(self):
        out = [('kernel', self.weight, lambda a: a.permute(2, 1, 0))]
        if self.bias is not None:
            out.append(('bias', self.bias, None))
        return out


class BatchNorm(nn.modules.batchnorm._BatchNorm):
    """Batch norm over the channel axis 1 of any rank (BatchNorm1d/2d in one), eps 1e-5 and momentum 0.1
    as the built-in sets them (tfjs momentum 0.9 counts the other way)."""

    def __init__(self, tf_name, channels):
        super().__init__(channels, eps=1e-5, momentum=0.1)
        self.tf_name = tf_name

    def _check_input_dim(self, x):
        if x.dim() < 2:
            raise ValueError(f'{self.tf_name}: batch norm needs [batch, channels, ...], got {tuple(x.shape)}')

    def tf_weights(self):
        return [('gamma', self.weight, None), ('beta', self.bias, None), ('moving_mean', self.running_mean, None), ('moving_variance', self.running_var, None)]


class LayerNorm(nn.LayerNorm):
    def __init__(self, tf_name, dim):
        super().__init__(dim, eps=1e-5)
        self.tf_name = tf_name

    def tf_weights(self):
        return [('gamma', self.weight, None), ('beta', self.bias, None)]


def max_feature_map(x):
    """MFM (Wu et al.): the channel axis (1) cut in halves, first half vs second, element-wise max."""
    half = x.shape[1] // 2
    return torch.maximum(x[:, :half], x[:, half:])


def kaiming_conv_(weight, generator):
    """PyTorch's default conv init U(-1/sqrt(fan_in), 1/sqrt(fan_in)), the built-in's conv initialiser."""
    fan_in = weight[0].numel()
    bound = 1.0 / math.sqrt(fan_in)
    with torch.no_grad():
        weight.copy_(torch.rand(weight.shape, generator=generator) * 2 * bound - bound)


def init_module_(module, generator):
    """Seeded initialisation of every layer of a model, as the built-in's initialisers draw them
    (distributions, not values: the two trainers' generators differ)."""
    for m in module.modules():
        if isinstance(m, Dense):
            if getattr(m, 'zero_init', False):
                with torch.no_grad():
                    m.weight.zero_()
                    m.bias.zero_()
            else:
                m.reset_glorot(generator)
        elif isinstance(m, (Conv2dSame, Conv1dSame)):
            kaiming_conv_(m.weight, generator)
            if m.bias is not None:
                with torch.no_grad():
                    m.bias.zero_()
        elif hasattr(m, 'reset_seeded'):
            m.reset_seeded(generator)
