import { mean } from 'simple-statistics';
import type { GateWeightRow } from '../../store/index.js';
import type { Configuration, ReportData } from '../data/types.js';
import { expertColours } from './expert-colours.js';
import { figureHeader, type Figure, type VlSpec } from './figure.js';
import { paperHeader, paperPngScale, paperWidths, type PaperWidth } from './paper.js';

export interface GatingCell {
  dataset: string;
  expert: string;
  expertIndex: number;
  /** Mean over items of the weight the expert got (0 on items it was not routed). */
  weight: number;
  /** Share of items routed to the expert: hard routing only (soft routing routes every item to every expert). */
  selected: number | null;
}

/** The column for the weight no expert carries: under hard routing with router weighting it goes to chance. */
export const unroutedLabel = 'unrouted (chance)';

/** Rows whose weights sum to less than this much below 1 get the unrouted column. */
const unroutedTolerance = 0.005;

type Routing = 'soft' | 'hard';

/**
 * Figure 2: the gating analysis of the papers. Rows are evaluation sets, columns experts,
 * each cell the mean gate weight (averaged over items, then seeds) written in the cell.
 * Soft and hard routing are never averaged together: soft weights sum to 1 on every item,
 * while hard routing with router weighting (the default) keeps only the selected experts'
 * router probabilities, the rest going to chance, shown as its own "unrouted" column so
 * each row still sums to 1. Under hard routing a second line gives the share of items
 * routed to the expert. One average per routing family (over its configurations, each the
 * mean over its seeds), then one figure per configuration.
 */
export function gatingHeatmaps(data: ReportData): Figure[] {
  return heatmapsOf(data, data.gateWeights, setAxis);
}

/**
 * The same heatmaps with one row per item group instead of per evaluation set: bona fide
 * items, then the spoofed items of each attack, pooled over the evaluation sets (the papers'
 * interpretability claim: does the gate send each generator to its own expert?). Empty
 * where the per-item gate weights were not loaded (src/report/data/item-gating.ts).
 */
export function gatingGroupHeatmaps(data: ReportData): Figure[] {
  return data.groupGates && data.groupGates.length > 0 ? heatmapsOf(data, data.groupGates, groupAxis) : [];
}

/** What a heatmap's rows are: evaluation sets, or item groups (class and attack). */
interface RowAxis {
  /** In captions: "each evaluation set". */
  noun: string;
  /** In titles: "per expert and evaluation set". */
  heading: string;
  /** A note under the title saying what the rows are, if the title does not. */
  note: string | null;
  title: string;
  /** Inserted into figure names after "gating-heatmap". */
  slug: string;
}

const setAxis: RowAxis = { noun: 'evaluation set', heading: 'per expert and evaluation set', note: null, title: 'Evaluation set', slug: '' };
const groupAxis: RowAxis = {
  noun: 'item group (bona fide, spoof, and spoof by attack, over all evaluation sets)',
  heading: 'per expert, class and attack',
  note: 'rows: bona fide and spoofed items, then the spoofed items of each attack, pooled over every evaluation set',
  title: 'Items',
  slug: '-by-attack',
};

function heatmapsOf(data: ReportData, gateRows: GateWeightRow[], axis: RowAxis): Figure[] {
  const byTrial = new Map<string, GateWeightRow[]>();
  for (const row of gateRows) {
    const rows = byTrial.get(row.trial_id);
    if (rows) rows.push(row);
    else byTrial.set(row.trial_id, [row]);
  }
  const perConfiguration: Figure[] = [];
  const families: Record<Routing, GatingCell[][]> = { soft: [], hard: [] };
  for (const configuration of data.configurations) {
    const rows = configuration.trials.flatMap((t) => byTrial.get(t.id) ?? []);
    if (rows.length === 0) continue;
    const routing = routingOf(configuration);
    const seeds = new Set(rows.map((r) => r.trial_id)).size;
    const cells = configurationCells(rows, routing);
    // Only gated configurations have a routing family; a baseline's weights (where a runner
    // writes any) get their own figure but never enter the routing averages.
    if (configuration.trials[0]?.view['routing.mode'] !== undefined) families[routing].push(cells);
    perConfiguration.push(
      heatmap(data, `gating-heatmap${axis.slug}-${configuration.slug}`, cells, routing, configuration, [`${configuration.label} · mean over ${seeds} seed${seeds === 1 ? '' : 's'}`], axis),
    );
  }
  const averages: Figure[] = [];
  const paperVariants: Figure[] = [];
  for (const routing of ['soft', 'hard'] as const) {
    const members = families[routing];
    // One configuration's average is its own figure.
    if (members.length < 2) continue;
    const cells = meanCells(members.flat());
    const what = `mean over the ${members.length} ${routing === 'soft' ? 'soft' : 'hard'}-routing configurations (each the mean over its seeds)`;
    averages.push(heatmap(data, `gating-heatmap${axis.slug}-average-${routing}`, cells, routing, null, [what], axis));
    for (const size of ['single', 'double'] as const) paperVariants.push(heatmap(data, `paper-${size}-gating${axis.slug}-average-${routing}`, cells, routing, null, [what], axis, size));
  }
  return [...averages, ...perConfiguration, ...paperVariants];
}

