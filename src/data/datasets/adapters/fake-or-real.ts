import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { DatasetItem, Label, Split } from '../../item.js';
import { objectSchema, type DatasetAdapter } from '../adapter.js';
import type { DatasetContext } from '../context.js';
import { audioFilesIn, stem, subfolders } from '../files.js';

const versions = ['original', 'norm', '2seconds', 'rerecorded'] as const;
type Version = (typeof versions)[number];

const layout = 'for-{original,norm,2seconds,rerecorded}/{training,validation,testing}/{real,fake}/*.wav (root: the folder holding for-<version>/, or that folder itself)';

const splitFolders: Readonly<Record<string, Split>> = { training: 'train', validation: 'dev', testing: 'eval' };
const labelFolders: Readonly<Record<string, Label>> = { real: 'bonafide', fake: 'spoof' };

/**
 * Fake-or-Real (FoR): one of four versions, each with training/validation/testing folders
 * of real and fake clips. Some copies nest the version folder twice (for-norm/for-norm/...);
 * both are found. Item ids are `<split folder>/<label folder>/<file stem>` because file
 * names repeat across folders.
 */
export const fakeOrReal: DatasetAdapter = {
  name: 'fake-or-real',
  layout,
  splits: 'training -> train, validation -> dev, testing -> eval',
  optionsSchema: objectSchema({
    version: { enum: versions, default: 'norm', description: 'which of the four FoR versions to read.' },
  }),
  async load(ctx: DatasetContext): Promise<DatasetItem[]> {
    ctx.requireDir(ctx.root, 'root folder', `Expected ${layout}.`);
    const version = ctx.option<Version>('version');
    const base = findVersionFolder(ctx.root, version);
    if (base === undefined) {
      throw ctx.error(`found no training/, validation/ or testing/ folder for version "${version}" under ${ctx.root} (looked in for-${version}/for-${version}/, for-${version}/ and the root itself). Expected ${layout}.`);
    }
    const items: DatasetItem[] = [];
    for (const [folder, split] of Object.entries(splitFolders)) {
      const splitDir = join(base, folder);
      if (!existsSync(splitDir)) {
        ctx.warn(`no ${split} split: ${splitDir} does not exist.`);
        continue;
      }
      for (const labelFolder of subfolders(splitDir)) {
        const label = labelFolders[labelFolder];
        if (label === undefined) {
          throw ctx.error(`folder "${labelFolder}" in ${splitDir} is not a known label (expected real/ or fake/). Move or remove it.`);
        }
        for (const file of audioFilesIn(join(splitDir, labelFolder))) {
          items.push({
            id: `${folder}/${labelFolder}/${stem(file)}`,
            path: join(splitDir, labelFolder, file),
            label,
            dataset: ctx.name,
            domain: ctx.name,
            split,
            meta: { version },
          });
        }
      }
    }
    return items;
  },
};

function findVersionFolder(root: string, version: Version): string | undefined {
  const name = `for-${version}`;
  const candidates = [join(root, name, name), join(root, name), root];
  return candidates.find((dir) => Object.keys(splitFolders).some((folder) => existsSync(join(dir, folder))));
}
