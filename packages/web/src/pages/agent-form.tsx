/** @module Create/edit form for an agent, validated in the browser first and then by the server (field errors). */
import { type Agent, AgentHumanError, type Avatar, type CreateAgentBody } from '@agenthuman/sdk';
import { type FormEvent, useState } from 'react';
import { Field } from '../components/field.js';
import { errorText } from '../components/states.js';

type Values = {
  name: string;
  avatar_id: string;
  language: string;
  custom_greeting: string;
  context: string;
  voice_id: string;
};
type Errors = Partial<Record<keyof Values | 'form', string>>;

const fromAgent = (agent?: Agent): Values => ({
  name: agent?.name ?? '',
  avatar_id: agent?.avatar_id ?? '',
  language: agent?.language ?? 'en',
  custom_greeting: agent?.custom_greeting ?? '',
  context: agent?.context ?? '',
  voice_id: agent?.voice_id ?? '',
});

function validate(values: Values): Errors {
  const errors: Errors = {};
  if (!values.name.trim()) errors.name = 'Give the agent a name.';
  else if (values.name.length > 200) errors.name = 'At most 200 characters.';
  if (!/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/.test(values.language))
    errors.language = 'A language code such as en, de or pt-BR.';
  if (values.custom_greeting.length > 4000) errors.custom_greeting = 'At most 4000 characters.';
  return errors;
}

export function AgentForm(props: {
  agent?: Agent;
  avatars: Avatar[];
  onSubmit: (body: CreateAgentBody) => Promise<void>;
  onCancel?: () => void;
}) {
  const [values, setValues] = useState<Values>(() => fromAgent(props.agent));
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);
  const set = (key: keyof Values) => (event: { target: { value: string } }) =>
    setValues((v) => ({ ...v, [key]: event.target.value }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found = validate(values);
    setErrors(found);
    if (Object.keys(found).length) return;
    setBusy(true);
    try {
      await props.onSubmit({
        name: values.name.trim(),
        language: values.language,
        ...(values.avatar_id && { avatar_id: values.avatar_id }),
        ...(values.custom_greeting && { custom_greeting: values.custom_greeting }),
        ...(values.context && { context: values.context }),
        ...(values.voice_id && { voice_id: values.voice_id }),
      });
      if (!props.agent) setValues(fromAgent());
    } catch (error) {
      const field = error instanceof AgentHumanError ? error.field : undefined;
      setErrors(
        field && field in values
          ? { [field]: error instanceof Error ? error.message : '' }
          : { form: errorText(error) },
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="card form-grid"
      onSubmit={submit}
      noValidate
      aria-label={props.agent ? `Edit ${props.agent.name}` : 'New agent'}
    >
      <Field label="Name" error={errors.name}>
        <input
          value={values.name}
          onChange={set('name')}
          required
          maxLength={200}
          placeholder="Support concierge"
        />
      </Field>
      <Field label="Avatar" hint="The face it speaks with.">
        <select value={values.avatar_id} onChange={set('avatar_id')}>
          <option value="">Server default</option>
          {props.avatars.map((a) => (
            <option key={a.avatar_id} value={a.avatar_id}>
              {a.name}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Language" error={errors.language}>
        <input value={values.language} onChange={set('language')} placeholder="en" />
      </Field>
      <Field label="Voice" hint="TTS voice id (optional).">
        <input value={values.voice_id} onChange={set('voice_id')} placeholder="default" />
      </Field>
      <div className="span-2">
        <Field label="Greeting" hint="The first thing it says." error={errors.custom_greeting}>
          <input
            value={values.custom_greeting}
            onChange={set('custom_greeting')}
            placeholder="Hi! How can I help?"
          />
        </Field>
      </div>
      <div className="span-2">
        <Field label="Instructions" hint="Who the agent is and how it answers (system prompt).">
          <textarea value={values.context} onChange={set('context')} rows={4} />
        </Field>
      </div>
      {errors.form && (
        <div className="notice notice-error span-2" role="alert">
          {errors.form}
        </div>
      )}
      <div className="form-actions span-2">
        {props.onCancel && (
          <button type="button" className="button" onClick={props.onCancel}>
            Cancel
          </button>
        )}
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? 'Saving…' : props.agent ? 'Save changes' : 'Create agent'}
        </button>
      </div>
    </form>
  );
}
