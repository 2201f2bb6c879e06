// Splits an agent's free-form `knowledge` into passages to retrieve: paragraphs (blank-line separated, or one
// per line when the text has no blank lines), Q/A pairs (the question is searched, the answer is said),
// Markdown or "Title:" headings (searched with every passage under them), and bullets as sentences.
import { splitIntoSentences } from '../../conversation/sentence-splitter.js';

export interface Passage {
  /** The heading the passage sits under, if any. */
  title?: string;
  /** A Q/A pair's question. */
  question?: string;
  /** What the agent says, as sentences. */
  sentences: string[];
}

const QUESTION = /^(?:q|question)\s*[:.)-]\s*/i;
const ANSWER = /^(?:a|answer)\s*[:.)-]\s*/i;
const HEADING = /^#{1,6}\s+(.+?)\s*#*$/;
const TITLE_LINE = /^([^.!?:]{2,60}):$/;
const BULLET = /^(?:[-*•]|\d+[.)])\s+/;
/** "Opening hours: 9 to 5" — a label and its value on one line. */
const LABEL_VALUE = /^([A-Za-z][A-Za-z /&'-]{1,40}):\s+(.+)$/;

export function parseKnowledge(knowledge: string): Passage[] {
  const text = knowledge.replace(/\r\n?/g, '\n').trim();
  if (!text) return [];
  const blocks = /\n\s*\n/.test(text) ? text.split(/\n\s*\n/) : text.split('\n');
  const passages: Passage[] = [];
  let title: string | undefined;
  for (const block of blocks) {
    const lines = block
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    let body: string[] = [];
    let question: string | undefined;
    const flush = () => {
      const sentences = body.flatMap(lineToSentences);
      if (sentences.length > 0) {
        passages.push({ ...(title ? { title } : {}), ...(question ? { question } : {}), sentences });
      }
      body = [];
      question = undefined;
    };
    for (const line of lines) {
      const heading = HEADING.exec(line) ?? (lines.length > 1 ? TITLE_LINE.exec(line) : null);
      if (heading) {
        flush();
        title = heading[1]!.trim();
        continue;
      }
      if (QUESTION.test(line)) {
        flush();
        question = line.replace(QUESTION, '').trim();
        continue;
      }
      body.push(line.replace(ANSWER, ''));
    }
    flush();
  }
  return passages;
}

function lineToSentences(line: string): string[] {
  const bullet = BULLET.test(line);
  const clean = line
    .replace(BULLET, '')
    .replace(/\*\*|__|`/g, '')
    .trim();
  const labelled = LABEL_VALUE.exec(clean);
  if (labelled && !/[.!?]\s/.test(labelled[2]!)) return [labelToSentence(labelled[1]!, labelled[2]!)];
  const sentences = splitIntoSentences(clean);
  return bullet ? sentences.map(withFullStop) : sentences;
}

/** "Opening hours: 9 am to 5 pm" → "The opening hours are 9 am to 5 pm." */
function labelToSentence(label: string, value: string): string {
  const name = label.trim();
  const lower = /^[A-Z][a-z]/.test(name) && !/\s[A-Z]/.test(name) ? name.toLowerCase() : name;
  const plural = /[^s]s$/i.test(name) && !/(ss|us|is)$/i.test(name);
  return withFullStop(`The ${lower} ${plural ? 'are' : 'is'} ${value.trim()}`);
}

function withFullStop(sentence: string): string {
  return /[.!?]["')\]]?$/.test(sentence) ? sentence : `${sentence}.`;
}
