import type { Configuration, ReportData } from './types.js';

/** A metric of a configuration on one dataset (or aggregate key), one value per finished seed. */
export function seedValues(data: ReportData, configuration: Configuration, dataset: string, metric: string): number[] {
  const values: number[] = [];
  for (const trial of configuration.trials) {
    const value = data.scores.get(trial.id)?.get(dataset)?.[metric];
    if (value !== undefined) values.push(value);
  }
  return values;
}

/** Metric names present in the scores, headline ones first. */
export function metricsPresent(data: ReportData): Set<string> {
  const names = new Set<string>();
  for (const byDataset of data.scores.values()) for (const row of byDataset.values()) for (const name of Object.keys(row)) names.add(name);
  return names;
}

/** How the report prints each metric; rates are stored as fractions and shown in percent. */
export const metricInfo: Record<string, { title: string; better: 'min' | 'max'; percent: boolean }> = {
  eer: { title: 'EER', better: 'min', percent: true },
  auc: { title: 'AUC', better: 'max', percent: true },
  minDcf: { title: 'minDCF', better: 'min', percent: false },
  actDcf: { title: 'actDCF', better: 'min', percent: false },
  cllr: { title: 'Cllr', better: 'min', percent: false },
};

export function metricTitle(metric: string): string {
  const info = metricInfo[metric];
  if (!info) return metric;
  return info.percent ? `${info.title} (%)` : info.title;
}

/** The value as displayed (percent for rates). */
export function displayValue(metric: string, value: number): number {
  return metricInfo[metric]?.percent ? value * 100 : value;
}
