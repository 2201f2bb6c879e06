/**
 * @module Wire types, inferred from the protocol package's zod schemas. Type-only imports: the SDK carries
 * no zod at runtime, so the browser bundle stays small.
 */
import type {
  Agent,
  CreateAccountReply,
  AccountReply as ProtocolAccountReply,
  CreateAccountBody as ProtocolCreateAccountBody,
  CreateAgentBody as ProtocolCreateAgentBody,
  CreateApiKeyBody as ProtocolCreateApiKeyBody,
  CreateApiKeyReply as ProtocolCreateApiKeyReply,
  CreateSessionBody as ProtocolCreateSessionBody,
  CreateSessionReply as ProtocolCreateSessionReply,
  CreateWebhookBody as ProtocolCreateWebhookBody,
  CreateWebhookReply as ProtocolCreateWebhookReply,
  EndSessionReply as ProtocolEndSessionReply,
  ListAvatarsReply as ProtocolListAvatarsReply,
  ListSessionsReply as ProtocolListSessionsReply,
  StartSessionReply as ProtocolStartSessionReply,
  UpdateAccountBody as ProtocolUpdateAccountBody,
  UploadFaceReply as ProtocolUploadFaceReply,
} from '@agenthuman/protocol';
import type { z } from 'zod';

export type {
  Account,
  Agent,
  ApiKey,
  AspectRatio,
  Avatar,
  Billing,
  EndReason,
  PlanKey,
  Recording,
  RecordingStatus,
  Session,
  SessionStatus,
  SessionType,
  Usage,
  UsageSnapshot,
  Webhook,
  WebhookDelivery,
  WebhookDeliveryStatus,
  WebhookEvent,
  WebhookEventType,
} from '@agenthuman/protocol';

export type CreateSessionBody = z.input<typeof ProtocolCreateSessionBody>;
export type CreateSessionReply = z.infer<typeof ProtocolCreateSessionReply>;
export type StartSessionReply = z.infer<typeof ProtocolStartSessionReply>;
export type EndSessionReply = z.infer<typeof ProtocolEndSessionReply>;
export type ListSessionsReply = z.infer<typeof ProtocolListSessionsReply>;
export type ListSessionsParams = {
  status?: 'all' | 'created' | 'started' | 'ended' | 'active';
  limit?: number;
  cursor?: string;
};

export type CreateApiKeyBody = z.input<typeof ProtocolCreateApiKeyBody>;
export type CreatedApiKey = z.infer<typeof ProtocolCreateApiKeyReply>['api_key'];

export type CreateAgentBody = ProtocolCreateAgentBody;
/** `PUT /v1/agents/{id}`: every field optional; `voice_agent` merges. */
export type UpdateAgentBody = Partial<ProtocolCreateAgentBody>;

export type CreateAccountBody = z.input<typeof ProtocolCreateAccountBody>;
export type UpdateAccountBody = z.input<typeof ProtocolUpdateAccountBody>;
export type AccountReply = z.infer<typeof ProtocolAccountReply>;
export type CreatedAccount = z.infer<typeof CreateAccountReply>;

export type ListAvatarsReply = z.infer<typeof ProtocolListAvatarsReply>;
export type UploadFaceReply = z.infer<typeof ProtocolUploadFaceReply>;

export type LinkStatus = 'active' | 'paused' | 'expired';
// Links and conversations mirror the wire shapes of issue 6 (not in the protocol package on main yet).
/** A shareable link that starts an agent session (spec section 5). */
export type Link = {
  link_id: string;
  name: string;
  url: string;
  agent: Agent;
  status: LinkStatus;
  uses: number;
  use_limit: number | null;
  created_at: string;
  expires_at: string | null;
};
export type CreateLinkBody = {
  agent_id: string;
  name?: string;
  expires_at?: string;
  use_limit?: number;
};
export type UpdateLinkBody = {
  name?: string | null;
  status?: LinkStatus;
  expires_at?: string | null;
  use_limit?: number | null;
};
export type StartLinkSessionReply = {
  success: true;
  session_id: string;
  session_type: string;
  /** The platform room to join; null for chat agents. */
  room: { platform: string; url: string; token: string } | null;
  /** Lets the page that started it send messages (header `x-session-token`). */
  session_token: string;
  livekit_url?: string;
  participant_token?: string;
  agent_identity?: string;
};

export type ChatMessage = {
  role: 'user' | 'agent';
  text: string;
  created_at: string;
  interrupted?: boolean;
  unsaid_text?: string;
  greeting?: boolean;
  source?: 'text' | 'voice';
};
export type SendMessageReply = { success: true; message: ChatMessage; reply: ChatMessage };
export type TranscriptReply = { success: true; session_id: string; messages: ChatMessage[] };

export type Success = { success: true; message: string };

export type CreateWebhookBody = z.input<typeof ProtocolCreateWebhookBody>;
/** `{success, webhook, secret}`: the secret is shown only here. */
export type CreatedWebhook = z.infer<typeof ProtocolCreateWebhookReply>;
