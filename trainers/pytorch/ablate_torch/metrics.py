"""EER and AUC of bona fide scores (higher = bona fide), for validation and early stopping."""
import torch


def eer_and_threshold(scores, labels):
    """The ASVspoof EER (compute_det_curve: thresholds at the sorted scores) and its threshold; NaN with one class."""
    scores = torch.as_tensor(scores, dtype=torch.float64)
    labels = torch.as_tensor(labels)
    target, nontarget = scores[labels == 1], scores[labels == 0]
    if target.numel() == 0 or nontarget.numel() == 0:
        return float('nan'), float('nan')
    all_scores = torch.cat([target, nontarget])
    is_target = torch.cat([torch.ones_like(target), torch.zeros_like(nontarget)])
    order = torch.argsort(all_scores, stable=True) if 'stable' in torch.argsort.__doc__ else torch.argsort(all_scores)
    is_target = is_target[order]
    tar_below = torch.cumsum(is_target, 0)
    non_above = nontarget.numel() - (torch.arange(1, is_target.numel() + 1, dtype=torch.float64) - tar_below)
    frr = torch.cat([torch.zeros(1, dtype=torch.float64), tar_below / target.numel()])
    far = torch.cat([torch.ones(1, dtype=torch.float64), non_above / nontarget.numel()])
    thresholds = torch.cat([all_scores[order][:1] - 0.001, all_scores[order]])
    i = int(torch.argmin((frr - far).abs()))
    return float((frr[i] + far[i]) / 2), float(thresholds[i])


def auc(scores, labels):
    scores = torch.as_tensor(scores, dtype=torch.float64)
    labels = torch.as_tensor(labels)
    pos, neg = scores[labels == 1], scores[labels == 0]
    if pos.numel() == 0 or neg.numel() == 0:
        return float('nan')
    greater = (pos.view(-1, 1) > neg.view(1, -1)).double().sum()
    ties = (pos.view(-1, 1) == neg.view(1, -1)).double().sum()
    return float((greater + 0.5 * ties) / (pos.numel() * neg.numel()))
