// The legacy dialect has no `knowledge` field: agents made through it put their facts in `context`, the
// system prompt, next to instructions meant for the model. The built-in responder answers from those facts
// too, and leaves out what is said to the agent ("You are …", "Keep answers short.").
import { splitIntoSentences } from '../../conversation/sentence-splitter.js';

/** Sentences addressed to the agent: its role, name and manner of speaking. */
const INSTRUCTION =
  /^(?:you are|you're|you will|you act|you should|you must|you can help|you help|your name|your role|your job|your task|your goal|act as|pretend|behave|keep|be\b|always|never|don't|do not|avoid|answer|respond|reply|speak|talk|use\b|only\b|stay|remember|make sure|try\b|if you don't know|if you do not know|if unsure|when asked|greet|introduce)/i;

/** The facts of a context (system prompt): every sentence that is not an instruction to the agent. */
export function contextFacts(context: string): string {
  return splitIntoSentences(context.replace(/\s+/g, ' '))
    .map((s) => s.trim())
    .filter((s) => s && !INSTRUCTION.test(s))
    .join(' ');
}
