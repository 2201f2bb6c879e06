/**
 * @module The upload-face pipeline, shared by `POST /v1/avatars/upload-face` and session create with an image:
 * quota → image bytes (checked) → face ingest on a worker → files in the blob store → the avatar row.
 *
 * The quota is checked twice: before the costly work (a fast refusal) and again inside the transaction that
 * inserts the row, under the account lock, so concurrent uploads cannot overshoot it. Files are written before
 * the row and removed again if the row is refused, so a listed avatar always has its files.
 */
import type { ErrorCode } from '@agenthuman/protocol';
import { type AvatarRow, newId, type Repositories, type Store } from '@agenthuman/store';
import type { PlanTable } from '../config/plans.js';
import { AppError, isAppError } from '../http/app-error.js';
import { planOf } from '../usage/account-usage.js';
import { billingPeriod } from '../usage/billing-period.js';
import type { DomainEvents } from '../webhooks/domain-events.js';
import type { BlobStore } from './blobs/blob-store.js';
import type { FetchPolicy } from './fetch/safe-fetch.js';
import { type ImageInput, readImageInput } from './image/read-image-input.js';
import type { FaceIngestor, IngestRefusal } from './ingest/face-ingest.js';
import { allAvatarFiles, avatarFiles } from './media/avatar-files.js';

export type UploadFaceDeps = {
  store: Store;
  plans: PlanTable;
  blobs: BlobStore;
  faces: FaceIngestor;
  fetchPolicy: FetchPolicy;
  /** avatar.ready in the row's transaction; avatar.failed when the image or the face is refused. */
  events?: Pick<DomainEvents, 'avatarReady' | 'avatarFailed'>;
};

export type UploadFace = (input: {
  accountId: string;
  image: ImageInput;
  name?: string | undefined;
}) => Promise<AvatarRow>;

const CONTENT_TYPES = { jpeg: 'image/jpeg', png: 'image/png', gif: 'image/gif', webp: 'image/webp' } as const;

export function createUploadFace(deps: UploadFaceDeps): UploadFace {
  return async ({ accountId, image, name }) => {
    const now = new Date();
    await assertQuota(deps.store, deps.plans, accountId, now);
    const checked = await reportRefusal(deps, accountId, () => readImageInput(image, deps.fetchPolicy));
    const outcome = await deps.faces.ingest(checked.bytes);
    if (!outcome.ok)
      return reportRefusal(deps, accountId, () => {
        throw refusalError(outcome.refusal, image.field);
      });

    const avatarId = newId('avat');
    const files = avatarFiles(avatarId);
    const { face } = outcome;
    await Promise.all([
      deps.blobs.put(files.original, checked.bytes, CONTENT_TYPES[checked.format]),
      deps.blobs.put(files.preview, face.preview, 'image/jpeg'),
      deps.blobs.put(files.image, face.image, 'image/jpeg'),
      deps.blobs.put(files.rig('4:3'), face.rigs['4:3'], 'application/octet-stream'),
      deps.blobs.put(files.rig('3:4'), face.rigs['3:4'], 'application/octet-stream'),
      deps.blobs.put(files.rig('1:1'), face.rigs['1:1'], 'application/octet-stream'),
    ]);
    try {
      return await deps.store.transaction(async (repos) => {
        const account = await repos.accounts.lock(accountId);
        await assertQuota(repos, deps.plans, accountId, now);
        const row = await repos.avatars.create({
          id: avatarId,
          accountId,
          name: name ?? defaultName(image),
          tags: ['user_exclusive', `user_${account?.seq ?? 0}`],
          userExclusive: true,
          imageKey: files.image,
          previewKey: files.preview,
          faceKey: files.rig('4:3'),
        });
        await deps.events?.avatarReady(repos, row);
        return row;
      });
    } catch (error) {
      await Promise.all(allAvatarFiles(avatarId).map((key) => deps.blobs.delete(key).catch(() => undefined)));
      throw error;
    }
  };
}

/** Runs `work`; an AppError it throws (the image or face refused) is published as avatar.failed first. */
async function reportRefusal<T>(
  deps: UploadFaceDeps,
  accountId: string,
  work: () => Promise<T> | T,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (deps.events && isAppError(error)) {
      const field = typeof error.details?.field === 'string' ? error.details.field : null;
      // The caller's answer is the refusal: a store failure here must not turn it into a 500.
      await deps.store
        .transaction((repos) =>
          deps.events!.avatarFailed(repos, { accountId, code: error.code, message: error.message, field }),
        )
        .catch(() => undefined);
    }
    throw error;
  }
}

async function assertQuota(
  repos: Repositories,
  plans: PlanTable,
  accountId: string,
  now: Date,
): Promise<void> {
  const account = await repos.accounts.findById(accountId);
  if (!account) throw new AppError('INVALID_API_KEY', 'Invalid API key');
  const plan = planOf(plans, account);
  const limit = plan.customAvatarsPerCycle;
  if (limit === null) return;
  const period = billingPeriod(now);
  if (limit === 0) {
    throw new AppError('PLAN_RESTRICTION', `The ${plan.name} plan does not include custom avatars`, {
      suggestion: 'Use a public avatar (GET /v1/avatars), or upgrade the plan to create avatars from photos',
      details: { plan: plan.key, limit: 0 },
    });
  }
  const used = await repos.avatars.countCreatedSince(accountId, period.start);
  if (used >= limit) {
    throw new AppError(
      'AVATAR_QUOTA_EXCEEDED',
      `The ${plan.name} plan allows ${limit} custom avatars per billing cycle, and ${used} were made in this one`,
      {
        suggestion: `Wait for the next cycle (${period.end.toISOString()}) or upgrade the plan; deleting avatars does not free quota`,
        details: { plan: plan.key, limit, used, period_end: period.end.toISOString() },
      },
    );
  }
}

const REFUSALS: Record<IngestRefusal['code'], [ErrorCode, string]> = {
  NO_FACE: ['NO_FACE_DETECTED', 'Use a well-lit, front-facing portrait where the face is clearly visible'],
  MULTIPLE_FACES: ['MULTIPLE_FACES', 'Crop the photo to the one person who should become the avatar'],
  FACE_TOO_SMALL: ['FACE_TOO_SMALL', 'Use a closer portrait or a higher-resolution photo'],
  UNSUPPORTED_IMAGE: [
    'UNSUPPORTED_IMAGE_FORMAT',
    'Send a JPEG, PNG, GIF or WebP that opens in an image viewer',
  ],
};

function refusalError(refusal: IngestRefusal, field: string): AppError {
  const [code, suggestion] = REFUSALS[refusal.code];
  return new AppError(code, refusal.message, { suggestion, details: { field } });
}

function defaultName(image: ImageInput): string {
  if (image.kind === 'bytes' && image.filename) {
    const stem = image.filename
      .replace(/\.[^.]*$/, '')
      .trim()
      .slice(0, 100);
    if (stem) return stem;
  }
  return 'My avatar';
}
