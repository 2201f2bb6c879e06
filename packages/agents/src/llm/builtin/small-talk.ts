// Social turns an FAQ agent must handle without its knowledge: greetings, thanks, goodbyes, "how are you",
// acknowledgements, and questions about the agent itself.
import { words } from './text-terms.js';

export type Intent = 'greeting' | 'thanks' | 'goodbye' | 'how-are-you' | 'identity' | 'capabilities' | 'ack';

const PATTERNS: [Intent, RegExp][] = [
  [
    'identity',
    /\b(who|what) are you\b|\byour name\b|\bare you (a |an )?(bot|robot|human|real|person|ai|machine)\b|\bintroduce yourself\b/,
  ],
  [
    'capabilities',
    /\bwhat can you (do|help)|\bhow can you help\b|\bwhat do you (do|know)\b|\bwhat (can|should) i ask\b|^help\b/,
  ],
  ['how-are-you', /\bhow are you\b|\bhow('?s| is) it going\b|\bhow are things\b|\bhow do you do\b/],
  ['thanks', /\b(thanks|thank you|thx|ty|cheers|appreciate it|much appreciated)\b/],
  [
    'goodbye',
    /\b(bye|goodbye|good bye|see you|see ya|farewell|that'?s all|have a (good|nice|great) (day|one|evening))\b/,
  ],
  ['greeting', /^(hi|hello|hey|hiya|howdy|greetings|good (morning|afternoon|evening)|yo)\b/],
  [
    'ack',
    /^(ok|okay|k|great|cool|nice|perfect|got it|i see|alright|all right|sounds good|awesome|yes|no|sure)\b/,
  ],
];

/** Words that only carry the social part of a turn (left over words are a real question). */
const SOCIAL_WORDS = new Set(
  `hi hello hey hiya howdy greetings good morning afternoon evening yo there thanks thank you thx ty cheers
  appreciate it much appreciated bye goodbye see ya farewell thats all have a nice great day one ok okay k cool
  perfect got i alright all right sounds awesome yes no sure how are doing today is going things do who what
  your name bot robot human real person ai machine introduce yourself can help know ask should me for very so
  lot again later the that was helpful`.split(/\s+/),
);

export interface SocialReading {
  intents: Intent[];
  /** The turn has words beyond the social ones (a question to answer from knowledge). */
  hasQuestion: boolean;
}

export function readSocial(text: string): SocialReading {
  const normal = words(text).join(' ');
  const intents = PATTERNS.filter(([, re]) => re.test(normal)).map(([intent]) => intent);
  const rest = words(text).filter((w) => !SOCIAL_WORDS.has(w));
  return { intents, hasQuestion: rest.length > 0 };
}

export const socialReplies = {
  greeting: (name: string) => `Hello! I'm ${name}. How can I help you today?`,
  thanks: () => "You're welcome! Is there anything else I can help you with?",
  goodbye: () => 'Goodbye! Thanks for chatting with me, and have a great day.',
  howAreYou: () => "I'm doing well, thank you for asking! What can I help you with today?",
  ack: () => 'Great! Is there anything else you would like to know?',
};
