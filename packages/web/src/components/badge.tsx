export type BadgeTone = 'green' | 'amber' | 'grey' | 'red' | 'blue';

export function Badge({ tone, children }: { tone: BadgeTone; children: string }) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}
