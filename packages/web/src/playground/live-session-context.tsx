/**
 * @module The playground's live session belongs to the signed-in app, not to the playground page: its command
 * socket stays open while you move around the dashboard (closing it would end the session a few seconds
 * later), and its room keeps playing in a small dock with a link back. The playground page registers its stage
 * so the same room iframe sits over it there (moving an iframe in the DOM would reload it).
 */
import type { AgentHuman } from '@agenthuman/sdk';
import { createContext, type ReactNode, useContext, useMemo, useState } from 'react';
import { useLiveSession } from './use-live-session.js';

type LiveSessionContextValue = ReturnType<typeof useLiveSession> & {
  /** The playground's stage element while the page is shown; the room sits over it. */
  stage: HTMLElement | null;
  setStage(element: HTMLElement | null): void;
};

const LiveSessionContext = createContext<LiveSessionContextValue | undefined>(undefined);

export function LiveSessionProvider({ client, children }: { client: AgentHuman; children: ReactNode }) {
  const live = useLiveSession(client);
  const [stage, setStage] = useState<HTMLElement | null>(null);
  const value = useMemo(() => ({ ...live, stage, setStage }), [live, stage]);
  return <LiveSessionContext.Provider value={value}>{children}</LiveSessionContext.Provider>;
}

export function useLiveSessionContext(): LiveSessionContextValue {
  const value = useContext(LiveSessionContext);
  if (!value) throw new Error('useLiveSessionContext outside LiveSessionProvider');
  return value;
}

/** Whether a playground session is running (starting, live or ending). */
export const isActive = (phase: string) => phase === 'live' || phase === 'ending';
