/**
 * @module `agenthuman render … --sheet sheet.png`: a contact sheet of a photo or public avatar — rest, the mouth
 * shapes of real speech, blinks, a speech nod and tilt, glances, listening and thinking — each the whole frame
 * with the mouth enlarged, for looking at the face as a viewer would.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { renderContactSheet, SHEET_POSES, type SheetPose } from '@agenthuman/engine';
import { type Aspect, parseFaceArgs, runRenderMode, UsageError } from './render-args.js';
import { rigFromImage, rigFromPublicAvatar } from './render-engine-parts.js';

export const sheetUsage = `       agenthuman render (--image face.jpg | --avatar ID) [--aspect 4:3|3:4|1:1]
                         [--poses ${SHEET_POSES.join(',')}] --sheet sheet.png`;

export function wantsSheet(argv: string[]): boolean {
  return argv.some((a) => a === '--sheet' || a.startsWith('--sheet='));
}

export interface SheetArgs {
  face: { image: string } | { avatar: string };
  aspect: Aspect;
  poses: SheetPose[];
  sheet: string;
}

export function parseSheetArgs(argv: string[]): SheetArgs {
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        image: { type: 'string' },
        avatar: { type: 'string' },
        aspect: { type: 'string', default: '4:3' },
        poses: { type: 'string' },
        sheet: { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }) as { values: Record<string, string | undefined> });
  } catch (error) {
    throw new UsageError(`${(error as Error).message} (a contact sheet takes no --audio, --text or --voice)`);
  }
  const { face, aspect } = parseFaceArgs(values);
  if (!values.sheet || !/\.png$/i.test(values.sheet))
    throw new UsageError(`--sheet must be a .png path (got "${values.sheet ?? ''}")`);
  const poses = (values.poses ?? SHEET_POSES.join(',')).split(',').map((p) => p.trim());
  const unknown = poses.find((p) => !(SHEET_POSES as readonly string[]).includes(p));
  if (unknown !== undefined || poses.length === 0)
    throw new UsageError(
      `--poses takes a comma-separated list of ${SHEET_POSES.join(', ')} (got "${unknown}")`,
    );
  return {
    face,
    aspect,
    poses: poses as SheetPose[],
    sheet: values.sheet!,
  };
}

export function runSheet(argv: string[]): Promise<number> {
  return runRenderMode(argv, {
    parse: parseSheetArgs,
    usage: sheetUsage,
    async run(args) {
      const rig =
        'avatar' in args.face
          ? await rigFromPublicAvatar(args.face.avatar, args.aspect)
          : await rigFromImage(new Uint8Array(await readFile(args.face.image)), args.aspect);
      await writeFile(args.sheet, await renderContactSheet(rig, { poses: args.poses }));
      console.log(`${args.sheet}: contact sheet of ${args.poses.join(', ')}`);
    },
  });
}
