/** @module Avatars: your own and the public ones as a grid, upload, delete, and "talk to it" in the playground. */
import type { Avatar } from '@agenthuman/sdk';
import { useState } from 'react';
import { useClient } from '../app/client-context.js';
import { Link, useTitle } from '../app/router.js';
import { useAsync } from '../app/use-async.js';
import { PageHeader } from '../components/page-header.js';
import { Empty, ErrorNotice, errorText, Loading } from '../components/states.js';
import { UploadDropzone } from './upload-dropzone.js';

export function AvatarsPage() {
  useTitle('Avatars');
  const client = useClient();
  const avatars = useAsync(() => client.avatars.list(), [client]);
  const [deleteError, setDeleteError] = useState<string>();

  const remove = async (avatar: Avatar) => {
    if (!window.confirm(`Delete ${avatar.name}? Sessions already running keep it.`)) return;
    setDeleteError(undefined);
    try {
      await client.avatars.delete(avatar.avatar_id);
      avatars.reload();
    } catch (error) {
      setDeleteError(errorText(error));
    }
  };

  return (
    <>
      <PageHeader
        title="Avatars"
        description="A face from one photo, ready to talk. Public avatars ship with the server."
      />
      <UploadDropzone onUploaded={avatars.reload} />
      {deleteError && (
        <div className="notice notice-error" role="alert">
          {deleteError}
        </div>
      )}
      {avatars.loading && !avatars.data ? (
        <Loading label="Loading avatars…" />
      ) : avatars.error ? (
        <ErrorNotice error={avatars.error} onRetry={avatars.reload} />
      ) : (
        <>
          <h2 className="section-title">Your avatars</h2>
          {avatars.data?.my_avatars.length ? (
            <AvatarGrid avatars={avatars.data.my_avatars} onDelete={remove} />
          ) : (
            <Empty title="No avatars of your own yet">Drop a portrait above to create one.</Empty>
          )}
          <h2 className="section-title">Public avatars</h2>
          <AvatarGrid avatars={avatars.data?.public_avatars ?? []} />
        </>
      )}
    </>
  );
}

function AvatarGrid({ avatars, onDelete }: { avatars: Avatar[]; onDelete?: (avatar: Avatar) => void }) {
  return (
    <ul className="avatar-grid">
      {avatars.map((avatar) => (
        <li key={avatar.avatar_id} className="avatar-card" data-avatar-id={avatar.avatar_id}>
          <img
            src={avatar.preview_url}
            alt={`Portrait of ${avatar.name}`}
            loading="lazy"
            width={500}
            height={500}
          />
          <div className="avatar-card-body">
            <strong>{avatar.name}</strong>
            <code className="id small">{avatar.avatar_id}</code>
            <div className="avatar-card-actions">
              <Link
                className="button button-small"
                href={`/playground?avatar=${encodeURIComponent(avatar.avatar_id)}`}
              >
                Talk
              </Link>
              {onDelete && (
                <button
                  type="button"
                  className="button button-small button-danger"
                  onClick={() => onDelete(avatar)}
                >
                  Delete
                </button>
              )}
            </div>
          </div>
        </li>
      ))}
    </ul>
  );
}
