import { describe, expect, it } from 'vitest';
import { compileTemplate, createEventFaker, renderDeep, TemplateError } from '../../../src/events/index.js';

const scope = (index = 0) => {
  const faker = createEventFaker();
  faker.seed([7, index]);
  return { faker, index, now: Date.UTC(2025, 5, 1, 12, 0, 0, 250), vars: { user: 'ada' } };
};

describe('templates', () => {
  it('renders index, now forms, vars and bare vars', () => {
    const t = compileTemplate('{{ index }}|{{ now }}|{{ now.epoch }}|{{now.ms}}|{{ vars.user }}|{{ user }}');
    expect(t.isStatic).toBe(false);
    expect(t.render(scope(4))).toBe('4|2025-06-01T12:00:00.250Z|1748779200|1748779200250|ada|ada');
  });

  it('calls faker methods with JSON arguments, deterministically for a seed', () => {
    const t = compileTemplate('n={{ faker.number.int({"min":5,"max":9}) }} id={{ faker.string.uuid }}');
    const a = t.render(scope(1));
    expect(a).toMatch(/^n=[5-9] id=[0-9a-f-]{36}$/);
    expect(t.render(scope(1))).toBe(a);
    const many = new Set(Array.from({ length: 20 }, (_, i) => t.render(scope(i))));
    expect(many.size).toBeGreaterThan(15);
  });

  it('keeps a number when the whole string is one expression, in renderDeep', () => {
    const out = renderDeep(
      { size: '{{ faker.number.int({"max":10}) }}', label: 'n{{ index }}', list: ['{{ index }}'] },
      scope(3),
    ) as Record<string, unknown>;
    expect(typeof out.size).toBe('number');
    expect(out.label).toBe('n3');
    expect(out.list).toEqual([3]);
  });

  it('treats text without braces as static', () => {
    expect(compileTemplate('plain text').isStatic).toBe(true);
    expect(compileTemplate('plain text').render(scope())).toBe('plain text');
  });

  it.each([
    ['{{ faker.internet.urll }}', 4, /did you mean faker\.internet\.url/],
    ['ab {{ faker.nope.x }}', 7, /unknown faker module/],
    ['{{ index', 9, /expected "}}"/],
    ['x{{ faker.number.int({"min":) }}', 22, /JSON/],
    ['{{ faker.constructor.call }}', 4, /unknown faker module/],
    ['{{ faker.string.constructor }}', 4, /unknown faker method/],
    ['{{ now.year }}', 4, /unknown name/],
    ['{{ index(1) }}', 4, /only faker methods take arguments/],
  ])('rejects %s with the column of the problem', (text, column, message) => {
    let error: unknown;
    try {
      compileTemplate(text);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(TemplateError);
    expect((error as TemplateError).code).toBe('TEMPLATE');
    expect((error as TemplateError).exitCode).toBe(2);
    expect((error as TemplateError).column).toBe(column);
    expect((error as TemplateError).message).toMatch(message);
  });

  it('reports an unknown variable at render time', () => {
    expect(() => compileTemplate('{{ vars.missing }}').render(scope())).toThrow(
      /unknown variable "missing".*known: user/,
    );
  });
});
