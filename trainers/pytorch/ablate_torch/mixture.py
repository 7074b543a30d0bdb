"""N experts and a gate as one model (src/train/moe/mixture.ts)."""
import torch
from torch import nn

from .gates import build_gate
from .routing import balance_loss, bonafide_scores, mix_experts, resolve_routing_config, route, smoothed_nll, softmax_cross_entropy

MIXTURE_DEFAULTS = {'loss': 'shared', 'expertLossWeight': 0.5, 'freezeExperts': False, 'mix': 'prob'}


def resolve_mixture_config(config):
    merged = {**MIXTURE_DEFAULTS, **(config or {})}
    if merged['loss'] not in ('shared', 'separate'):
        raise ValueError(f'moe.loss: expected shared or separate, got {merged["loss"]!r}')
    if merged['mix'] not in ('prob', 'logit'):
        raise ValueError(f'moe.mix: expected prob or logit, got {merged["mix"]!r}')
    return merged


class Mixture(nn.Module):
    """Forward: the gate reads the experts' embeddings (enhanced) or the first expert's input
    (standard) and routes; the experts' outputs are mixed as probabilities or logits. As in
    the built-in, with a standard gate, hard routing and the shared loss an expert runs only
    on the items routed to it (its batch-norm statistics in training see only those), and
    frozen experts always run in inference mode."""

    def __init__(self, experts, inputs, gate=None, routing=None, moe=None, label_smoothing=0.0, gate_name='gate'):
        super().__init__()
        self.experts = nn.ModuleList(experts)
        self.inputs = list(inputs)
        self.config = resolve_mixture_config(moe)
        self.routing = resolve_routing_config(routing, len(experts))
        self.label_smoothing = label_smoothing
        self.gate_input_index = self.inputs[0]
        self.input_shapes = {}
        for expert, index in zip(experts, inputs):
            self.input_shapes.setdefault(index, expert.input_shape)
        self.gate = build_gate(
            gate,
            len(experts),
            noisy=self.routing['mode'] == 'noisy-topk',
            embedding_dims=[e.embedding_dim for e in experts],
            standard_shape=self.input_shapes[self.gate_input_index],
            name=gate_name,
        )
        self.noise_generator = None  # set by the trainer: one seeded stream for routing noise

    @property
    def skips_unselected(self):
        return self.gate.config['input'] == 'standard' and self.routing['mode'] != 'soft' and self.routing['k'] < len(self.experts) and self.config['loss'] == 'shared'

    def train(self, mode=True):
        super().train(mode)
        if self.config['freezeExperts']:
            for expert in self.experts:
                expert.train(False)
        return self

    def trainable_parameters(self):
        if self.config['freezeExperts']:
            return list(self.gate.parameters())
        return list(self.parameters())

    def _gate(self, gate_inputs):
        logits, noise_std = self.gate(gate_inputs)
        routed = route(logits, self.routing, self.training, noise_std=noise_std, generator=self.noise_generator)
        return logits, noise_std, routed

    def _run_on_rows(self, expert, x, rows):
        batch = x.shape[0]
        if len(rows) == batch:
            return expert(x)
        if len(rows) == 0:
            return x.new_zeros(batch, expert.embedding_dim), x.new_zeros(batch, 2)
        index = torch.tensor(rows, device=x.device)
        embedding, logits = expert(x.index_select(0, index))
        full_e = x.new_zeros(batch, embedding.shape[1]).index_copy(0, index, embedding)
        full_l = x.new_zeros(batch, 2).index_copy(0, index, logits)
        return full_e, full_l

    def forward(self, inputs):
        embeddings, expert_logits = [], []
        if self.gate.config['input'] == 'standard':
            gate_logits, noise_std, routed = self._gate([inputs[self.gate_input_index]])
            selected = routed['selected'].detach().cpu() if self.skips_unselected else None
            for i, (expert, index) in enumerate(zip(self.experts, self.inputs)):
                x = inputs[index]
                if selected is None:
                    e, l = expert(x)
                else:
                    e, l = self._run_on_rows(expert, x, [r for r in range(x.shape[0]) if selected[r, i] == 1])
                embeddings.append(e)
                expert_logits.append(l)
        else:
            for expert, index in zip(self.experts, self.inputs):
                e, l = expert(inputs[index])
                embeddings.append(e)
                expert_logits.append(l)
            gate_logits, noise_std, routed = self._gate(embeddings)
        log_probs, mixed = mix_experts(expert_logits, routed, self.config['mix'])
        return {'log_probs': log_probs, 'mixed': mixed, 'gate_logits': gate_logits, 'noise_std': noise_std, 'routed': routed, 'expert_logits': expert_logits, 'embeddings': embeddings}

    def forward_cached(self, embeddings, expert_logits, gate_input):
        """The same gate, routing and mixing on cached outputs of frozen experts."""
        gate_logits, noise_std, routed = self._gate([gate_input] if self.gate.config['input'] == 'standard' else embeddings)
        log_probs, mixed = mix_experts(expert_logits, routed, self.config['mix'])
        return {'log_probs': log_probs, 'mixed': mixed, 'gate_logits': gate_logits, 'noise_std': noise_std, 'routed': routed, 'expert_logits': expert_logits, 'embeddings': embeddings}

    def loss_terms(self, out, labels):
        mixture = smoothed_nll(out['log_probs'], labels, self.label_smoothing)
        total = mixture
        experts = mixture.new_zeros(())
        if self.config['loss'] == 'separate':
            experts = torch.stack([softmax_cross_entropy(l, labels, self.label_smoothing) for l in out['expert_logits']]).mean()
            total = total + experts * self.config['expertLossWeight']
        balance = balance_loss(self.routing['balance'], out['routed'], self.routing['mode'])
        if self.routing['balance'] != 'none':
            total = total + balance * self.routing['balanceWeight']
        return {'total': total, 'mixture': mixture, 'experts': experts, 'balance': balance}

    @staticmethod
    def scores(out):
        return bonafide_scores(out['log_probs'])
