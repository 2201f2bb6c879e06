/** @module `agenthuman avatars list|get|upload|delete`. */
import { readFile, stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import type { Avatar } from '@agenthuman/sdk';
import { defineGroup, UsageError } from '../command-kit.js';
import { formatTime } from '../terminal/format.js';
import { out } from '../terminal/style.js';
import { renderFields, renderTable } from '../terminal/table.js';

const IMAGE_TYPES: Record<string, string> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
};
const MAX_BYTES = 10 * 1024 * 1024;

export default defineGroup('avatars', 'list, create (from one photo) and delete avatars', {
  list: {
    usage: '[--mine] [--json]',
    summary: 'public avatars and your own',
    json: true,
    options: { mine: { type: 'boolean', description: 'only your own avatars' } },
    async run({ values, json, client, print, printJson }) {
      const reply = await client().avatars.list();
      if (json) return printJson(values.mine ? reply.my_avatars : reply);
      const rows: (Avatar & { owner: string })[] = [
        ...reply.my_avatars.map((a) => ({ ...a, owner: 'yours' })),
        ...(values.mine ? [] : reply.public_avatars.map((a) => ({ ...a, owner: 'public' }))),
      ];
      if (rows.length === 0) {
        print('No avatars of your own yet. Create one: agenthuman avatars upload portrait.jpg --name "Me"');
        return 0;
      }
      print(
        renderTable(rows, [
          { header: 'avatar', value: (a) => a.avatar_id },
          { header: 'name', value: (a) => a.name, max: 24 },
          { header: 'owner', value: (a) => a.owner },
          { header: 'created', value: (a) => formatTime(a.created_at) },
        ]),
      );
      return 0;
    },
  },

  get: {
    usage: '<avatar_id> [--json]',
    summary: 'one avatar with its (signed, expiring) image URLs',
    json: true,
    minPositionals: 1,
    async run({ positionals, json, client, print, printJson }) {
      const avatar = await client().avatars.get(positionals[0] as string);
      if (json) return printJson(avatar);
      print(
        renderFields([
          ['avatar', avatar.avatar_id],
          ['name', avatar.name],
          ['tags', avatar.tags.join(', ')],
          ['created', avatar.created_at],
          ['preview', avatar.preview_url],
          ['image', avatar.image_url],
        ]),
      );
      return 0;
    },
  },

  upload: {
    usage: '<image file | https URL> [--name NAME] [--json]',
    summary: 'create an avatar from a portrait with exactly one clear face (jpeg, png, gif, webp; ≤ 10 MB)',
    json: true,
    minPositionals: 1,
    options: { name: { type: 'string', description: 'display name' } },
    async run({ positionals, values, json, client, print, printJson }) {
      const source = positionals[0] as string;
      const name = values.name as string | undefined;
      let reply: Awaited<ReturnType<ReturnType<typeof client>['avatars']['uploadFace']>>;
      if (/^https?:\/\//i.test(source)) {
        reply = await client().avatars.uploadFace({ imageUrl: source, ...(name && { name }) });
      } else {
        const type = IMAGE_TYPES[extname(source).toLowerCase()];
        if (!type) throw new UsageError(`${source}: not a jpeg, png, gif or webp file`);
        const info = await stat(source).catch(() => undefined);
        if (!info?.isFile()) throw new UsageError(`${source}: no such file`);
        if (info.size > MAX_BYTES) throw new UsageError(`${source}: ${info.size} bytes; the limit is 10 MB`);
        const file = new Blob([await readFile(source)], { type });
        if (!json)
          process.stderr.write(
            out.dim(`uploading ${basename(source)} (${Math.ceil(info.size / 1024)} KB)…\n`),
          );
        reply = await client().avatars.uploadFace({
          file,
          filename: basename(source),
          ...(name && { name }),
        });
      }
      if (json) return printJson(reply);
      print(`${out.green('✓')} avatar ${out.bold(reply.avatar_id)} created`);
      print(
        renderFields([
          ['preview', reply.preview_url],
          ['image', reply.image_url],
        ]),
      );
      print(`\n${out.dim('Next:')} agenthuman sessions create --avatar ${reply.avatar_id}`);
      return 0;
    },
  },

  delete: {
    usage: '<avatar_id>',
    summary: 'delete one of your avatars',
    minPositionals: 1,
    async run({ positionals, client, print }) {
      await client().avatars.delete(positionals[0] as string);
      print(`${out.green('✓')} avatar ${positionals[0]} deleted`);
      return 0;
    },
  },
});
