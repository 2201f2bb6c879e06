/** @module The plan table: concurrency, custom avatars, included minutes and session length per plan. */
import { PLAN_KEYS, type PlanKey } from '@agenthuman/protocol';
import { z } from 'zod';

export type Plan = {
  key: PlanKey;
  name: string;
  /** Sessions running at the same time; null = unlimited. */
  maxConcurrentSessions: number | null;
  /** Custom avatars per billing cycle; 0 = not in the plan, null = unlimited. */
  customAvatarsPerCycle: number | null;
  /** Minutes included per monthly cycle; null = unlimited. */
  includedMinutes: number | null;
  /** Minutes one session may run; null = unlimited. */
  maxSessionDuration: number | null;
};

export type PlanTable = Record<PlanKey, Plan>;

export const DEFAULT_PLANS: PlanTable = {
  free: {
    key: 'free',
    name: 'Free',
    maxConcurrentSessions: 1,
    customAvatarsPerCycle: 0,
    includedMinutes: 20,
    maxSessionDuration: 10,
  },
  explorer: {
    key: 'explorer',
    name: 'Explorer',
    maxConcurrentSessions: 5,
    customAvatarsPerCycle: 20,
    includedMinutes: 120,
    maxSessionDuration: 60,
  },
  growth: {
    key: 'growth',
    name: 'Growth',
    maxConcurrentSessions: 10,
    customAvatarsPerCycle: 60,
    includedMinutes: 600,
    maxSessionDuration: 120,
  },
  pro: {
    key: 'pro',
    name: 'Pro',
    maxConcurrentSessions: 20,
    customAvatarsPerCycle: 180,
    includedMinutes: 1500,
    maxSessionDuration: 180,
  },
  enterprise: {
    key: 'enterprise',
    name: 'Enterprise',
    maxConcurrentSessions: null,
    customAvatarsPerCycle: null,
    includedMinutes: null,
    maxSessionDuration: null,
  },
};

const limit = z.number().int().min(0).nullable().optional();

/** `AGENTHUMAN_PLANS`: JSON overriding any field of any plan, e.g. `{"free":{"includedMinutes":60}}`. */
export const PlanOverrides = z
  .partialRecord(
    z.enum(PLAN_KEYS),
    z
      .object({
        name: z.string().min(1).optional(),
        maxConcurrentSessions: limit,
        customAvatarsPerCycle: limit,
        includedMinutes: limit,
        maxSessionDuration: limit,
      })
      .strict(),
  )
  .default({});
export type PlanOverrides = z.infer<typeof PlanOverrides>;

export function buildPlanTable(overrides: PlanOverrides): PlanTable {
  const table = structuredClone(DEFAULT_PLANS);
  for (const key of PLAN_KEYS) {
    const patch = overrides[key];
    if (!patch) continue;
    for (const [field, value] of Object.entries(patch)) {
      if (value !== undefined) Object.assign(table[key], { [field]: value });
    }
  }
  return table;
}
