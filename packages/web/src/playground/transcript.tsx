/** @module What was said, in order: your lines, what the avatar was asked to say, and agent replies. */
import type { TranscriptLine } from './use-live-session.js';

const WHO = { you: 'You', avatar: 'Avatar', agent: 'Agent' } as const;

export function Transcript({ lines }: { lines: TranscriptLine[] }) {
  return (
    <section className="card panel" aria-labelledby="transcript-title">
      <h2 id="transcript-title">Transcript</h2>
      {lines.length === 0 ? (
        <p className="muted small">Type something for the avatar to say.</p>
      ) : (
        <ol className="transcript" aria-live="polite" data-testid="transcript">
          {lines.map((line) => (
            <li key={line.id} className={`bubble bubble-${line.role}`}>
              <span className="bubble-who">{WHO[line.role]}</span>
              {line.text}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
