import { mean } from 'simple-statistics';
import type { EpochPoint, ReportData } from '../data/types.js';
import { expertColours, mixtureColour } from './expert-colours.js';
import { figureHeader, type Figure, type VlSpec } from './figure.js';

/** Pre-training and mixture training run one after the other with epochs of their own: they get rows of their own. */
const stages = { pretrain: 'Pre-training (each expert alone)', mixture: 'Mixture training', other: 'Training' } as const;

function stageOf(role: string): string {
  return role.startsWith('pretrain') ? stages.pretrain : role === 'mixture' ? stages.mixture : stages.other;
}

/** Epoch metrics in the order panels appear, with how they are titled and scaled. */
const curveMetrics: Record<string, { title: string; scale: number }> = {
  loss: { title: 'Training loss', scale: 1 },
  valLoss: { title: 'Validation loss', scale: 1 },
  valEer: { title: 'Validation EER (%)', scale: 100 },
  // Wall time (training and validation) of each epoch: where a configuration's cost goes.
  seconds: { title: 'Wall time per epoch (s)', scale: 1 },
};

/**
 * Figure 4: training curves per configuration: loss, validation loss, validation EER and wall
 * seconds per epoch, one line per training job of the trial (each expert's pre-training, the mixture),
 * each point the mean over the configuration's seeds at that epoch.
 */
export function trainingCurveFigures(data: ReportData): Figure[] {
  const colours = expertColours(data);
  const byTrial = new Map<string, EpochPoint[]>();
  for (const point of data.epochs) {
    const points = byTrial.get(point.trialId);
    if (points) points.push(point);
    else byTrial.set(point.trialId, [point]);
  }
  const figures: Figure[] = [];
  for (const configuration of data.configurations) {
    const points = configuration.trials.flatMap((t) => byTrial.get(t.id) ?? []);
    const groups = new Map<string, { role: string; name: string; epoch: number; values: number[] }>();
    for (const p of points) {
      if (!curveMetrics[p.name]) continue;
      const key = `${p.role}\u0000${p.name}\u0000${p.epoch}`;
      const group = groups.get(key) ?? { role: p.role, name: p.name, epoch: p.epoch, values: [] };
      group.values.push(p.value);
      groups.set(key, group);
    }
    if (groups.size === 0) continue;
    const rows = [...groups.values()].map((g) => {
      const info = curveMetrics[g.name] as { title: string; scale: number };
      return { role: g.role, stage: stageOf(g.role), metric: info.title, epoch: g.epoch, value: info.scale * mean(g.values), seeds: g.values.length };
    });
    const metricOrder = Object.values(curveMetrics).map((m) => m.title).filter((t) => rows.some((r) => r.metric === t));
    const roles = [...new Set(rows.map((r) => r.role))].sort((a, b) => (a === 'mixture' ? -1 : b === 'mixture' ? 1 : a.localeCompare(b)));
    const seeds = new Set(points.map((p) => p.trialId)).size;
    const stageOrder = [stages.pretrain, stages.mixture, stages.other].filter((st) => rows.some((r) => r.stage === st));
    // Each expert's pre-training in that expert's colour (the same in every figure); the mixture in black.
    const roleColours = roles.map((role) => (role === 'mixture' ? mixtureColour : (colours.get(role.replace(/^pretrain /, '')) ?? '#888888')));
    const spec: VlSpec = {
      ...figureHeader(data, 'Training curves', [`${configuration.label} · mean over ${seeds} seed${seeds === 1 ? '' : 's'} per epoch`]),
      data: { values: rows },
      facet: {
        column: { field: 'metric', type: 'nominal', sort: metricOrder, title: null, header: { labelFontWeight: 'bold' } },
        row: { field: 'stage', type: 'nominal', sort: stageOrder, title: null, header: { labelFontWeight: 'bold', labelAngle: -90 } },
      },
      spec: {
        width: 220,
        height: 170,
        encoding: {
          x: { field: 'epoch', type: 'quantitative', title: 'Epoch', axis: { tickMinStep: 1, format: 'd' } },
          // Three significant digits: a one-epoch curve collapses the axis to one tick that would print 0.790215.
          y: { field: 'value', type: 'quantitative', title: null, scale: { zero: false }, axis: { format: '.3~g' } },
          color: { field: 'role', type: 'nominal', sort: roles, title: 'Trained', scale: { domain: roles, range: roleColours } },
        },
        layer: [
          { name: 'curves', mark: { type: 'line', strokeWidth: 1.5 } },
          {
            name: 'epochs',
            mark: { type: 'point', filled: true, size: 28 },
            encoding: { tooltip: [{ field: 'role' }, { field: 'metric' }, { field: 'epoch' }, { field: 'value', format: '.4f' }, { field: 'seeds' }] },
          },
        ],
      },
      // Epochs restart at 1 for the mixture: each stage keeps its own epoch axis.
      resolve: { scale: { y: 'independent', x: 'independent' } },
    };
    figures.push({
      name: `training-curves-${configuration.slug}`,
      title: `Training curves: ${configuration.label}`,
      caption: `Loss, validation metrics and wall time per epoch for ${configuration.label}: one line per training job, each point the mean over seeds; the experts' pre-training (each expert in its colour) and the mixture's training in separate rows, each with its own epochs.`,
      spec,
    });
  }
  return figures;
}
