import { describe, expect, it } from 'vitest';
import { type ChatMessage, completeChat } from '../llm.js';
import { BuiltinResponder, tokenChunks } from './builtin-responder.js';
import { stem } from './stem.js';

const knowledge = `# Opening hours
Our store is open Monday to Friday from 9 am to 6 pm, and Saturday from 10 am to 4 pm. We are closed on Sundays.

# Shipping
We ship to the United States and Canada. Standard shipping takes 3 to 5 business days and costs $5.99. Shipping is free for orders over $50.

# Returns
You can return any unused item within 30 days of delivery for a full refund.

# Pro plan
The Pro plan gives teams unlimited projects, priority support and single sign-on. It costs $20 per user per month.

# Basic plan
The Basic plan is for individuals and includes three projects. It costs $5 per month.

Q: Do you offer gift cards?
A: Yes, digital gift cards from $10 to $500 are sold on our website.`;

const responder = new BuiltinResponder({
  name: 'Ava',
  context: 'You are Ava, a friendly support assistant for Acme Supplies. Keep answers short.',
  knowledge,
});

async function converse(turns: string[]): Promise<string[]> {
  const messages: ChatMessage[] = [{ role: 'system', content: 'ignored by the built-in responder' }];
  const replies: string[] = [];
  for (const turn of turns) {
    messages.push({ role: 'user', content: turn });
    const reply = await completeChat(responder, messages);
    messages.push({ role: 'assistant', content: reply });
    replies.push(reply);
  }
  return replies;
}

