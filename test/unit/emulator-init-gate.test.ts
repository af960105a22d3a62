import { describe, expect, it } from 'vitest';
import { InitGate, type Lease } from '../../src/emulator/init-gate.js';

describe('InitGate', () => {
  it('bounds environments initialising at once, and hands a freed slot to the first waiter', () => {
    const gate = new InitGate(2);
    const a = gate.tryAcquire();
    const b = gate.tryAcquire();
    expect(a).toBeDefined();
    expect(b).toBeDefined();
    expect(gate.tryAcquire()).toBeUndefined();
    const granted: Lease[] = [];
    gate.wait((lease) => granted.push(lease));
    a?.initDone();
    a?.initDone(); // idempotent: frees one slot, not two
    expect(granted).toHaveLength(1);
    expect(gate.tryAcquire()).toBeUndefined();
  });

  it('bounds live environments: a place frees only when a process exits', () => {
    const gate = new InitGate(4, 2);
    const a = gate.tryAcquire() as Lease;
    const b = gate.tryAcquire() as Lease;
    a.initDone();
    b.initDone();
    expect(gate.tryAcquire()).toBeUndefined(); // two environments alive, though none initialising
    let granted = 0;
    gate.wait(() => granted++);
    a.exited();
    a.exited();
    expect(granted).toBe(1);
  });

  it('asks for an idle environment to be reclaimed when the live bound is what blocks', () => {
    let reclaims = 0;
    const gate = new InitGate(1, 1, () => {
      reclaims++;
      return true;
    });
    (gate.tryAcquire() as Lease).initDone();
    expect(gate.tryAcquire()).toBeUndefined();
    expect(reclaims).toBe(1);
    const busy = new InitGate(1, 10, () => {
      reclaims++;
      return true;
    });
    busy.tryAcquire();
    expect(busy.tryAcquire()).toBeUndefined(); // the init bound blocks: nothing to reclaim for
    expect(reclaims).toBe(1);
  });

  it('withdrawn waits are never granted', () => {
    const gate = new InitGate(1);
    const lease = gate.tryAcquire() as Lease;
    let granted = 0;
    const withdraw = gate.wait(() => granted++);
    withdraw();
    lease.initDone();
    expect(granted).toBe(0);
    expect(gate.tryAcquire()).toBeDefined();
  });

  it('gives a grace only while the host is saturated: an init running, or the sweeper late', () => {
    const gate = new InitGate(2, 64, () => false, 1);
    expect(gate.graceMs(0)).toBe(0);
    const lease = gate.tryAcquire() as Lease;
    expect(gate.graceMs(0)).toBe(1); // an environment is initialising
    lease.initDone();
    expect(gate.graceMs(0)).toBe(0);
    gate.noteTimerLag(4, 100); // within the tolerance: not saturated
    expect(gate.graceMs(100)).toBe(0);
    gate.noteTimerLag(6, 100);
    expect(gate.graceMs(1099)).toBe(1);
    expect(gate.graceMs(1100)).toBe(0); // a second later it has passed
    const strict = new InitGate(2, 64, () => false, 0);
    strict.tryAcquire();
    expect(strict.graceMs(0)).toBe(0); // grace 0: Lambda's rule, whatever the host does
  });
});