/** Soft unless the trials route to k experts (topk, noisy-topk). */
function routingOf(configuration: Configuration): Routing {
  const mode = configuration.trials[0]?.view['routing.mode'];
  return mode === undefined || mode === 'soft' ? 'soft' : 'hard';
}

/**
 * A configuration's cells: per (set, expert) the mean over seeds; under hard routing the
 * selected share, and the unrouted mass of each (trial, set) as one more column.
 */
export function configurationCells(rows: GateWeightRow[], routing: Routing): GatingCell[] {
  const cells: GatingCell[] = rows.map((r) => ({
    dataset: r.dataset,
    expert: r.expert_label,
    expertIndex: r.expert,
    weight: r.mean_weight,
    selected: routing === 'hard' ? r.selected_fraction : null,
  }));
  if (routing === 'hard') {
    const sums = new Map<string, { dataset: string; sum: number; experts: number }>();
    for (const r of rows) {
      const key = `${r.trial_id}\u0000${r.dataset}`;
      const entry = sums.get(key) ?? { dataset: r.dataset, sum: 0, experts: 0 };
      entry.sum += r.mean_weight;
      entry.experts = Math.max(entry.experts, r.expert + 1);
      sums.set(key, entry);
    }
    const rest = [...sums.values()].map((s) => ({ dataset: s.dataset, expert: unroutedLabel, expertIndex: Number.MAX_SAFE_INTEGER, weight: Math.max(0, 1 - s.sum), selected: null }));
    if (rest.some((r) => r.weight > unroutedTolerance)) cells.push(...rest);
  }
  return meanCells(cells);
}

/** Mean weight (and selected share) per (set, expert): experts are matched by label, so mixtures with other expert lists still average sensibly. */
function meanCells(cells: GatingCell[]): GatingCell[] {
  const groups = new Map<string, GatingCell[]>();
  for (const cell of cells) {
    const key = `${cell.dataset}\u0000${cell.expert}`;
    const group = groups.get(key);
    if (group) group.push(cell);
    else groups.set(key, [cell]);
  }
  return [...groups.values()].map((group) => {
    const first = group[0] as GatingCell;
    const selected = group.map((g) => g.selected).filter((v): v is number => v !== null);
    return {
      dataset: first.dataset,
      expert: first.expert,
      expertIndex: Math.min(...group.map((g) => g.expertIndex)),
      weight: mean(group.map((g) => g.weight)),
      selected: selected.length > 0 ? mean(selected) : null,
    };
  });
}

