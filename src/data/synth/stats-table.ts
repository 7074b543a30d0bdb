import type { DomainStatistics } from './stats.js';

/**
 * The text of `ablate data synth --stats`: per domain its own artefact statistic with the
 * trivial features, then the transfer table: for every domain, the AUC of each known
 * family's statistic (oriented as on its own family), so one reads off which known
 * artefact classes an unknown domain carries, and that the control carries none.
 */
export function formatStatisticsTable(table: readonly DomainStatistics[]): string[] {
  const own = [
    'domain  artefact statistic         bona fide   spoof   AUC | duration s (b/s)   RMS dBFS (b/s)   leading silence s (b/s)',
    ...table.map((s) =>
      [
        s.domain.padEnd(7),
        `${s.statistic} (${s.spoofDirection})`.padEnd(28),
        s.classes.bonafide.evidence.toFixed(3).padStart(9),
        s.classes.spoof.evidence.toFixed(3).padStart(7),
        s.evidenceAuc.toFixed(2).padStart(5),
        '|',
        `${s.classes.bonafide.durationSeconds.toFixed(3)}/${s.classes.spoof.durationSeconds.toFixed(3)}`.padEnd(18),
        `${s.classes.bonafide.rmsDb.toFixed(1)}/${s.classes.spoof.rmsDb.toFixed(1)}`.padEnd(16),
        `${s.classes.bonafide.leadingSilenceSeconds.toFixed(3)}/${s.classes.spoof.leadingSilenceSeconds.toFixed(3)}`,
      ].join(' '),
    ),
  ];
  const teachers = table[0]?.knownEvidence ?? [];
  if (teachers.length === 0) return own;
  const headers = teachers.map((t) => `${t.teacher}:${t.statistic}`);
  const widths = headers.map((h) => Math.max(h.length, 5));
  const transfer = [
    '',
    'AUC of the known families\' artefact statistics (1 = spoofs on the side the known family moves them, 0.5 = no separation)',
    ['domain ', 'status  ', 'family                   ', ...headers.map((h, i) => h.padStart(widths[i] as number))].join(' '),
    ...table.map((s) =>
      [
        s.domain.padEnd(7),
        (s.known ? 'known' : 'unknown').padEnd(8),
        s.family.padEnd(25),
        ...s.knownEvidence.map((e, i) => e.auc.toFixed(2).padStart(widths[i] as number)),
      ].join(' '),
    ),
  ];
  return [...own, ...transfer];
}
