"""The three job kinds of the trainer protocol (docs/TRAINERS.md): pretrain, train-moe, evaluate."""
import json
import os

import torch

from .augment import Augmenter, JobError, has_augmentation
from .data import Inputs, feature_inputs
from .experts import build_expert
from .layers import init_module_
from .loop import hyper_params, recalibrate_batch_norm, train_loop
from .metrics import auc, eer_and_threshold
from .mixture import Mixture
from .routing import bonafide_scores, mix_experts, smoothed_nll, softmax_cross_entropy, uniform_routed
from .util import torch_load, canonical_json, derive_seed, write_atomic

EVAL_BATCH = 64
MODEL_FILE = 'model.pt'


def expert_spec(expert, sample_rate):
    spec = {k: expert[k] for k in ('arch', 'width', 'depth', 'embeddingDim', 'dropout') if k in expert}
    if expert['arch'] == 'sincnet':
        spec['sampleRate'] = sample_rate
    return spec


def build_trial_expert(expert, shape, trial_seed, sample_rate, name):
    """As buildTrialExpert: initialised from the trial seed and the expert's whole config."""
    model = build_expert(expert_spec(expert, sample_rate), shape, name=name)
    init_module_(model, torch.Generator().manual_seed(derive_seed(trial_seed, 'expert-init', canonical_json(expert))))
    return model


def item_shape(tensor):
    return list(tensor.shape[1:])


