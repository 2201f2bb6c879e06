// One table per provider kind: each entry is `{ id, configSchema, create }`. Adding a provider is one entry;
// nothing switches on provider names. The kind's config schema (a union discriminated by `provider`) checks a
// config first, so a bad one fails the same way whichever entry it names.
import type { z } from 'zod';
import { type Capability, parseProviderOptions } from './provider-error.js';

export interface ProviderEntry<Deps, Product, Schema extends z.ZodType = z.ZodType> {
  id: string;
  configSchema: Schema;
  create(config: z.output<Schema>, deps: Deps): Product;
}

/** Keeps each entry's config type tied to its own schema. */
export function provider<Schema extends z.ZodType, Deps, Product>(
  id: string,
  configSchema: Schema,
  create: (config: z.output<Schema>, deps: Deps) => Product,
): ProviderEntry<Deps, Product, Schema> {
  return { id, configSchema, create };
}

export interface ProviderTable<Deps, Product> {
  readonly ids: readonly string[];
  create(config: unknown, deps: Deps): Product;
}

export function providerTable<Deps, Product>(
  capability: Capability,
  configSchema: z.ZodType,
  // biome-ignore lint/suspicious/noExplicitAny: entries of one table differ in config type; each is checked by its own schema.
  entries: readonly ProviderEntry<Deps, Product, any>[],
): ProviderTable<Deps, Product> {
  const byId = new Map(entries.map((entry) => [entry.id, entry]));
  return {
    ids: entries.map((entry) => entry.id),
    create(config, deps) {
      const id = String((config as { provider?: unknown } | undefined)?.provider);
      const data = parseProviderOptions(capability, id, configSchema, config) as { provider: string };
      const entry = byId.get(data.provider);
      if (!entry) throw new Error(`no ${capability} provider ${data.provider} in the table`);
      return entry.create(data, deps);
    },
  };
}
