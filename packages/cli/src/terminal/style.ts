/** @module ANSI styling that turns itself off when stdout/stderr is not a terminal or NO_COLOR is set. */
import { colorEnabled } from '../cli-config.js';

const wrap = (open: number, close: number) => (enabled: boolean) => (text: string) =>
  enabled ? `\x1b[${open}m${text}\x1b[${close}m` : text;

const styles = {
  bold: wrap(1, 22),
  dim: wrap(2, 22),
  red: wrap(31, 39),
  green: wrap(32, 39),
  yellow: wrap(33, 39),
  cyan: wrap(36, 39),
};

export type Style = { [K in keyof typeof styles]: (text: string) => string };

const build = (enabled: boolean): Style =>
  Object.fromEntries(Object.entries(styles).map(([k, f]) => [k, f(enabled)])) as Style;

export const out = build(colorEnabled(process.stdout));
export const err = build(colorEnabled(process.stderr));

/** Visible width, ignoring ANSI escapes. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching the ESC of ANSI sequences is the point
export const visibleLength = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, '').length;
