// The system message for a real model: the agent's context, how to speak (replies are read aloud), and its
// knowledge — whole when it is short, else the passages that BM25 finds for the user's message.
import { KnowledgeRetriever } from '../llm/builtin/knowledge-retriever.js';
import type { ResolvedAgentProfile } from './agent-profile.js';

export interface SystemPromptOptions {
  /** Knowledge longer than this is narrowed to the passages relevant to the question (default 6000). */
  maxKnowledgeChars?: number;
}

export class SystemPrompt {
  private readonly retriever: KnowledgeRetriever | undefined;
  private readonly maxKnowledgeChars: number;

  constructor(
    private readonly agent: ResolvedAgentProfile,
    options: SystemPromptOptions = {},
  ) {
    this.maxKnowledgeChars = options.maxKnowledgeChars ?? 6000;
    if (agent.knowledge.length > this.maxKnowledgeChars) {
      this.retriever = new KnowledgeRetriever(agent.knowledge, {
        minCoverage: 0,
        maxPassages: 12,
        minRelativeScore: 0,
      });
    }
  }

  for(userText: string): string {
    const a = this.agent;
    const parts = [
      a.context.trim() || `You are ${a.name}, a helpful assistant.`,
      `Your name is ${a.name}. Reply in the language with code "${a.language}". Your replies are spoken aloud ` +
        'by an avatar: keep them short and conversational, in plain sentences without lists, markdown or emoji.',
    ];
    const knowledge = this.knowledgeFor(userText);
    if (knowledge) {
      parts.push(
        'Answer from the knowledge below when it is relevant. If the answer is not in it, say plainly that ' +
          `you don't have that information.\n\nKnowledge:\n${knowledge}`,
      );
    }
    return parts.join('\n\n');
  }

  private knowledgeFor(userText: string): string {
    const knowledge = this.agent.knowledge.trim();
    if (!this.retriever) return knowledge;
    let out = '';
    for (const hit of this.retriever.search(this.retriever.queryOf(userText))) {
      const text = [hit.passage.title, hit.passage.question, hit.passage.sentences.join(' ')]
        .filter(Boolean)
        .join('\n');
      if (out.length + text.length > this.maxKnowledgeChars) break;
      out += `${text}\n\n`;
    }
    return out.trim();
  }
}
