"""Routing, balancing losses and mixing (src/gates/routing.ts, balance.ts, src/train/moe/mix.ts)."""
import math

import torch
import torch.nn.functional as F

EXCLUDED = -1e9  # added to the logits outside the top k: far below any logit, finite (no inf - inf)
ROUTING_DEFAULTS = {'mode': 'soft', 'k': 1, 'weighting': 'router', 'balance': 'none', 'balanceWeight': 0.01}


def resolve_routing_config(config, experts):
    merged = {**ROUTING_DEFAULTS, **(config or {})}
    if merged['mode'] not in ('soft', 'topk', 'noisy-topk'):
        raise ValueError(f'routing.mode: expected soft, topk or noisy-topk, got {merged["mode"]!r}')
    if merged['mode'] != 'soft' and merged['k'] > experts:
        raise ValueError(f'routing.k: expected at most the number of experts ({experts}), got {merged["k"]}')
    if merged['mode'] == 'soft':
        merged['k'] = experts
    return merged


def top_k_mask(values, k):
    """0/1 mask of the k largest entries of each row; a decision, so no gradient."""
    experts = values.shape[1]
    if k >= experts:
        return torch.ones_like(values)
    with torch.no_grad():
        index = values.topk(k, dim=1).indices
        return torch.zeros_like(values).scatter_(1, index, 1.0)


def route(logits, routing, training, noise_std=None, generator=None):
    """Gate logits -> dict(weights, log_weights, selected, probs, log_rest) as the built-in routes."""
    h = logits
    if routing['mode'] == 'noisy-topk' and training:
        if noise_std is None:
            raise ValueError("noisy top-k routing needs the gate's noise head")
        noise = torch.randn(logits.shape, generator=generator, device='cpu').to(logits.device)
        h = logits + noise * noise_std
    probs = torch.softmax(h, 1)
    if routing['mode'] == 'soft':
        log_weights = torch.log_softmax(h, 1)
        return {'weights': log_weights.exp(), 'log_weights': log_weights, 'selected': torch.ones_like(h), 'probs': probs, 'log_rest': None}
    selected = top_k_mask(h, routing['k'])
    excluded = (1 - selected) * EXCLUDED
    if routing.get('weighting', 'router') == 'router':
        log_weights = torch.log_softmax(h, 1) + excluded
        weights = log_weights.exp() * selected
        rest = torch.clamp(1 - weights.sum(1), min=1e-12)
        return {'weights': weights, 'log_weights': log_weights, 'selected': selected, 'probs': probs, 'log_rest': rest.log()}
    log_weights = torch.log_softmax(h + excluded, 1)
    return {'weights': log_weights.exp() * selected, 'log_weights': log_weights, 'selected': selected, 'probs': probs, 'log_rest': None}


def cv2(x):
    n = x.shape[0]
    if n <= 1:
        return x.new_zeros(())
    mean = x.mean()
    variance = ((x - mean) ** 2).sum() / (n - 1)
    return variance / (mean ** 2 + 1e-10)


def cv2_loss(weights, selected):
    """Shazeer et al. (2017): CV^2 of importance plus CV^2 of load (a count: value, no gradient)."""
    return cv2(weights.sum(0)) + cv2(selected.sum(0))


def switch_loss(probs, dispatch):
    """Switch Transformer (Fedus et al. 2021): N x sum_i f_i P_i."""
    batch, experts = probs.shape
    fraction = dispatch.sum(0) / dispatch.sum()
    return (fraction * probs.sum(0) / batch).sum() * experts


def balance_loss(kind, routed, mode):
    if kind == 'none':
        return routed['weights'].new_zeros(())
    if kind == 'cv2':
        return cv2_loss(routed['weights'], routed['selected'])
    if kind == 'switch':
        dispatch = top_k_mask(routed['probs'], 1) if mode == 'soft' else routed['selected']
        return switch_loss(routed['probs'], dispatch)
    raise ValueError(f'routing.balance: expected none, cv2 or switch, got {kind!r}')


def mix_experts(expert_logits, routed, mode):
    """Experts' logits [batch, 2] each, mixed with the gate's weights -> (log_probs, mixed)."""
    stacked = torch.stack(expert_logits, 1)  # [batch, experts, 2]
    if mode == 'prob':
        terms = torch.log_softmax(stacked, 2) + routed['log_weights'].unsqueeze(2)
        if routed.get('log_rest') is not None:
            # Mass no selected expert carries goes to chance: log(rest) + log(1/2) per class.
            chance = (routed['log_rest'] + math.log(0.5)).view(-1, 1, 1).expand(-1, 1, 2)
            terms = torch.cat([terms, chance], 1)
        log_probs = torch.logsumexp(terms, 1)
        return log_probs, log_probs.exp()
    mixed = (stacked * routed['weights'].unsqueeze(2)).sum(1)
    return torch.log_softmax(mixed, 1), mixed


def uniform_routed(batch, experts, device=None):
    weights = torch.full((batch, experts), 1 / experts, device=device)
    return {'weights': weights, 'log_weights': torch.full((batch, experts), -math.log(experts), device=device), 'log_rest': None}


def smoothed_nll(log_probs, labels, label_smoothing=0.0):
    """Mean NLL with label smoothing (target (1 - e) on the true class plus e / K on each)."""
    classes = log_probs.shape[-1]
    target = F.one_hot(labels.long(), classes).to(log_probs.dtype)
    if label_smoothing:
        target = target * (1 - label_smoothing) + label_smoothing / classes
    return -(target * log_probs).sum(-1).mean()


def softmax_cross_entropy(logits, labels, label_smoothing=0.0):
    return smoothed_nll(torch.log_softmax(logits, -1), labels, label_smoothing)


def bonafide_scores(log_probs):
    """log p(bona fide) - log p(spoof), the LLR the ASVspoof tools expect."""
    return log_probs[:, 1] - log_probs[:, 0]
