/**
 * @module A list page's table in its one state: loading (first load only, so a reload keeps the rows on
 * screen), the error with a retry, the empty state, or the table with a hidden caption for screen readers and
 * an actions column.
 */
import type { ReactNode } from 'react';
import type { AsyncState } from '../app/use-async.js';
import { ErrorNotice, Loading } from './states.js';

export type Column = string | { label: string; className: string };

export function ListTable<T>({
  list,
  rows = list.data,
  loading,
  empty,
  caption,
  columns,
  row,
}: {
  list: AsyncState<T[]>;
  /** The rows shown, when more than the first page (`list.data`). */
  rows?: T[] | undefined;
  loading: string;
  /** Shown when there are no rows (an `Empty`). */
  empty: ReactNode;
  caption: string;
  /** Header labels; the actions column is added last. */
  columns: Column[];
  /** One `<tr>` per row, its last cell the actions. */
  row: (item: T) => ReactNode;
}) {
  if (list.loading && !list.data) return <Loading label={loading} />;
  if (list.error) return <ErrorNotice error={list.error} onRetry={list.reload} />;
  if (!rows?.length) return empty;
  return (
    <div className="table-wrap">
      <table className="table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {columns.map((column) =>
              typeof column === 'string' ? (
                <th key={column} scope="col">
                  {column}
                </th>
              ) : (
                <th key={column.label} scope="col" className={column.className}>
                  {column.label}
                </th>
              ),
            )}
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>{rows.map(row)}</tbody>
      </table>
    </div>
  );
}
