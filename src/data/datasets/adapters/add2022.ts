import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { DatasetItem, Label, Split } from '../../item.js';
import { objectSchema, splitsOption, type DatasetAdapter } from '../adapter.js';
import type { DatasetContext } from '../context.js';
import { MissingFiles, stem } from '../files.js';
import { parseLabel } from '../labels.js';
import { readProtocol } from '../protocol.js';
import { selectSplits } from '../split-files.js';

const layout =
  'ADD_train_dev/label/{train,dev}_label.txt with audio in ADD_train_dev/{train,dev}/, and ADD2022_test/track1_label.txt with audio in ADD2022_test/track1test/ (or track1/, test/, wav/, or beside the label file)';
const labels: Readonly<Record<string, Label>> = { genuine: 'bonafide', fake: 'spoof' };

/**
 * ADD 2022 (track 1): label lines `<file> genuine|fake`. Where the test audio was unpacked
 * differs between copies, so the first candidate folder that holds the first listed file wins.
 */
export const add2022: DatasetAdapter = {
  name: 'add2022',
  layout,
  splits: 'train -> train, dev -> dev, test (track 1) -> eval',
  optionsSchema: objectSchema({ ...splitsOption }),
  async load(ctx: DatasetContext): Promise<DatasetItem[]> {
    ctx.requireDir(ctx.root, 'root folder', `Expected ${layout}.`);
    const trainDev = join(ctx.root, 'ADD_train_dev');
    const test = join(ctx.root, 'ADD2022_test');
    const subsets: ReadonlyArray<{ split: Split; file: string; extra: string[] }> = [
      { split: 'train', file: join(trainDev, 'label', 'train_label.txt'), extra: [join(trainDev, 'train')] },
      { split: 'dev', file: join(trainDev, 'label', 'dev_label.txt'), extra: [join(trainDev, 'dev')] },
      { split: 'eval', file: join(test, 'track1_label.txt'), extra: ['track1test', 'track1', 'test', 'wav', '.'].map((d) => join(test, d)) },
    ];
    const missing = new MissingFiles(ctx);
    const items: DatasetItem[] = [];
    for (const source of selectSplits(ctx, subsets, `Expected ${layout}.`)) {
      const rows = readProtocol(ctx, source.file, [2], '<file> genuine|fake');
      const first = rows[0]?.fields[0];
      const audioDir = source.extra.find((dir) => first !== undefined && existsSync(join(dir, first))) ?? (source.extra[0] as string);
      for (const { fields, line } of rows) {
        const [file, word] = fields as [string, string];
        const where = { file: source.file, line };
        const label = parseLabel(ctx, word, labels, where);
        const path = join(audioDir, file);
        if (!missing.check(path, where)) continue;
        items.push({ id: stem(file), path, label, dataset: ctx.name, domain: ctx.name, split: source.split });
      }
    }
    missing.settle();
    return items;
  },
};
