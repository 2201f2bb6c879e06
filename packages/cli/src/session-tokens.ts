/**
 * @module Remembers the streaming token of sessions this CLI created (the API shows it only in the create
 * reply), so `say` and `play` can open the session's WebSocket later. Owner-only file next to config.json.
 */
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { configDir } from './cli-config.js';

const KEEP = 100;
const file = () => join(configDir(), 'session-tokens.json');

type Entry = { token: string; created_at: string };

function readAll(): Record<string, Entry> {
  try {
    return JSON.parse(readFileSync(file(), 'utf8')) as Record<string, Entry>;
  } catch {
    return {};
  }
}

export function saveSessionToken(sessionId: string, token: string) {
  const all = readAll();
  all[sessionId] = { token, created_at: new Date().toISOString() };
  const kept = Object.entries(all)
    .sort((a, b) => b[1].created_at.localeCompare(a[1].created_at))
    .slice(0, KEEP);
  mkdirSync(configDir(), { recursive: true, mode: 0o700 });
  writeFileSync(file(), `${JSON.stringify(Object.fromEntries(kept), null, 2)}\n`, { mode: 0o600 });
  chmodSync(file(), 0o600);
}

export const findSessionToken = (sessionId: string): string | undefined => readAll()[sessionId]?.token;
