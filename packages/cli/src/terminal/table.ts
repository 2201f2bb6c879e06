/** @module Aligned plain-text tables: a dim header row, two spaces between columns, numbers right-aligned. */
import { out, visibleLength } from './style.js';

export type Column<T> = {
  header: string;
  value: (row: T) => string | number | null | undefined;
  align?: 'left' | 'right';
  /** Cells longer than this are cut with an ellipsis. */
  max?: number;
};

export function renderTable<T>(rows: T[], columns: Column<T>[]): string {
  const cells = rows.map((row) =>
    columns.map((column) => {
      const raw = column.value(row);
      const text = raw === null || raw === undefined || raw === '' ? '—' : String(raw);
      return column.max && text.length > column.max ? `${text.slice(0, column.max - 1)}…` : text;
    }),
  );
  const widths = columns.map((column, i) =>
    Math.max(column.header.length, ...cells.map((row) => visibleLength(row[i] ?? ''))),
  );
  const line = (values: string[]) =>
    values
      .map((value, i) => {
        const pad = ' '.repeat(Math.max(0, (widths[i] ?? 0) - visibleLength(value)));
        return columns[i]?.align === 'right' ? pad + value : value + pad;
      })
      .join('  ')
      .trimEnd();
  return [out.dim(line(columns.map((c) => c.header.toUpperCase()))), ...cells.map(line)].join('\n');
}

/** `key  value` pairs for one object, keys aligned. */
export function renderFields(fields: [string, string | number | null | undefined][]): string {
  const width = Math.max(...fields.map(([key]) => key.length));
  return fields
    .map(
      ([key, value]) =>
        `${out.dim(key.padEnd(width))}  ${value === null || value === undefined ? '—' : value}`,
    )
    .join('\n');
}
