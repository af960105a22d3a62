import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LambenchError } from '../../../src/core/errors.js';
import { createDestinationFile, destinationPath } from '../../../src/delivery/destination-file.js';
import { tempDir } from '../../helpers/temp-dir.js';

describe('destination file', () => {
  it('buffers lines until flush and writes one JSON per line, creating the folder', async () => {
    const dir = join(tempDir('lambench-dest-'), 'nested', 'out');
    const file = createDestinationFile(destinationPath(dir, 'sns'));
    for (let i = 0; i < 3; i++) file.append({ i });
    expect(file.lines).toBe(3);
    await file.flush();
    expect(readFileSync(join(dir, 'sns.on-failure.jsonl'), 'utf8')).toBe('{"i":0}\n{"i":1}\n{"i":2}\n');
    file.append({ i: 3 });
    await file.flush();
    expect(readFileSync(file.path, 'utf8').trim().split('\n')).toHaveLength(4);
  });

  it('writes large volumes without losing or splitting a line', async () => {
    const dir = tempDir('lambench-dest-');
    const file = createDestinationFile(destinationPath(dir, 's3'));
    const payload = 'x'.repeat(1000);
    for (let i = 0; i < 500; i++) file.append({ i, payload });
    await file.flush();
    const lines = readFileSync(file.path, 'utf8').trim().split('\n');
    expect(lines.map((l) => JSON.parse(l).i)).toEqual([...Array(500).keys()]);
  });

  it('reports a write it could not make from flush, naming the file', async () => {
    const dir = tempDir('lambench-dest-');
    writeFileSync(join(dir, 'blocker'), 'a file where a folder should be');
    const file = createDestinationFile(join(dir, 'blocker', 's3.on-failure.jsonl'));
    file.append({ lost: false });
    await expect(file.flush()).rejects.toThrow(LambenchError);
    await expect(file.flush()).rejects.toThrow(/could not write the on-failure destination .*blocker/);
  });
});
