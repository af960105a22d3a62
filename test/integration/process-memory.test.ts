/**
 * An environment's memory from /proc: the peak RSS of its main process, plus the current RSS of the
 * processes it started. The files stay open and are re-read, so each read sees the tree as it is
 * now. Linux only (as the emulator's memory limit).
 */
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { ProcessMemory, processMemoryKb } from '../../src/emulator/limits/memory.js';

describe('ProcessMemory', () => {
  it('counts the descendants of a process, as they come and go', async () => {
    // A shell with two children: each `sleep` is a process of its own with some resident memory.
    const shell = spawn('sh', ['-c', 'sleep 30 & echo $!; sleep 30 & wait'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const firstChild = await new Promise<number>((resolve) =>
      shell.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))),
    );
    const memory = new ProcessMemory(shell.pid as number);
    try {
      let tree = 0;
      for (let i = 0; i < 100 && tree - memory.peakKb() < 1.5 * processMemoryKb(firstChild).rss; i++) {
        await sleep(20);
        tree = memory.treeKb();
      }
      const own = memory.peakKb();
      const child = processMemoryKb(firstChild).rss;
      expect(own).toBeGreaterThan(0);
      expect(child).toBeGreaterThan(0);
      // Both children counted (two processes of about the same size), read through the open files.
      expect(tree - own).toBeGreaterThanOrEqual(1.5 * child);
      process.kill(firstChild, 'SIGKILL');
      await sleep(100);
      expect(memory.treeKb() - memory.peakKb()).toBeLessThan(tree - own);
    } finally {
      shell.kill('SIGKILL');
      memory.close();
    }
    expect(memory.peakKb()).toBe(0); // closed
  });

  it('reads zeros for a process that does not exist', () => {
    const memory = new ProcessMemory(2 ** 22 + 1);
    expect(memory.peakKb()).toBe(0);
    expect(memory.treeKb()).toBe(0);
    memory.close();
  });
});