describe('BuiltinResponder', () => {
  it('answers FAQ questions from the knowledge, not by echoing', async () => {
    const [hours, sunday, ship, gift, refund] = await converse([
      'What are your opening hours?',
      'Are you open on Sunday?',
      'Do you ship to Canada?',
      'Can I buy a gift card?',
      'How long do I have to return something?',
    ]);
    expect(hours).toContain('Monday to Friday from 9 am to 6 pm');
    expect(sunday).toContain('closed on Sundays');
    expect(ship).toContain('United States and Canada');
    expect(ship).not.toContain('Pro plan');
    expect(gift).toBe('Yes, digital gift cards from $10 to $500 are sold on our website.');
    expect(refund).toContain('within 30 days');
  });

  it('says plainly when it does not know, and offers what it can help with', async () => {
    const [capital, mars] = await converse(['What is the capital of France?', 'Who won the football match?']);
    for (const reply of [capital, mars]) {
      expect(reply).toMatch(/^I'm sorry, I don't have information about that\./);
      expect(reply).toContain('opening hours, shipping, returns and pro plan');
    }
  });

  it('carries the topic into a follow-up question', async () => {
    const [pro, proCost, basic, basicCost] = await converse([
      'Tell me about the Pro plan',
      'And how much does it cost?',
      'What about the Basic plan?',
      'how much is that one?',
    ]);
    expect(pro).toContain('unlimited projects');
    expect(proCost).toContain('$20 per user per month');
    expect(basic).toContain('for individuals');
    expect(basicCost).toContain('$5 per month');
    expect(basicCost).not.toContain('$20');
    // Without the earlier turn the same follow-up is ambiguous and picks no plan by topic.
    const [alone] = await converse(['And how much does it cost?']);
    expect(alone).not.toBe(proCost);
  });

  it('handles greetings, thanks, goodbyes and questions about itself', async () => {
    const [hello, who, can, thanks, bye, greetAndAsk] = await converse([
      'Hello!',
      'Who are you?',
      'What can you do?',
      'Thanks a lot!',
      'Bye',
      'Hi, do you ship to Canada?',
    ]);
    expect(hello).toBe("Hello! I'm Ava. How can I help you today?");
    expect(who).toMatch(
      /^I'm Ava, a friendly support assistant for Acme Supplies\. I can answer questions about/,
    );
    expect(can).toContain('I can answer questions about opening hours, shipping');
    expect(thanks).toMatch(/You're welcome/);
    expect(bye).toMatch(/Goodbye/);
    expect(greetAndAsk).toMatch(/^Hello! We ship to the United States and Canada\./);
  });

  it('streams the reply in word-sized chunks and stops when aborted', async () => {
    const messages: ChatMessage[] = [{ role: 'user', content: 'What are your opening hours?' }];
    const chunks: string[] = [];
    for await (const chunk of responder.chat(messages)) chunks.push(chunk);
    expect(chunks.length).toBeGreaterThan(10);
    expect(chunks.join('')).toBe(responder.reply(messages));
    expect(tokenChunks(' a  b')).toEqual([' a', '  b']);

    const controller = new AbortController();
    const got: string[] = [];
    const error = await (async () => {
      for await (const chunk of responder.chat(messages, { signal: controller.signal })) {
        got.push(chunk);
        if (got.length === 2) controller.abort();
      }
    })().catch((e) => e);
    expect(error?.name).toBe('AbortError');
    expect(got).toHaveLength(2);
  });

  it('works without knowledge and without context', async () => {
    const bare = new BuiltinResponder();
    expect(await completeChat(bare, [{ role: 'user', content: 'What are your prices?' }])).toMatch(
      /^I'm sorry, I don't have information about that\. Could you rephrase/,
    );
    expect(await completeChat(bare, [{ role: 'user', content: 'who are you' }])).toMatch(
      /^I'm your assistant, a virtual assistant\./,
    );
  });

  it('finds a paraphrased question: other words, same meaning', async () => {
    const shop = new BuiltinResponder({
      name: 'Sam',
      knowledge: `# Returns
You can return any bicycle or accessory within 30 days of purchase for a full refund. Refunds reach your card within 5 business days.

# Repairs
Our workshop repairs bikes of every brand. A basic tune-up costs $49 and takes one day.`,
    });
    const [bringBack, fix] = await Promise.all([
      completeChat(shop, [{ role: 'user', content: 'Can I bring back a bike I bought last week?' }]),
      completeChat(shop, [{ role: 'user', content: 'Can you fix my bike?' }]),
    ]);
    expect(bringBack).toMatch(/^You can return any bicycle or accessory within 30 days of purchase/);
    expect(bringBack).not.toContain('tune-up');
    expect(fix).toContain('Our workshop repairs bikes of every brand.');
    expect(fix).not.toContain('refund');
  });

  it('answers from one paragraph with the sentence that matters, not the whole paragraph', async () => {
    const paragraph = new BuiltinResponder({
      knowledge:
        'Sunny Bikes is a family bicycle shop in Portland. We are open Tuesday to Sunday from 10 am to 6 pm. ' +
        'Shipping is free on orders over $100.',
    });
    const ask = (q: string) => completeChat(paragraph, [{ role: 'user', content: q }]);
    expect(await ask('Is shipping free?')).toBe('Shipping is free on orders over $100.');
    expect(await ask('When are you open?')).toBe('We are open Tuesday to Sunday from 10 am to 6 pm.');
    expect(await ask('What is the capital of France?')).toMatch(
      /^I'm sorry, I don't have information about that\./,
    );
  });

  it('uses the legacy context field as knowledge too, leaving out its instructions', async () => {
    const legacy = new BuiltinResponder({
      name: 'Max',
      context:
        'You are Max, the assistant of Sunny Bikes. Keep answers short. ' +
        'Bikes bought from us can be returned within 30 days with the receipt. ' +
        'Our shop is at 12 River Street in Portland.',
    });
    const ask = (q: string) => completeChat(legacy, [{ role: 'user', content: q }]);
    expect(await ask('Can I bring back a bike I bought last week?')).toBe(
      'Bikes bought from us can be returned within 30 days with the receipt.',
    );
    expect(await ask('Where is your shop?')).toBe('Our shop is at 12 River Street in Portland.');
    expect(await ask('Who are you?')).toMatch(/^I'm Max, the assistant of Sunny Bikes\./);
    const unrelated = await ask('Do you sell concert tickets?');
    expect(unrelated).toMatch(/^I'm sorry, I don't have information about that\./);
    expect(unrelated).not.toMatch(/Keep answers short|You are Max/);
  });

  it('stems question and answer words to the same term', () => {
    for (const group of [
      ['price', 'prices', 'priced', 'pricing'],
      ['ship', 'ships', 'shipped', 'shipping'],
      ['delivery', 'deliveries'],
      ['open', 'opens', 'opening'],
    ]) {
      expect(new Set(group.map(stem)).size).toBe(1);
    }
  });
});
