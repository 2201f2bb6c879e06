/** @module Prefixed ULID ids (`sess_01H…`), the v1 dialect's resource ids. */
import { ulid } from 'ulid';

export type IdPrefix = 'acct' | 'key' | 'sess' | 'agnt' | 'avat' | 'lnk' | 'whk' | 'evt' | 'whd';

export const newId = (prefix: IdPrefix): string => `${prefix}_${ulid()}`;
