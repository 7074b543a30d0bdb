import { describe, expect, it } from 'vitest';
import { loadSweep } from '../../src/search/index.js';
import { withTrainer } from '../../src/trainers/pytorch.js';
import { isUserError } from '../../src/util/errors.js';
import { tempDir } from '../helpers/tmp.js';
import { minimalBase, writeSweep } from '../search/sweep-fixtures.js';

describe('--trainer pytorch and data.cropPoolSeconds', () => {
  it('is refused at plan time, naming the field and what to do (the PyTorch trainer does not crop per draw)', () => {
    const data = { ...(minimalBase()['data'] as object), clipSeconds: 1, cropPoolSeconds: 2 };
    const file = writeSweep(tempDir(), { name: 'crop', base: minimalBase({ data }) });
    let error: unknown;
    try {
      withTrainer(loadSweep(file), 'pytorch');
    } catch (caught) {
      error = caught;
    }
    expect(isUserError(error)).toBe(true);
    expect((error as Error).message).toContain('data.cropPoolSeconds');
    expect((error as Error).message).toContain('built-in trainer');
    expect(withTrainer(loadSweep(file), 'builtin').sweep).toBeDefined();
  });
});
