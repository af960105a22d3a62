import { afterEach, describe, expect, it } from 'vitest';
import { type ResponseEndpoint, startResponseEndpoint } from '../../src/delivery/index.js';

describe('CloudFormation response endpoint (127.0.0.1)', () => {
  let endpoint: ResponseEndpoint | undefined;
  afterEach(async () => {
    await endpoint?.close();
    endpoint = undefined;
  });

  it('records the first PUT per event, counts later ones, and answers 200 like S3', async () => {
    endpoint = await startResponseEndpoint();
    const url = endpoint.urlFor(7, 'cloudformation');
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/cfn\/cloudformation\/7$/);
    const waiting = endpoint.waitFor(7, 10_000, 'cloudformation');
    expect((await fetch(url, { method: 'PUT', body: '{"Status":"SUCCESS"}' })).status).toBe(200);
    expect((await fetch(url, { method: 'PUT', body: '{"Status":"FAILED"}' })).status).toBe(200);
    const wait = await waiting;
    expect(wait.received).toBe(true);
    if (wait.received) {
      expect(new TextDecoder().decode(wait.response.body)).toBe('{"Status":"SUCCESS"}');
      expect(wait.response.puts).toBe(2);
    }
    // Another scope's event 7 is a different slot.
    expect(endpoint.urlFor(7)).not.toBe(url);
  });

  it('refuses other methods, keeps the size of a large body, times out and releases waiters on close', async () => {
    endpoint = await startResponseEndpoint();
    expect((await fetch(endpoint.urlFor(1), { method: 'POST', body: 'x' })).status).toBe(405);
    await fetch(endpoint.urlFor(2), { method: 'PUT', body: 'y'.repeat(100_000) });
    const big = await endpoint.waitFor(2, 1000);
    expect(big.received && big.response.bytes).toBe(100_000);
    expect(await endpoint.waitFor(3, 50)).toEqual({ received: false, reason: 'timeout' });
    const pending = endpoint.waitFor(4, 60_000);
    await endpoint.close();
    endpoint = undefined;
    expect(await pending).toEqual({ received: false, reason: 'closed' });
  });
});
