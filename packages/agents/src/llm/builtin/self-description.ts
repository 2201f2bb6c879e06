// "Who are you?" and "what can you do?" answered from the agent's name, its context (system prompt, written
// to the agent as "You are …") and the topics its knowledge covers.
import { splitIntoSentences } from '../../conversation/sentence-splitter.js';
import type { Passage } from './knowledge-passages.js';

export function describeSelf(name: string, context: string): string {
  for (const sentence of splitIntoSentences(context)) {
    const role = /^(?:you are|you're|you will be|you act as)\s+(.+?)[.!]?$/i.exec(sentence)?.[1];
    if (role) {
      const mine = role.replace(/\byour\b/gi, 'my').replace(/\byourself\b/gi, 'myself');
      const named = mine.toLowerCase().startsWith(name.toLowerCase()) ? mine : `${name}, ${mine}`;
      return `I'm ${named}.`;
    }
    const called = /^your name is\s+(.+?)[.!]?$/i.exec(sentence)?.[1];
    if (called) return `I'm ${called}, a virtual assistant.`;
  }
  return `I'm ${name}, a virtual assistant.`;
}

/** Up to four topics: passage headings first, then the subjects of Q/A questions. */
export function knowledgeTopics(passages: Passage[]): string[] {
  const topics: string[] = [];
  const add = (topic: string) => {
    const clean = topic.replace(/[?.!:]+$/, '').trim();
    if (clean && !topics.some((t) => t.toLowerCase() === clean.toLowerCase())) topics.push(clean);
  };
  for (const p of passages) if (p.title) add(p.title.toLowerCase());
  return topics.slice(0, 4);
}

export function describeCapabilities(topics: string[]): string {
  if (topics.length === 0) return 'I can answer your questions. What would you like to know?';
  const list =
    topics.length === 1 ? topics[0]! : `${topics.slice(0, -1).join(', ')} and ${topics[topics.length - 1]}`;
  return `I can answer questions about ${list}. What would you like to know?`;
}
