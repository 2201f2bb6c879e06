/**
 * @module `agenthuman render … --out sheet.png`: a contact sheet of the mouth poses (rest, "ah", "m", "oo",
 * "f") of a photo or public avatar, each a frame of real speech, for looking at the face as a viewer would.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { renderContactSheet, SHEET_POSES, type SheetPose } from '@agenthuman/engine';
import { type Aspect, UsageError } from './render-args.js';
import { rigFromImage, rigFromPublicAvatar } from './render-engine-parts.js';

export const sheetUsage = `       agenthuman render (--image face.jpg | --avatar ID) [--aspect 4:3|3:4|1:1]
                         [--poses ${SHEET_POSES.join(',')}] --out sheet.png`;

/** A render whose output is a .png is a contact sheet. */
export function isSheetRequest(argv: string[]): boolean {
  const i = argv.findIndex((a) => a === '--out' || a.startsWith('--out='));
  if (i < 0) return false;
  const out = argv[i]!.startsWith('--out=') ? argv[i]!.slice(6) : argv[i + 1];
  return typeof out === 'string' && /\.png$/i.test(out);
}

interface SheetArgs {
  face: { image: string } | { avatar: string };
  aspect: Aspect;
  poses: SheetPose[];
  out: string;
}

function parseSheetArgs(argv: string[]): SheetArgs {
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        image: { type: 'string' },
        avatar: { type: 'string' },
        aspect: { type: 'string', default: '4:3' },
        poses: { type: 'string' },
        out: { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }) as { values: Record<string, string | undefined> });
  } catch (error) {
    throw new UsageError(`${(error as Error).message} (a contact sheet takes no --audio, --text or --voice)`);
  }
  if ((values.image === undefined) === (values.avatar === undefined))
    throw new UsageError('give exactly one of --image or --avatar');
  const aspect = values.aspect as Aspect;
  if (!['4:3', '3:4', '1:1'].includes(aspect))
    throw new UsageError(`--aspect must be one of 4:3, 3:4, 1:1 (got "${aspect}")`);
  const poses = (values.poses ?? SHEET_POSES.join(',')).split(',').map((p) => p.trim());
  const unknown = poses.find((p) => !(SHEET_POSES as readonly string[]).includes(p));
  if (unknown !== undefined || poses.length === 0)
    throw new UsageError(
      `--poses takes a comma-separated list of ${SHEET_POSES.join(', ')} (got "${unknown}")`,
    );
  return {
    face: values.image !== undefined ? { image: values.image } : { avatar: values.avatar! },
    aspect,
    poses: poses as SheetPose[],
    out: values.out!,
  };
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
        : await rigFromImage(new Uint8Array(await readFile(args.face.image)), args.aspect);
    await writeFile(args.out, await renderContactSheet(rig, { poses: args.poses }));
    console.log(`${args.out}: contact sheet of ${args.poses.join(', ')}`);
    return 0;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    console.error(
      `agenthuman render: ${(error as Error).message}${typeof code === 'string' ? ` (${code})` : ''}`,
    );
    return 1;
  }
}
