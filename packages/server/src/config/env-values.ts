/** @module zod parsers for environment values shared by the configuration's domains. */
import { isIP } from 'node:net';
import { z } from 'zod';

/** Trimmed; empty or blank reads as unset. */
export const optionalString = z
  .string()
  .optional()
  .transform((value) => (value?.trim() ? value.trim() : undefined));

/** An optional http(s) URL; `trimSlashes` drops trailing slashes (base URLs that paths are appended to). */
export function optionalHttpUrl({ trimSlashes = false } = {}) {
  const url = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
  return optionalString.pipe(
    (trimSlashes ? url.transform((value) => value.replace(/\/+$/, '')) : url).optional(),
  );
}

/** Optional JSON text validated by `schema`; `message` is the error for text that is not JSON at all. */
export function optionalJson<T extends z.ZodType>(schema: T, message: string) {
  return optionalString.pipe(
    z
      .string()
      .transform((text, ctx) => {
        try {
          return JSON.parse(text) as unknown;
        } catch {
          ctx.addIssue({ code: 'custom', message });
          return z.NEVER;
        }
      })
      .pipe(schema)
      .optional(),
  );
}

/** A comma-separated list of IPs and CIDRs (and host names when `hosts`), each checked; empty → []. */
export function addressList(what: string, hosts = false) {
  return z
    .string()
    .optional()
    .transform((text) =>
      (text ?? '')
        .split(',')
        .map((item) => item.trim().toLowerCase())
        .filter(Boolean),
    )
    .pipe(
      z.array(
        z.string().refine((item) => isAddressOrCidr(item) || (hosts && HOST_NAME.test(item)), {
          error: `must be comma-separated ${what}`,
        }),
      ),
    );
}

const HOST_NAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

function isAddressOrCidr(item: string): boolean {
  const [address = '', bits, extra] = item.split('/');
  const family = isIP(address);
  if (family === 0 || extra !== undefined) return false;
  if (bits === undefined) return true;
  const prefix = Number(bits);
  return /^\d{1,3}$/.test(bits) && prefix <= (family === 4 ? 32 : 128);
}
