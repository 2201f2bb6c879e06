/**
 * @module Drag-and-drop (or click / keyboard) portrait upload with a real progress bar (XHR upload events via
 * the SDK) and the server's rejection reason shown in words: no face, several faces, too small, wrong type.
 */
import { type DragEvent, useId, useRef, useState } from 'react';
import { useClient } from '../app/client-context.js';
import { errorText } from '../components/states.js';

const TYPES = ['image/jpeg', 'image/png', 'image/gif', 'image/webp'];
const MAX_BYTES = 10 * 1024 * 1024;

type Phase =
  | { kind: 'idle' }
  | { kind: 'uploading'; name: string; fraction: number }
  | { kind: 'processing'; name: string }
  | { kind: 'done'; avatarId: string }
  | { kind: 'failed'; message: string };

export function UploadDropzone({ onUploaded }: { onUploaded: (avatarId: string) => void }) {
  const client = useClient();
  const input = useRef<HTMLInputElement>(null);
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const [over, setOver] = useState(false);
  const [name, setName] = useState('');
  const nameId = useId();

  const upload = async (file: File) => {
    if (!TYPES.includes(file.type)) {
      setPhase({ kind: 'failed', message: `${file.name} is not a JPEG, PNG, GIF or WebP image.` });
      return;
    }
    if (file.size > MAX_BYTES) {
      setPhase({
        kind: 'failed',
        message: `${file.name} is ${(file.size / 1048576).toFixed(1)} MB; the limit is 10 MB.`,
      });
      return;
    }
    setPhase({ kind: 'uploading', name: file.name, fraction: 0 });
    try {
      const reply = await client.avatars.uploadFace({
        file,
        filename: file.name,
        ...(name.trim() && { name: name.trim() }),
        onProgress: ({ fraction }) =>
          setPhase(
            fraction >= 1
              ? { kind: 'processing', name: file.name }
              : { kind: 'uploading', name: file.name, fraction },
          ),
      });
      setPhase({ kind: 'done', avatarId: reply.avatar_id });
      setName('');
      onUploaded(reply.avatar_id);
    } catch (error) {
      setPhase({ kind: 'failed', message: errorText(error) });
    }
  };

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setOver(false);
    const file = event.dataTransfer.files[0];
    if (file) void upload(file);
  };

  const busy = phase.kind === 'uploading' || phase.kind === 'processing';

  return (
    <section className="card upload" aria-labelledby="upload-title">
      <h2 id="upload-title">Create an avatar from a photo</h2>
      <p className="muted">
        One person, face clearly visible, looking at the camera. JPEG, PNG, GIF or WebP up to 10 MB.
      </p>
      <div className="field">
        <label htmlFor={nameId}>Name (optional)</label>
        <input
          id={nameId}
          value={name}
          onChange={(e) => setName(e.target.value)}
          placeholder="e.g. Sam"
          disabled={busy}
        />
      </div>
      <button
        type="button"
        className={`dropzone${over ? ' dropzone-over' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
        onClick={() => input.current?.click()}
        disabled={busy}
        aria-describedby="upload-status"
      >
        <span className="dropzone-title">Drop a portrait here</span>
        <span className="muted">or click to choose a file</span>
      </button>
      <input
        ref={input}
        type="file"
        accept={TYPES.join(',')}
        className="visually-hidden"
        tabIndex={-1}
        aria-label="Portrait file"
        data-testid="avatar-file"
        onChange={(e) => {
          const file = e.target.files?.[0];
          if (file) void upload(file);
          e.target.value = '';
        }}
      />
      <div id="upload-status" aria-live="polite">
        {phase.kind === 'uploading' && (
          <div className="progress-row">
            <progress max={1} value={phase.fraction} aria-label={`Uploading ${phase.name}`} />
            <span className="small">{Math.round(phase.fraction * 100)}%</span>
          </div>
        )}
        {phase.kind === 'processing' && (
          <div className="progress-row">
            <progress aria-label="Finding the face" />
            <span className="small">Finding the face and building the avatar…</span>
          </div>
        )}
        {phase.kind === 'done' && (
          <p className="notice notice-success">
            Avatar <code>{phase.avatarId}</code> is ready.
          </p>
        )}
        {phase.kind === 'failed' && (
          <div className="notice notice-error" role="alert">
            <strong>That photo was not accepted.</strong> {phase.message}
          </div>
        )}
      </div>
    </section>
  );
}