function heatmap(data: ReportData, name: string, cells: GatingCell[], routing: Routing, configuration: Configuration | null, detail: string[], axis: RowAxis, paper?: PaperWidth): Figure {
  const present = new Set(cells.map((c) => c.dataset));
  const setOrder = [...data.evaluationSets.map((s) => s.name), ...present].filter((v, i, all) => present.has(v) && all.indexOf(v) === i);
  const experts = [...new Map([...cells].sort((a, b) => a.expertIndex - b.expertIndex).map((c) => [c.expert, c.expertIndex])).keys()];
  const hasSelected = cells.some((c) => c.selected !== null);
  const unrouted = experts.includes(unroutedLabel);
  const longest = Math.max(...experts.map((e) => e.length));
  // Expert names in their colour, the same as in the training curves; "unrouted" stays grey.
  const colours = Object.fromEntries([...expertColours(data)].filter(([label]) => experts.includes(label)));
  const values = cells.map((c) => ({
    ...c,
    weightText: c.weight.toFixed(2),
    selectedText: c.selected === null ? '' : `sel. ${(100 * c.selected).toFixed(0)} %`,
  }));
  const rowStep = paper ? (hasSelected ? 22 : 15) : hasSelected ? 46 : 36;
  // A paper's heatmap: the columns share what the set labels and the legend leave of the width.
  const columnStep = paper ? Math.floor((paperWidths[paper] - 110) / experts.length) : Math.max(96, Math.min(170, longest * 8));
  const textColor = { condition: { test: 'datum.weight > 0.55', value: 'white' }, value: '#111' };
  const layers: VlSpec[] = [
    {
      name: 'cells',
      mark: { type: 'rect', stroke: 'white', strokeWidth: 1 },
      encoding: {
        color: { field: 'weight', type: 'quantitative', title: 'Mean gate weight', scale: { domain: [0, 1], scheme: 'blues' }, legend: { gradientLength: Math.max(paper ? 40 : 60, setOrder.length * rowStep - 16), ...(paper ? { title: 'Weight', gradientThickness: 8 } : {}) } },
        tooltip: [{ field: 'dataset' }, { field: 'expert' }, { field: 'weight', format: '.3f' }, ...(hasSelected ? [{ field: 'selected', format: '.3f' }] : [])],
      },
    },
    {
      name: 'weights',
      mark: { type: 'text', fontSize: paper ? 7 : 13, baseline: hasSelected ? 'bottom' : 'middle', dy: hasSelected ? -1 : 0 },
      encoding: { text: { field: 'weightText' }, color: textColor },
    },
  ];
  if (hasSelected) {
    layers.push({
      name: 'selected',
      transform: [{ filter: 'datum.selected != null' }],
      mark: { type: 'text', fontSize: paper ? 5.5 : 10, baseline: 'top', dy: paper ? 1 : 3 },
      encoding: { text: { field: 'selectedText' }, color: textColor },
    });
  }
  const notes = routing === 'soft' ? ['soft routing: every expert weighs in on every item; each row sums to 1'] : hardNotes(hasSelected, unrouted);
  const spec: VlSpec = {
    ...(paper ? paperHeader(data) : figureHeader(data, `Mean gate weight ${axis.heading} (${routing} routing)`, [...detail, ...(axis.note ? [axis.note] : []), ...notes])),
    data: { values },
    width: { step: columnStep },
    height: { step: rowStep },
    encoding: {
      x: {
        field: 'expert',
        type: 'nominal',
        sort: experts,
        title: paper ? null : 'Expert',
        axis: { labelAngle: paper ? -30 : longest > 14 ? -25 : 0, labelAlign: paper ? 'left' : undefined, orient: 'top', labelFontWeight: 'bold', labelColor: { expr: `${JSON.stringify(colours)}[datum.value] || '#666666'` } },
      },
      y: { field: 'dataset', type: 'nominal', sort: setOrder, title: paper ? null : axis.title },
    },
    layer: layers,
  };
  const family = routing === 'soft' ? 'soft-routing' : 'hard-routing';
  if (paper) {
    return {
      name,
      title: `Gating${axis === groupAxis ? ' by class and attack' : ''}: average over the ${family} configurations (paper, ${paper} column)`,
      caption: `Mean gate weight of each expert on each ${axis.noun}, averaged over items, seeds and the ${family} configurations${hasSelected ? '; small: the share of items routed to the expert' : ''}${unrouted ? '; "unrouted": weight left to chance' : ''}; ${paperWidths[paper]} pt wide.`,
      spec,
      pngScale: paperPngScale,
    };
  }
  return {
    name,
    title: `Gating${axis === groupAxis ? ' by class and attack' : ''}: ${configuration ? configuration.label : `average over the ${family} configurations`}`,
    caption:
      (configuration
        ? `Mean gate weight of each expert on each ${axis.noun} for ${configuration.label}, averaged over items and seeds`
        : `Mean gate weight of each expert on each ${axis.noun}, averaged over items, seeds and the ${family} configurations`) +
      (routing === 'hard'
        ? `: an expert's weight is 0 on the items not routed to it${unrouted ? '; "unrouted" is the weight left to chance (router weighting), so each row sums to 1' : ''}${hasSelected ? '; "sel." is the share of items routed to the expert' : ''}.`
        : '; soft routing, so each row sums to 1.'),
    spec,
  };
}

function hardNotes(hasSelected: boolean, unrouted: boolean): string[] {
  return [
    `hard routing: weight 0 on items not routed to the expert${unrouted ? '; unrouted: weight left to chance (router weighting)' : ''}`,
    ...(hasSelected ? ['sel.: share of items routed to the expert'] : []),
  ];
}
