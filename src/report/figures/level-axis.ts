import type { VlSpec } from './figure.js';

/**
 * An x axis for the levels of a factor that lines can cross: levels sit at 0, 1, 2... on a
 * linear scale and the axis prints their names. (A nominal axis with offsets splits each
 * level into its own group, so lines between levels cannot be drawn.)
 */
export function levelAxis(levels: string[], title: string | null): VlSpec {
  const long = levels.some((l) => l.length > 12);
  return {
    type: 'quantitative',
    title,
    scale: { domain: [-0.5, levels.length - 0.5], nice: false, zero: false },
    axis: {
      values: levels.map((_, i) => i),
      labelExpr: `${JSON.stringify(levels)}[datum.value]`,
      labelAngle: long ? -30 : 0,
      labelAlign: long ? 'right' : 'center',
      labelLimit: 200,
      labelOverlap: false,
      grid: false,
    },
  };
}

/** Where the g-th of `count` series sits around a level, so their intervals do not overlap. */
export function dodge(level: number, g: number, count: number, spacing = 0.16): number {
  return level + (g - (count - 1) / 2) * spacing;
}

/** Width of a panel with `levels` levels. */
export function levelPanelWidth(levels: number): number {
  return Math.max(170, 70 * levels);
}
