/** @module Choose who to talk to (an avatar or an agent) and the frame shape, then start. */
import type { Agent, AspectRatio, Avatar } from '@agenthuman/sdk';
import { useState } from 'react';
import type { Target } from './use-live-session.js';

export function SetupPanel(props: {
  avatars: Avatar[];
  agents: Agent[];
  initial: Target | undefined;
  busy: boolean;
  onStart: (target: Target, aspectRatio: AspectRatio) => void;
}) {
  const [target, setTarget] = useState<Target | undefined>(
    props.initial ??
      (props.avatars[0] ? { kind: 'avatar', avatarId: props.avatars[0].avatar_id } : undefined),
  );
  const [aspect, setAspect] = useState<AspectRatio>('4:3');
  const selected = (t: Target) =>
    target?.kind === t.kind &&
    (t.kind === 'avatar'
      ? target.kind === 'avatar' && target.avatarId === t.avatarId
      : target.kind === 'agent' && target.agentId === t.agentId);

  return (
    <section className="card setup" aria-labelledby="setup-title">
      <h2 id="setup-title">Pick a face</h2>
      <fieldset className="avatar-picker">
        <legend className="visually-hidden">Avatar</legend>
        {props.avatars.map((a) => (
          <label
            key={a.avatar_id}
            className={`avatar-option${selected({ kind: 'avatar', avatarId: a.avatar_id }) ? ' avatar-option-selected' : ''}`}
          >
            <input
              type="radio"
              name="target"
              className="visually-hidden"
              checked={selected({ kind: 'avatar', avatarId: a.avatar_id })}
              onChange={() => setTarget({ kind: 'avatar', avatarId: a.avatar_id })}
            />
            <img src={a.preview_url} alt="" width={72} height={72} />
            <span>{a.name}</span>
          </label>
        ))}
      </fieldset>
      {props.agents.length > 0 && (
        <>
          <h3 className="small-heading">…or talk to an agent</h3>
          <fieldset className="agent-picker">
            <legend className="visually-hidden">Agent</legend>
            {props.agents.map((a) => (
              <label key={a.agent_id} className="radio-row">
                <input
                  type="radio"
                  name="target"
                  checked={selected({ kind: 'agent', agentId: a.agent_id })}
                  onChange={() => setTarget({ kind: 'agent', agentId: a.agent_id })}
                />
                {a.name}
              </label>
            ))}
          </fieldset>
        </>
      )}
      <div className="setup-row">
        <label className="inline-field">
          Frame
          <select value={aspect} onChange={(e) => setAspect(e.target.value as AspectRatio)}>
            <option value="4:3">4:3 landscape</option>
            <option value="3:4">3:4 portrait</option>
            <option value="1:1">1:1 square</option>
          </select>
        </label>
        <button
          type="button"
          className="button button-primary"
          disabled={!target || props.busy}
          onClick={() => target && props.onStart(target, aspect)}
        >
          {props.busy ? 'Starting…' : 'Start session'}
        </button>
      </div>
    </section>
  );
}
