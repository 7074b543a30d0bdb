import type { VlSpec } from './figure.js';

/**
 * An x axis for the levels of a factor that lines can cross: levels sit at 0, 1, 2... on a
 * linear scale and the axis prints their names. (A nominal axis with offsets splits each
 * level into its own group, so lines between levels cannot be drawn.)
 */
export function levelAxis(levels: string[], title: string | null, maxLine = Infinity): VlSpec {
  // Long levels (an expert set "a + b + c") print one part per line, upright and whole,
  // rather than rotated and cut: the panel is made wide enough for their longest line.
  const lines = levels.map((l) => levelLines(l, maxLine));
  return {
    type: 'quantitative',
    title,
    scale: { domain: [-0.5, levels.length - 0.5], nice: false, zero: false },
    axis: {
      values: levels.map((_, i) => i),
      labelExpr: `${JSON.stringify(lines)}[datum.value]`,
      labelAngle: 0,
      labelAlign: 'center',
      labelLimit: 0,
      labelOverlap: false,
      grid: false,
    },
  };
}

/**
 * A level's label as lines: the parts of a "+"-joined list, else the text itself; parts
 * longer than `maxLine` characters break after a slash ("resnet/" "logspec").
 */
export function levelLines(level: string, maxLine = Infinity): string[] {
  const parts = level.includes(' + ') ? level.split(' + ').map((part, i) => (i === 0 ? part : `+ ${part}`)) : [level];
  return parts.flatMap((part) => {
    const slash = part.indexOf('/');
    return part.length > maxLine && slash > 0 ? [part.slice(0, slash + 1), part.slice(slash + 1)] : [part];
  });
}

/** Axis label width (px at 11 px DejaVu Sans, about 6.7 px a character) of the longest line of any level. */
export function longestLevelLine(levels: string[]): number {
  return Math.max(0, ...levels.flatMap((level) => levelLines(level)).map((l) => l.length)) * 6.7;
}

/** Where the g-th of `count` series sits around a level, so their intervals do not overlap. */
export function dodge(level: number, g: number, count: number, spacing = 0.16): number {
  return level + (g - (count - 1) / 2) * spacing;
}

/** Width of a panel for these levels: room for each level's longest label line. */
export function levelPanelWidth(levels: number | string[]): number {
  const count = typeof levels === 'number' ? levels : levels.length;
  const perLevel = typeof levels === 'number' ? 70 : Math.max(70, longestLevelLine(levels) + 12);
  return Math.max(170, perLevel * count);
}

/**
 * Levels in reading order: numbers ascending (numExperts 1, 3, not the order trials first
 * used them), everything else as the sweep lists it.
 */
export function orderedLevels<T>(levels: T[]): T[] {
  return levels.every((l) => typeof l === 'number') ? [...levels].sort((a, b) => (a as number) - (b as number)) : levels;
}
