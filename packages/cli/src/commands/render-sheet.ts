/**
 * @module `agenthuman render … --sheet out.png`: a contact sheet instead of a video — the avatar at rest, a few
 * mouth shapes, mid-blink and closed, a speech nod and tilt, glances, listening and thinking — to look at the
 * face frame by frame.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { renderContactSheet } from '@agenthuman/engine';
import { type Aspect, UsageError } from './render-args.js';
import { rigFromImage, rigFromPublicAvatar } from './render-engine-parts.js';

export interface SheetArgs {
  face: { image: string } | { avatar: string };
  aspect: Aspect;
  sheet: string;
}

export const sheetUsage =
  'Usage: agenthuman render (--image face.jpg | --avatar ID) --sheet out.png [--aspect 4:3|3:4|1:1]';

export function wantsSheet(argv: string[]): boolean {
  return argv.some((a) => a === '--sheet' || a.startsWith('--sheet='));
}

export function parseSheetArgs(argv: string[]): SheetArgs {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        image: { type: 'string' },
        avatar: { type: 'string' },
        aspect: { type: 'string', default: '4:3' },
        sheet: { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message} (--sheet takes only --image/--avatar and --aspect)`);
  }
  const str = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
  const image = str('image');
  const avatar = str('avatar');
  if ((image === undefined) === (avatar === undefined))
    throw new UsageError('give exactly one of --image or --avatar');
  const aspect = str('aspect') as Aspect;
  if (!['4:3', '3:4', '1:1'].includes(aspect))
    throw new UsageError(`--aspect must be one of 4:3, 3:4, 1:1 (got "${aspect}")`);
  const sheet = str('sheet');
  if (!sheet || !/\.png$/i.test(sheet))
    throw new UsageError(`--sheet must be a .png path (got "${sheet ?? ''}")`);
  return { face: image !== undefined ? { image } : { avatar: avatar! }, aspect, sheet };
}

export async function runSheet(argv: string[]): Promise<number> {
  let args: SheetArgs;
  try {
    args = parseSheetArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`agenthuman render: ${error.message}\n${sheetUsage}`);
    return 2;
  }
  try {
    const rig =
      'avatar' in args.face
        ? await rigFromPublicAvatar(args.face.avatar, args.aspect)
        : await rigFromImage(await readImage(args.face.image), args.aspect);
    await writeFile(args.sheet, await renderContactSheet(rig));
    console.log(
      `${args.sheet}: contact sheet of ${'avatar' in args.face ? args.face.avatar : args.face.image}`,
    );
    return 0;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    console.error(
      `agenthuman render: ${(error as Error).message}${typeof code === 'string' ? ` (${code})` : ''}`,
    );
    return 1;
  }
}

async function readImage(path: string): Promise<Uint8Array> {
  const bytes = await readFile(path).catch((error: NodeJS.ErrnoException) => {
    throw new Error(`cannot read --image ${path}: ${error.code ?? error.message}`);
  });
  return new Uint8Array(bytes);
}
