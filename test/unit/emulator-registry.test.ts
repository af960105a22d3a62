import { describe, expect, it } from 'vitest';
import { parseFunctionRef } from '../../src/emulator/arn.js';
import { LATEST, Registry } from '../../src/emulator/registry.js';
import { type FunctionConfiguration, LambdaServiceError } from '../../src/emulator/types.js';

const ARN = 'arn:aws:lambda:us-east-1:123456789012:function:orders';

function registryWithFunction(): Registry {
  const registry = new Registry('us-east-1', '123456789012');
  const config: FunctionConfiguration = {
    functionName: 'orders',
    functionArn: ARN,
    codeDir: '/code',
    handler: 'index.handler',
    runtime: 'nodejs22.x',
    memorySize: 128,
    timeout: 3,
    environment: {},
    version: LATEST,
    lastModified: new Date(0).toISOString(),
  };
  registry.add(config);
  return registry;
}

function serviceError(fn: () => unknown): LambdaServiceError {
  try {
    fn();
  } catch (err) {
    if (err instanceof LambdaServiceError) return err;
    throw err;
  }
  throw new Error('expected a LambdaServiceError');
}

describe('function references', () => {
  it('accepts names, name:qualifier, partial and full ARNs', () => {
    expect(parseFunctionRef('orders')).toEqual({ name: 'orders' });
    expect(parseFunctionRef('orders:live')).toEqual({ name: 'orders', qualifier: 'live' });
    expect(parseFunctionRef('123456789012:function:orders:7')).toEqual({ name: 'orders', qualifier: '7' });
    expect(parseFunctionRef(`${ARN}:$LATEST`)).toEqual({ name: 'orders', qualifier: '$LATEST' });
    expect(parseFunctionRef(ARN, 'live')).toEqual({ name: 'orders', qualifier: 'live' });
  });

  it('rejects a qualifier that disagrees with the one in the name, and malformed names', () => {
    expect(serviceError(() => parseFunctionRef('orders:live', 'beta')).type).toBe(
      'InvalidParameterValueException',
    );
    expect(serviceError(() => parseFunctionRef('orders/evil')).httpStatus).toBe(400);
  });
});

describe('versions and aliases', () => {
  it('publishes immutable numbered snapshots and reuses one when nothing changed', () => {
    const registry = registryWithFunction();
    const v1 = registry.publish('orders');
    expect(v1.version).toBe('1');
    expect(v1.functionArn).toBe(`${ARN}:1`);
    expect(registry.publish('orders').version).toBe('1');
    const rec = registry.get('orders');
    registry.replaceLatest(rec, { ...rec.latest, memorySize: 512 });
    const v2 = registry.publish('orders');
    expect(v2.version).toBe('2');
    expect(registry.configuration('orders', '1').memorySize).toBe(128);
    expect(registry.configuration('orders', '2').memorySize).toBe(512);
    expect(Object.isFrozen(v1)).toBe(true);
  });

  it('resolves qualifiers to the version that runs and keeps the qualifier in the invoked ARN', () => {
    const registry = registryWithFunction();
    registry.publish('orders');
    registry.setAlias('orders', { name: 'live', functionVersion: '1' }, true);
    const byAlias = registry.resolve('orders:live');
    expect(byAlias.config.version).toBe('1');
    expect(byAlias.invokedArn).toBe(`${ARN}:live`);
    expect(registry.resolve('orders').invokedArn).toBe(ARN);
    expect(registry.resolve(ARN, '$LATEST').config.version).toBe(LATEST);
  });

  it('routes an alias between two versions by weight', () => {
    const registry = registryWithFunction();
    registry.publish('orders');
    const rec = registry.get('orders');
    registry.replaceLatest(rec, { ...rec.latest, memorySize: 256 });
    registry.publish('orders');
    registry.setAlias(
      'orders',
      { name: 'canary', functionVersion: '1', additionalVersionWeights: { '2': 0.3 } },
      true,
    );
    let second = 0;
    for (let i = 0; i < 4000; i++) if (registry.resolve('orders', 'canary').config.version === '2') second++;
    expect(second / 4000).toBeGreaterThan(0.25);
    expect(second / 4000).toBeLessThan(0.35);
  });

  it('reports Lambda shapes for missing, conflicting and invalid aliases', () => {
    const registry = registryWithFunction();
    registry.publish('orders');
    expect(serviceError(() => registry.resolve('orders', '9')).type).toBe('ResourceNotFoundException');
    expect(serviceError(() => registry.resolve('nope')).httpStatus).toBe(404);
    expect(serviceError(() => registry.resolve('orders', 'ghost')).message).toBe(
      `Function not found: ${ARN}:ghost`,
    );
    registry.setAlias('orders', { name: 'live', functionVersion: '1' }, true);
    expect(
      serviceError(() => registry.setAlias('orders', { name: 'live', functionVersion: '1' }, true))
        .httpStatus,
    ).toBe(409);
    const weights = { name: 'w', functionVersion: '1', additionalVersionWeights: { '1': 0.5 } };
    expect(serviceError(() => registry.setAlias('orders', weights, true)).type).toBe(
      'InvalidParameterValueException',
    );
    const tooHeavy = { name: 'h', functionVersion: LATEST, additionalVersionWeights: { '1': 1.5 } };
    expect(serviceError(() => registry.setAlias('orders', tooHeavy, true)).httpStatus).toBe(400);
  });
});
