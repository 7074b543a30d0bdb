import type { JobSpec } from './index.js';
import type { ResolvedExpert } from './index.js';
import { expertLabel } from './index.js';
import { routingLabel } from '../config/routing.js';

/** A short human description of a job for progress lines and failure lists. */
export function jobLabel(job: Pick<JobSpec, 'kind' | 'inputs'>): string {
  const inputs = job.inputs as Record<string, unknown>;
  switch (job.kind) {
    case 'features': {
      const features = inputs['features'] as { kind?: string } | undefined;
      const set = typeof inputs['evaluationSet'] === 'string' ? ` ${inputs['evaluationSet']}` : '';
      return `features ${features?.kind ?? ''}${set}`.trim();
    }
    case 'pretrain': {
      const expert = inputs['expert'] as ResolvedExpert | undefined;
      return `pretrain ${expert ? expertLabel(expert) : ''} seed ${String(inputs['seed'] ?? '')}`.trim();
    }
    case 'train-moe': {
      const gate = inputs['gate'] as { type?: string } | undefined;
      const routing = (inputs['routing'] ?? {}) as { mode?: string; k?: number };
      return `moe ${gate?.type ?? ''} ${routingLabel(routing)} seed ${String(inputs['seed'] ?? '')}`.replace(/\s+/g, ' ').trim();
    }
    case 'probe':
      return `shortcut probe seed ${String(inputs['seed'] ?? '')}`.trim();
    case 'evaluate':
      return `evaluate ${String(inputs['target'] ?? '')}`.trim();
    default:
      return job.kind;
  }
}
