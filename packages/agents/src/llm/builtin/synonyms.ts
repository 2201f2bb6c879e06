// Meaning, not only spelling: words and phrases that customers and knowledge texts use for the same thing meet
// in one term ("bring back" / "return", "bought" / "purchase", "bike" / "bicycle"). Applied to the knowledge
// and to questions alike, after stemming, so only the group's first word's stem is ever indexed. Kept to
// everyday support vocabulary; a word with two common meanings ("cycle", "order", "call") is left out.
import { stem } from './stem.js';

/** Two-word phrases → one word, matched on lower-case words before stopwords are removed. */
const PHRASES: Record<string, string> = {
  'bring back': 'return',
  'send back': 'return',
  'take back': 'return',
  'give back': 'return',
  'money back': 'refund',
  'pay back': 'refund',
  'sign up': 'register',
  'log in': 'login',
  'sign in': 'login',
  'check out': 'checkout',
  'get in touch': 'contact',
  'gift card': 'giftcard',
  'gift cards': 'giftcard',
  'e mail': 'email',
};

/** Irregular forms the stemmer cannot reach. */
const IRREGULAR: Record<string, string> = {
  bought: 'buy',
  sold: 'sell',
  paid: 'pay',
  sent: 'send',
  brought: 'bring',
  broke: 'break',
  broken: 'break',
  children: 'child',
  kids: 'child',
  kid: 'child',
};

/** Groups of words that mean the same here; the first names the group. */
const GROUPS: string[][] = [
  ['return', 'exchange'],
  ['refund', 'reimburse', 'reimbursement'],
  ['purchase', 'buy'],
  ['bicycle', 'bike', 'ebike'],
  ['cost', 'price', 'pricing', 'fee', 'charge', 'expensive', 'cheap', 'afford'],
  ['ship', 'shipping', 'deliver', 'delivery', 'dispatch', 'courier'],
  ['repair', 'fix', 'mend'],
  ['break', 'damage', 'defective', 'faulty'],
  ['warranty', 'guarantee'],
  ['shop', 'store'],
  ['cancel', 'terminate', 'unsubscribe'],
  ['support', 'help', 'assist', 'assistance'],
  ['contact', 'reach', 'phone', 'telephone'],
  ['address', 'location', 'located', 'situated', 'directions'],
  ['job', 'career', 'vacancy', 'hiring', 'hire'],
  ['discount', 'coupon', 'voucher', 'promo', 'promotion'],
  ['pay', 'payment'],
  ['customer', 'client'],
  ['password', 'passcode'],
  ['email', 'mail'],
  ['car', 'vehicle'],
  ['child', 'children'],
  ['begin', 'start'],
  ['finish', 'end'],
  ['big', 'large'],
  ['small', 'little'],
];

const CANONICAL = new Map<string, string>();
for (const group of GROUPS) {
  const name = stem(group[0]!);
  for (const word of group) CANONICAL.set(stem(word), name);
}

/** Joins known two-word phrases into their one-word meaning ("bring", "back" → "return"). */
export function joinPhrases(words: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const three = PHRASES[`${words[i]} ${words[i + 1]} ${words[i + 2]}`];
    if (three && i + 2 < words.length) {
      out.push(three);
      i += 2;
      continue;
    }
    const two = PHRASES[`${words[i]} ${words[i + 1]}`];
    if (two && i + 1 < words.length) {
      out.push(two);
      i += 1;
      continue;
    }
    out.push(IRREGULAR[words[i]!] ?? words[i]!);
  }
  return out;
}

/** The term a stemmed word is indexed under: its group's name, or itself. */
export function canonicalTerm(stemmed: string): string {
  return CANONICAL.get(stemmed) ?? stemmed;
}
