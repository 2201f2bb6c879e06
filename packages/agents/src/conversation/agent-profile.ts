// What the conversation needs to know about an agent (a subset of the API's agent record, camel-cased).
import { z } from 'zod';

export const agentProfileSchema = z.object({
  name: z.string().trim().min(1).max(200),
  /** The agent's system prompt. */
  context: z.string().max(100_000).default(''),
  /** Text the agent answers from. */
  knowledge: z.string().max(1_000_000).default(''),
  customGreeting: z.string().max(2000).nullish(),
  /** BCP 47 / ISO 639-1 code of the language the agent speaks (default en). */
  language: z.string().min(2).max(16).default('en'),
});

export type AgentProfile = z.input<typeof agentProfileSchema>;
export type ResolvedAgentProfile = z.output<typeof agentProfileSchema>;

/** The greeting said when a viewer joins (or returned as a chat's first message). */
export function greetingFor(agent: Pick<ResolvedAgentProfile, 'name' | 'customGreeting'>): string {
  const custom = agent.customGreeting?.trim();
  return custom || `Hello! I'm ${agent.name}. How can I help you today?`;
}