class Job:
    def __init__(self, job_file, events, stop, device, amp):
        self.f = job_file
        self.inputs = job_file['inputs']
        self.events, self.stop, self.device, self.amp = events, stop, device, amp
        self.data = job_file['data']
        # The trial's data section (the job file's `data` holds the resolved items): the clip knobs of #16.
        self.trial_data = self.inputs.get('data') or {}
        if self.trial_data.get('cropPoolSeconds') is not None and job_file['job']['kind'] != 'evaluate':
            raise JobError('data.cropPoolSeconds (a fresh crop per draw) is not implemented in the PyTorch trainer: '
                           'train this sweep with the built-in trainer, or drop data.cropPoolSeconds (docs/TRAINERS.md)')
        self.sample_rate = self.data['sampleRate']
        results = os.path.dirname(os.path.dirname(os.path.abspath(job_file['outputs']['dir'])))
        self.cache_dir = os.path.join(results, 'cache', 'pytorch-features')

    def features(self, experts, items, crop):
        self.events.progress(message=f'features of {len(items)} items')
        # data.tileOffset random: short training clips tiled from a seeded offset (fit_clip's 'random+tile').
        if crop == 'random' and self.trial_data.get('tileOffset') == 'random':
            crop = 'random+tile'
        return feature_inputs(experts, items, {'sampleRate': self.sample_rate, 'clipSeconds': self.data['clipSeconds']}, crop, self.cache_dir,
                              lambda m: self.events.progress(message=m))

    def augmenter(self, config, experts, train):
        """Per-epoch training inputs when the trial augments, else None."""
        if not has_augmentation(config):
            return None
        waves = None
        if config.get('noise') is not None or config.get('rawboost', 0):
            # The same training window the clean features came from, as samples.
            waves = feature_inputs([{'features': {'kind': 'waveform'}}], self.data['train'], {'sampleRate': self.sample_rate, 'clipSeconds': self.data['clipSeconds']},
                                   'random', self.cache_dir).tensors[0]
        return Augmenter(config, self.f['seed'], experts, train, waves, self.sample_rate)

    def epoch_inputs(self, train, augmenter, epoch):
        return train if augmenter is None else Inputs(augmenter.epoch(epoch), train.index, train.labels, train.ids)

    def batch(self, inputs, rows):
        index = torch.tensor(rows)
        return [t.index_select(0, index).to(self.device) for t in inputs.tensors], inputs.labels.index_select(0, index).to(self.device)

    def save_model(self, payload, meta):
        out = self.f['outputs']['model']
        os.makedirs(out, exist_ok=True)
        path = os.path.join(out, MODEL_FILE)
        tmp = f'{path}.tmp-{os.getpid()}'
        torch.save(payload, tmp)
        os.replace(tmp, path)
        write_atomic(os.path.join(out, 'meta.json'), json.dumps(meta, indent=2) + '\n')

    def fingerprint(self, hp, model):
        return canonical_json({'job': self.f['job']['key'], 'hp': hp, 'shapes': [[k, list(v.shape)] for k, v in model.state_dict().items()]})

    # -- evaluation helpers -------------------------------------------------------------

    def eval_expert(self, model, inputs, ls):
        """(mean loss, scores) of one expert in inference mode."""
        model.eval()
        scores, loss_sum = [], 0.0
        with torch.no_grad():
            for start in range(0, inputs.count, EVAL_BATCH):
                rows = list(range(start, min(inputs.count, start + EVAL_BATCH)))
                xs, labels = self.batch(inputs, rows)
                _, logits = model(xs[0])
                log_probs = torch.log_softmax(logits.float(), 1)
                loss_sum += float(smoothed_nll(log_probs, labels, ls)) * len(rows)
                scores.append(bonafide_scores(log_probs).cpu())
        return loss_sum / max(1, inputs.count), torch.cat(scores)

    def eval_mixture(self, mixture, inputs):
        """(mean loss, scores, gate weights [count, experts]) of a mixture in inference mode."""
        mixture.eval()
        scores, weights, loss_sum = [], [], 0.0
        with torch.no_grad():
            for start in range(0, inputs.count, EVAL_BATCH):
                rows = list(range(start, min(inputs.count, start + EVAL_BATCH)))
                xs, labels = self.batch(inputs, rows)
                out = mixture(xs)
                loss_sum += float(smoothed_nll(out['log_probs'].float(), labels, mixture.label_smoothing)) * len(rows)
                scores.append(bonafide_scores(out['log_probs'].float()).cpu())
                weights.append(out['routed']['weights'].float().cpu())
        return loss_sum / max(1, inputs.count), torch.cat(scores), torch.cat(weights)

    def eval_uniform(self, experts, index, inputs, mode):
        """Experts combined with equal weights and no gate: the ensemble and gate-ablated baselines."""
        scores = []
        with torch.no_grad():
            for start in range(0, inputs.count, EVAL_BATCH):
                rows = list(range(start, min(inputs.count, start + EVAL_BATCH)))
                xs, _ = self.batch(inputs, rows)
                logits = [e.eval()(xs[i])[1].float() for e, i in zip(experts, index)]
                log_probs, _ = mix_experts(logits, uniform_routed(len(rows), len(experts), device=self.device), mode)
                scores.append(bonafide_scores(log_probs).cpu())
        return torch.cat(scores)

    def eval_experts(self, experts, index, inputs):
        """Each expert's own score (bona fide logit minus spoof logit) on every item, [count, experts]:
        the per-expert metrics inside a mixture (docs/TRAINERS.md, expert score files)."""
        columns = []
        with torch.no_grad():
            for start in range(0, inputs.count, EVAL_BATCH):
                rows = list(range(start, min(inputs.count, start + EVAL_BATCH)))
                xs, _ = self.batch(inputs, rows)
                logits = [e.eval()(xs[i])[1].float() for e, i in zip(experts, index)]
                columns.append(torch.stack([(z[:, 1] - z[:, 0]).cpu() for z in logits], dim=1))
        return torch.cat(columns)

    # -- job kinds ----------------------------------------------------------------------

    def pretrain(self):
        expert = self.inputs['expert']
        hp = hyper_params(self.inputs.get('hp'))
        seed = self.f['seed']
        train = self.features([expert], self.data['train'], 'random')
        validation = self.features([expert], self.data['validation'], 'center')
        augmenter = self.augmenter(self.inputs.get('augmentation'), [expert], train)
        model = build_trial_expert(expert, item_shape(train.tensors[0]), seed, self.sample_rate, 'expert').to(self.device)
        loop_seed = derive_seed(seed, 'pretrain-loop', self.f['job']['key'])
        torch.manual_seed(derive_seed(loop_seed, 'torch'))

        def step_loss(rows, epoch):
            xs, labels = self.batch(self.epoch_inputs(train, augmenter, epoch), rows)
            _, logits = model(xs[0])
            return softmax_cross_entropy(logits.float(), labels, hp['labelSmoothing'])

        def validate(epoch):
            if hp['validationNorm'] != 'running':
                recalibrate_batch_norm(model, lambda rows: model(self.batch(train, rows)[0][0]), train.count, hp['batchSize'],
                                       derive_seed(loop_seed, 'batch-norm', epoch), (hp['stepsPerEpoch'] or 0) * hp['batchSize'] or None)
            loss, scores = self.eval_expert(model, validation, hp['labelSmoothing'])
            eer, _ = eer_and_threshold(scores, validation.labels)
            return {'loss': loss, 'eer': eer, 'auc': auc(scores, validation.labels)}

        summary = train_loop(model=model, parameters=list(model.parameters()), hp=hp, seed=loop_seed, labels=train.labels.tolist(), step_loss=step_loss,
                             validate=validate, checkpoint_dir=self.f['outputs']['checkpoint'], fingerprint=self.fingerprint(hp, model),
                             events=self.events, stop=self.stop, device=self.device, amp=self.amp)
        _, scores = self.eval_expert(model, validation, hp['labelSmoothing'])
        eer, threshold = eer_and_threshold(scores, validation.labels)
        self.save_model({'kind': 'expert', 'expert': expert, 'shape': item_shape(train.tensors[0]), 'state': model.state_dict()},
                        {'format': 'ablate-pytorch-1', 'kind': 'expert', 'valEer': eer, 'threshold': threshold, **{k: v for k, v in summary.items() if k != 'history'}})

    def build_mixture(self, experts, shapes, index, seed, train_config):
        hp = hyper_params(train_config)
        built = [build_trial_expert(e, shapes[index[i]], seed, self.sample_rate, f'expert{i}') for i, e in enumerate(experts)]
        mixture = Mixture(built, index, gate=self.inputs.get('gate'), routing=self.inputs.get('routing'), moe=self.inputs.get('moe'), label_smoothing=hp['labelSmoothing'])
        init_module_(mixture.gate, torch.Generator().manual_seed(derive_seed(seed, 'gate')))
        return mixture, hp

    def train_moe(self):
        experts = self.inputs['experts']
        seed = self.f['seed']
        train = self.features(experts, self.data['train'], 'random')
        validation = self.features(experts, self.data['validation'], 'center')
        shapes = [item_shape(t) for t in train.tensors]
        augmenter = self.augmenter(self.inputs.get('data', {}).get('augmentation') or self.inputs.get('augmentation'), experts, train)
        mixture, hp = self.build_mixture(experts, shapes, train.index, seed, self.inputs.get('train'))
        for i, artefact in enumerate(self.f['inputArtefacts']):
            saved = torch_load(os.path.join(artefact['model'], MODEL_FILE))
            mixture.experts[i].load_state_dict(saved['state'])
        mixture.to(self.device)
        loop_seed = derive_seed(seed, 'moe-loop', self.f['job']['key'])
        torch.manual_seed(derive_seed(loop_seed, 'torch'))
        noise = torch.Generator().manual_seed(derive_seed(seed, 'gate', 'noise'))
        mixture.noise_generator = noise
        frozen = mixture.config['freezeExperts']

        def step_loss(rows, epoch):
            xs, labels = self.batch(self.epoch_inputs(train, augmenter, epoch), rows)
            out = mixture(xs)
            return mixture.loss_terms(out, labels)['total']

        def validate(epoch):
            if not frozen and hp['validationNorm'] != 'running':
                for i, expert in enumerate(mixture.experts):
                    j = train.index[i]
                    recalibrate_batch_norm(expert, lambda rows, e=expert, j=j: e(self.batch(train, rows)[0][j]), train.count, hp['batchSize'],
                                           derive_seed(loop_seed, 'batch-norm', epoch, i), (hp['stepsPerEpoch'] or 0) * hp['batchSize'] or None)
            loss, scores, _ = self.eval_mixture(mixture, validation)
            eer, _ = eer_and_threshold(scores, validation.labels)
            return {'loss': loss, 'eer': eer, 'auc': auc(scores, validation.labels)}

        summary = train_loop(model=mixture, parameters=mixture.trainable_parameters(), hp=hp, seed=loop_seed, labels=train.labels.tolist(), step_loss=step_loss,
                             validate=validate, checkpoint_dir=self.f['outputs']['checkpoint'], fingerprint=self.fingerprint(hp, mixture),
                             events=self.events, stop=self.stop, generators=[noise], device=self.device, amp=self.amp)
        _, scores, weights = self.eval_mixture(mixture, validation)
        eer, threshold = eer_and_threshold(scores, validation.labels)
        self.save_model({'kind': 'mixture', 'experts': experts, 'shapes': shapes, 'index': train.index, 'seed': seed, 'inputs': {k: self.inputs.get(k) for k in ('gate', 'routing', 'moe', 'train')},
                         'state': mixture.state_dict()},
                        {'format': 'ablate-pytorch-1', 'kind': 'mixture', 'valEer': eer, 'threshold': threshold, 'gateOnValidation': weights.mean(0).tolist(),
                         **{k: v for k, v in summary.items() if k != 'history'}})

    def load_mixture(self, path):
        saved = torch_load(os.path.join(path, MODEL_FILE))
        saved_inputs = saved['inputs']
        built = [build_expert(expert_spec(e, self.sample_rate), saved['shapes'][saved['index'][i]], name=f'expert{i}') for i, e in enumerate(saved['experts'])]
        hp = hyper_params(saved_inputs.get('train'))
        mixture = Mixture(built, saved['index'], gate=saved_inputs.get('gate'), routing=saved_inputs.get('routing'), moe=saved_inputs.get('moe'), label_smoothing=hp['labelSmoothing'])
        mixture.load_state_dict(saved['state'])
        return mixture.to(self.device)

    def load_expert(self, path):
        saved = torch_load(os.path.join(path, MODEL_FILE))
        model = build_expert(expert_spec(saved['expert'], self.sample_rate), saved['shape'], name='expert')
        model.load_state_dict(saved['state'])
        return model.to(self.device)

    def evaluate(self):
        target = self.inputs['target']
        experts = self.inputs['experts']
        outputs = self.f['outputs']
        models = [a['model'] for a in self.f['inputArtefacts']]
        if target in ('single', 'ensemble'):
            used = experts[:1] if target == 'single' else experts
            loaded = [self.load_expert(m) for m in models[:len(used)]]

            def score(inputs):
                if len(loaded) == 1:
                    return self.eval_expert(loaded[0], inputs, 0.0)[1], None
                return self.eval_uniform(loaded, inputs.index, inputs, 'prob'), None
        elif target in ('moe', 'gate-ablated'):
            mixture = self.load_mixture(models[0])
            used = experts

            def score(inputs):
                if target == 'gate-ablated':
                    return self.eval_uniform(list(mixture.experts), inputs.index, inputs, mixture.config['mix']), None
                _, scores, weights = self.eval_mixture(mixture, inputs)
                return scores, weights
        else:
            raise ValueError(f'unknown evaluation target {target!r}')
        validation = self.features(used, self.data['validation'], 'center')
        write_scores(outputs['validationScores'], validation.ids, score(validation)[0])
        for n, s in enumerate(self.data['evaluation']):
            inputs = self.features(used, s['items'], 'center')
            scores, weights = score(inputs)
            write_scores(outputs['scores'][s['name']], inputs.ids, scores)
            gate_file = outputs['gates'].get(s['name'])
            if gate_file is not None:
                if weights is None:
                    weights = torch.full((inputs.count, len(experts)), 1 / len(experts))
                write_gates(gate_file, inputs.ids, weights)
            expert_file = outputs.get('expertScores', {}).get(s['name'])
            if expert_file is not None and target == 'moe':
                write_gates(expert_file, inputs.ids, self.eval_experts(list(mixture.experts), inputs.index, inputs), clamp=False)
            self.events.progress(step=n + 1, steps=len(self.data['evaluation']), message=f'scored {s["name"]}')


def write_scores(path, ids, scores):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    rows = ''.join(f'{i}\t{float(s):.8g}\n' for i, s in zip(ids, scores.tolist()))
    write_atomic(path, 'filename\tcm-score\n' + rows)


def write_gates(path, ids, weights, clamp=True):
    """A per-item table: "filename" then one column per expert (gate weights, clamped to [0, 1], or expert scores)."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    header = 'filename\t' + '\t'.join(f'expert{e}' for e in range(weights.shape[1])) + '\n'
    value = (lambda w: min(1.0, max(0.0, w))) if clamp else (lambda w: w)
    rows = ''.join(i + '\t' + '\t'.join(f'{value(w):.8g}' for w in row) + '\n' for i, row in zip(ids, weights.tolist()))
    write_atomic(path, header + rows)
