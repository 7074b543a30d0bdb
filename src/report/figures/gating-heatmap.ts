import { mean } from 'simple-statistics';
import type { GateWeightRow } from '../../store/index.js';
import type { Configuration, ReportData } from '../data/types.js';
import { figureHeader, type Figure, type VlSpec } from './figure.js';

interface Cell {
  dataset: string;
  expert: string;
  expertIndex: number;
  weight: number;
  /** Share of items routed to the expert (hard routing only). */
  selected: number | null;
}

/**
 * Figure 2: the gating analysis of the papers. Rows are evaluation sets, columns experts,
 * each cell the mean gate weight (averaged over seeds) written in the cell; under hard
 * routing a second line gives the share of items the expert was selected for.
 */
export function gatingHeatmaps(data: ReportData): Figure[] {
  const byTrial = new Map<string, GateWeightRow[]>();
  for (const row of data.gateWeights) {
    const rows = byTrial.get(row.trial_id);
    if (rows) rows.push(row);
    else byTrial.set(row.trial_id, [row]);
  }
  const figures: Figure[] = [];
  const perConfiguration: Cell[][] = [];
  for (const configuration of data.configurations) {
    const rows = configuration.trials.flatMap((t) => byTrial.get(t.id) ?? []);
    if (rows.length === 0) continue;
    const seeds = new Set(rows.map((r) => r.trial_id)).size;
    const cells = averageCells(rows);
    perConfiguration.push(cells);
    figures.push(heatmap(data, `gating-heatmap-${configuration.slug}`, cells, `${configuration.label} · mean over ${seeds} seed${seeds === 1 ? '' : 's'}`, configuration));
  }
  if (perConfiguration.length > 1) {
    // Each configuration counts once, whatever its number of finished seeds.
    const cells = averageCells(
      perConfiguration.flat().map((c) => ({ trial_id: '', dataset: c.dataset, expert: c.expertIndex, expert_label: c.expert, mean_weight: c.weight, selected_fraction: c.selected })),
    );
    const hard = perConfiguration.filter((c) => c.some((cell) => cell.selected !== null)).length;
    figures.unshift(heatmap(data, 'gating-heatmap-average', cells, `average over ${perConfiguration.length} configurations (each the mean over its seeds)`, null, hard));
  }
  return figures;
}

/** Mean weight (and selected share) per (set, expert): experts are matched by label, so mixtures with other expert lists still average sensibly. */
function averageCells(rows: GateWeightRow[]): Cell[] {
  const groups = new Map<string, GateWeightRow[]>();
  for (const row of rows) {
    const key = `${row.dataset}\u0000${row.expert_label}`;
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return [...groups.values()].map((group) => {
    const first = group[0] as GateWeightRow;
    const selected = group.map((g) => g.selected_fraction).filter((v): v is number => v !== null);
    return {
      dataset: first.dataset,
      expert: first.expert_label,
      expertIndex: first.expert,
      weight: mean(group.map((g) => g.mean_weight)),
      selected: selected.length > 0 ? mean(selected) : null,
    };
  });
}

function heatmap(data: ReportData, name: string, cells: Cell[], detail: string, configuration: Configuration | null, hardConfigurations = 1): Figure {
  const setOrder = [...data.evaluationSets.map((s) => s.name), ...cells.map((c) => c.dataset)].filter((v, i, all) => all.indexOf(v) === i);
  const experts = [...new Map([...cells].sort((a, b) => a.expertIndex - b.expertIndex).map((c) => [c.expert, c.expertIndex])).keys()];
  const hasSelected = cells.some((c) => c.selected !== null);
  const longest = Math.max(...experts.map((e) => e.length));
  const values = cells.map((c) => ({
    ...c,
    weightText: c.weight.toFixed(2),
    selectedText: c.selected === null ? '' : `sel. ${(100 * c.selected).toFixed(0)} %`,
  }));
  const rowStep = hasSelected ? 46 : 36;
  const textColor = { condition: { test: 'datum.weight > 0.55', value: 'white' }, value: '#111' };
  const layers: VlSpec[] = [
    {
      name: 'cells',
      mark: { type: 'rect', stroke: 'white', strokeWidth: 1 },
      encoding: {
        color: { field: 'weight', type: 'quantitative', title: 'Mean gate weight', scale: { domain: [0, 1], scheme: 'blues' }, legend: { gradientLength: Math.max(60, setOrder.length * rowStep - 16) } },
        tooltip: [{ field: 'dataset' }, { field: 'expert' }, { field: 'weight', format: '.3f' }, ...(hasSelected ? [{ field: 'selected', format: '.3f' }] : [])],
      },
    },
    {
      name: 'weights',
      mark: { type: 'text', fontSize: 13, baseline: hasSelected ? 'bottom' : 'middle', dy: hasSelected ? -1 : 0 },
      encoding: { text: { field: 'weightText' }, color: textColor },
    },
  ];
  if (hasSelected) {
    layers.push({
      name: 'selected',
      transform: [{ filter: 'datum.selected != null' }],
      mark: { type: 'text', fontSize: 10, baseline: 'top', dy: 3 },
      encoding: { text: { field: 'selectedText' }, color: textColor },
    });
  }
  const spec: VlSpec = {
    ...figureHeader(data, 'Mean gate weight per expert and evaluation set', [detail, ...(hasSelected ? [selectedNote(configuration, hardConfigurations)] : [])]),
    data: { values },
    width: { step: Math.max(96, Math.min(170, longest * 8)) },
    height: { step: rowStep },
    encoding: {
      x: { field: 'expert', type: 'nominal', sort: experts, title: 'Expert', axis: { labelAngle: longest > 14 ? -25 : 0, orient: 'top' } },
      y: { field: 'dataset', type: 'nominal', sort: setOrder, title: 'Evaluation set' },
    },
    layer: layers,
  };
  return {
    name,
    title: configuration ? `Gating: ${configuration.label}` : 'Gating: average over configurations',
    caption: configuration
      ? `Mean gate weight of each expert on each evaluation set for ${configuration.label}, averaged over seeds${hasSelected ? '; under hard routing, the share of items routed to each expert' : ''}.`
      : 'Mean gate weight of each expert on each evaluation set, averaged over the mixture configurations.',
    spec,
  };
}

function selectedNote(configuration: Configuration | null, hardConfigurations: number): string {
  if (configuration) return 'sel.: share of items routed to the expert (hard routing)';
  return `sel.: share of items routed to the expert, mean over the ${hardConfigurations} hard-routing configuration${hardConfigurations === 1 ? '' : 's'}`;
}
