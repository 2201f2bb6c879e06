/** @module What turning a portrait into avatar files produces, and the ingest contract the use cases call. */
import type { AspectRatio } from '@agenthuman/engine';

export type IngestedFace = {
  /** Encoded rigs (engine `encodeRig`: aligned crop + mesh) for every aspect ratio, sd preset. */
  rigs: Record<AspectRatio, Uint8Array>;
  /** 500×500 JPEG of the aligned face. */
  preview: Uint8Array;
  /** The portrait, upright, at most 1200 px wide, as JPEG. */
  image: Uint8Array;
};

/** A face-ingest refusal (engine FaceIngestError code), carried across the worker boundary as data. */
export type IngestRefusal = {
  code: 'NO_FACE' | 'MULTIPLE_FACES' | 'FACE_TOO_SMALL' | 'UNSUPPORTED_IMAGE';
  message: string;
};

export type IngestOutcome = { ok: true; face: IngestedFace } | { ok: false; refusal: IngestRefusal };

/** The two listing images of a public avatar, rendered from its rig. */
export type PublicAvatarImages = { preview: Uint8Array; image: Uint8Array };

export type FaceTask = { kind: 'ingest'; bytes: Uint8Array } | { kind: 'public'; slug: string };

export interface FaceIngestor {
  ingest(bytes: Uint8Array): Promise<IngestOutcome>;
  /** Public avatars' rigs are built by the engine (the photo one runs the face model), so also off-thread. */
  renderPublic(slug: string): Promise<PublicAvatarImages>;
  close(): Promise<void>;
}
