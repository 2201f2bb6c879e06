// `npm install` warns EBADENGINE for every installed package whose `engines.node` excludes the Node version
// running it. The README promises Node 20.19+, so every package the lockfile installs on every platform must
// accept the lowest version the root package.json states (overrides pin what would not).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

type Version = [number, number, number];
const ROOT = join(import.meta.dirname, '..');

const parse = (v: string): Version => {
  const [a = 0, b = 0, c = 0] = v
    .replace(/^[v=]+/, '')
    .split('-')[0]!
    .split('.')
    .map((n) => (n === 'x' || n === '*' ? 0 : Number(n)));
  return [a, b, c];
};
const cmp = (a: Version, b: Version) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
const parts = (v: string) =>
  v
    .replace(/^[v=]+/, '')
    .split('.')
    .filter((p) => p !== 'x' && p !== '*').length;

/** Whether `version` satisfies one comparator (>=, >, <, <=, =, ^, ~, partial versions, *). */
function satisfiesComparator(version: Version, comparator: string): boolean {
  const m = /^(>=|<=|>|<|=|\^|~)?\s*(.*)$/.exec(comparator.trim());
  if (!m) return false;
  const [, op = '', raw = ''] = m;
  if (raw === '' || raw === '*' || raw === 'x') return true;
  const v = parse(raw);
  const n = parts(raw);
  const upper = (level: number): Version =>
    level <= 0 ? [v[0] + 1, 0, 0] : level === 1 ? [v[0], v[1] + 1, 0] : [v[0], v[1], v[2] + 1];
  switch (op) {
    case '>=':
      return cmp(version, v) >= 0;
    case '>':
      return n < 3 ? cmp(version, upper(n - 1)) >= 0 : cmp(version, v) > 0;
    case '<':
      return cmp(version, v) < 0;
    case '<=':
      return n < 3 ? cmp(version, upper(n - 1)) < 0 : cmp(version, v) <= 0;
    case '^': {
      const level = v[0] > 0 || n === 1 ? 0 : v[1] > 0 || n === 2 ? 1 : 2;
      return cmp(version, v) >= 0 && cmp(version, upper(level)) < 0;
    }
    case '~':
      return cmp(version, v) >= 0 && cmp(version, upper(n === 1 ? 0 : 1)) < 0;
    default:
      return cmp(version, v) >= 0 && cmp(version, upper(n - 1)) < 0;
  }
}

function satisfies(version: string, range: string): boolean {
  const v = parse(version);
  return range.split('||').some((alternative) => {
    const hyphen = /^\s*(\S+)\s+-\s+(\S+)\s*$/.exec(alternative);
    if (hyphen) return satisfiesComparator(v, `>=${hyphen[1]}`) && satisfiesComparator(v, `<=${hyphen[2]}`);
    const comparators = alternative
      .trim()
      .replace(/(>=|<=|>|<|=|\^|~)\s+/g, '$1')
      .split(/\s+/);
    return comparators.every((c) => satisfiesComparator(v, c));
  });
}

describe('Node engines of installed packages', () => {
  it('the range check reads npm ranges the way npm does', () => {
    expect(satisfies('20.19.0', '>=22')).toBe(false);
    expect(satisfies('20.19.0', '>=18')).toBe(true);
    expect(satisfies('20.19.0', '^20.19.0 || ^22.12.0 || >=24.0.0')).toBe(true);
    expect(satisfies('20.19.0', '^20.20.0 || >=22')).toBe(false);
    expect(satisfies('20.19.0', '>= 14.0.0 < 21')).toBe(true);
    expect(satisfies('20.19.0', '18 - 20')).toBe(true);
    expect(satisfies('20.19.0', '~20.18')).toBe(false);
    expect(satisfies('20.19.0', '*')).toBe(true);
  });

  it('every package in the lockfile accepts the lowest Node version package.json states', () => {
    const root = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    const lowest = /(\d+(?:\.\d+){0,2})/.exec(root.engines.node)?.[1];
    expect(lowest, 'package.json engines.node').toBeDefined();
    const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8'));
    const refusing = Object.entries(
      lock.packages as Record<string, { version?: string; engines?: { node?: string } | string[] }>,
    )
      .filter(([, p]) => p.engines && !Array.isArray(p.engines) && p.engines.node)
      .filter(([, p]) => !satisfies(lowest!, (p.engines as { node: string }).node))
      .map(([path, p]) => `${path}@${p.version} needs node ${(p.engines as { node: string }).node}`);
    expect(refusing).toEqual([]);
  });
});
