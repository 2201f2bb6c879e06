// @agenthuman/agents: the conversation runtime core and its providers (LLM, TTS, STT, VAD), with no server
// or room dependency. The server's composition root builds providers with the create* factories from its
// config and wires AgentConversation to sessions, /messages and the room's speech queue.

export {
  AgentConversation,
  type AgentConversationOptions,
  ConversationClosedError,
} from './conversation/agent-conversation.js';
export { type AgentProfile, agentProfileSchema, greetingFor } from './conversation/agent-profile.js';
export type {
  AudioSegment,
  ConversationEvent,
  TurnResult,
  TurnTimings,
} from './conversation/conversation-events.js';
export type { PreparedReplyHandle } from './conversation/prepared-reply.js';
export { findSentenceEnd, SentenceChunker, splitIntoSentences } from './conversation/sentence-splitter.js';
export { SystemPrompt } from './conversation/system-prompt.js';
export type { TranscriptMessage } from './conversation/transcript.js';
export {
  VoiceInput,
  type VoiceInputEvent,
  type VoiceInputOptions,
  type VoiceTurns,
} from './conversation/voice-input.js';
export { BuiltinResponder } from './llm/builtin/builtin-responder.js';
export {
  createLLM,
  DEFAULT_BASE_URLS as llmDefaultBaseUrls,
  type LlmConfig,
  llmConfigSchema,
  llmProviders,
} from './llm/create-llm.js';
export { LlamaCppLLM, type LlamaCppOptions } from './llm/llama-cpp/llama-cpp-llm.js';
export { type ChatMessage, type ChatOptions, completeChat, type LLM } from './llm/llm.js';
export { OpenAiCompatibleLLM } from './llm/openai-compatible/openai-compatible-llm.js';
export type { OpenAiCompatibleOptions } from './llm/openai-compatible/openai-compatible-options.js';
export {
  type Capability,
  isAbortError,
  ProviderError,
  type ProviderErrorCode,
  type ProviderFailure,
} from './provider-error.js';
export { createSTT, type SttConfig, sttConfigSchema, sttProviders } from './stt/create-stt.js';
export { type DeepgramOptions, DeepgramSTT } from './stt/deepgram/deepgram-stt.js';
export { OpenAiSTT, type OpenAiSttOptions } from './stt/openai/openai-stt.js';
export type { PocketsphinxOptions } from './stt/pocketsphinx/pocketsphinx-options.js';
export { PocketsphinxSTT } from './stt/pocketsphinx/pocketsphinx-stt.js';
export type { STT, SttOptions, SttResult, SttStream } from './stt/stt.js';
export { createTTS, type TtsConfig, type TtsDeps, ttsConfigSchema, ttsProviders } from './tts/create-tts.js';
export type { ElevenLabsOptions } from './tts/elevenlabs/elevenlabs-options.js';
export { ElevenLabsTTS } from './tts/elevenlabs/elevenlabs-tts.js';
export { FallbackTTS, type FallbackTtsOptions, type TtsFallbackEvent } from './tts/fallback-tts.js';
export { FliteSpeech } from './tts/flite/flite-speech.js';
export { OpenAiTTS } from './tts/openai/openai-tts.js';
export type { OpenAiTtsOptions } from './tts/openai/openai-tts-options.js';
export { hasPhonemes, type SpeechOptions, type SpeechResult } from './tts/speech-result.js';
export type { SpeechTTS } from './tts/speech-tts.js';
export { trimLeadingSilence } from './tts/trim-leading-silence.js';
export { createVAD, type VadConfig, vadConfigSchema } from './vad/create-vad.js';
export { type SegmenterOptions, SpeechSegmenter } from './vad/speech-segmenter.js';
export type { FrameClassifier, VAD, VadEvent } from './vad/vad.js';
export { createWebRtcVad, type WebRtcVadOptions } from './vad/webrtc/webrtc-vad.js';
