// The model settings, the session's model menu and the cost meter: types
// of /api/settings and /api/sessions/{id}/model, their calls, and how
// tokens and costs are written.
import { api, request } from './api';
import type { AnswerUsage, Cost, Info, SessionUsage, Usage } from './events.gen';

export type { AnswerUsage, Cost, Info, SessionUsage, Usage };

export interface Choice {
  id: string;
  provider: 'builtin' | 'anthropic' | 'openai' | string;
  model?: string;
  source: string;
  local: boolean;
  default?: boolean;
}

export interface ProviderHealth {
  status: 'ok' | 'checking' | 'unreachable' | 'rejected' | 'misconfigured' | string;
  problem?: string;
  checked_at?: string;
}

export interface LocalServer {
  name: string;
  port: number;
  base_url: string;
  models: string[];
}

export interface ProviderView {
  base_url?: string;
  key_set: boolean;
  key_hint?: string;
  model?: string;
  title_model?: string;
  models?: string[];
}

export interface SettingsView {
  editable: boolean;
  detailed: boolean;
  provider: string;
  active: string;
  locked: string[];
  anthropic: ProviderView;
  openai: ProviderView;
  local: LocalServer[] | null;
  default: Choice;
  health: ProviderHealth;
  monthly_token_budget: number;
}

export interface SettingsUpdate {
  provider: string;
  anthropic: { api_key?: string; model?: string; title_model?: string };
  openai: { base_url?: string; api_key?: string; model?: string; title_model?: string };
  clear_anthropic_key?: boolean;
  clear_openai_key?: boolean;
}

export interface SessionModel {
  choice: string;
  choices: Choice[];
  session_usage: SessionUsage;
  budget?: { tokens: number; used: number; resets_at: string };
}

export const modelsApi = {
  settings: () => request<SettingsView>('GET', '/api/settings'),
  saveSettings: (u: SettingsUpdate) => request<SettingsView>('PUT', '/api/settings', { body: u }),
  listModels: (provider: string, baseURL?: string, apiKey?: string) =>
    request<{ models: string[] }>('POST', '/api/settings/models', { body: { provider, base_url: baseURL ?? '', api_key: apiKey ?? '' } }),
  sessionModel: (id: string) => request<SessionModel>('GET', `/api/sessions/${encodeURIComponent(id)}/model`),
  chooseModel: (id: string, choice: string) =>
    request<SessionModel>('PUT', `/api/sessions/${encodeURIComponent(id)}/model`, { body: { choice } }),
  health: api.health,
};

/** "Claude", "Built-in analyst", "Ollama on this computer"… as a menu names a choice. */
export function choiceLabel(c: Pick<Choice, 'provider' | 'model'>): string {
  if (c.provider === 'builtin') return 'Built-in analyst';
  return c.model || (c.provider === 'anthropic' ? 'Claude' : 'OpenAI-compatible');
}

/** The name an answer shows for who wrote it. */
export function modelName(info: Info | undefined | null): string {
  if (!info) return '';
  if (info.name === 'builtin') return 'Built-in analyst';
  return info.model || info.name;
}

export function totalTokens(u: Usage | undefined | null): number {
  if (!u) return 0;
  return (u.input_tokens ?? 0) + (u.output_tokens ?? 0) + (u.cache_read_tokens ?? 0) + (u.cache_write_tokens ?? 0);
}

/** 950 → "950", 12 345 → "12.3k", 2 500 000 → "2.5M". */
export function formatTokens(n: number): string {
  if (n < 1000) return String(n);
  if (n < 1_000_000) return `${(n / 1000).toFixed(n < 10_000 ? 1 : 0).replace(/\.0$/, '')}k`;
  return `${(n / 1_000_000).toFixed(1).replace(/\.0$/, '')}M`;
}

/** A cost as the meter writes it: "local", "≈ $0.0123", "cost unknown". */
export function formatCost(c: Cost | undefined | null): string {
  if (!c) return '';
  if (c.local) return 'local, free';
  if (c.unknown) return c.usd > 0 ? `≈ $${usd(c.usd)} + unpriced` : 'cost unknown';
  return `≈ $${usd(c.usd)}`;
}

function usd(v: number): string {
  if (v === 0) return '0';
  if (v < 0.01) return v.toPrecision(2).replace(/0+$/, '');
  return v.toFixed(2);
}

/** The tokens of an answer, in words for a tooltip. */
export function usageDetail(u: Usage): string {
  const parts = [`${u.input_tokens.toLocaleString()} in`, `${u.output_tokens.toLocaleString()} out`];
  if (u.cache_read_tokens) parts.push(`${u.cache_read_tokens.toLocaleString()} read from cache`);
  if (u.cache_write_tokens) parts.push(`${u.cache_write_tokens.toLocaleString()} written to cache`);
  return `Tokens: ${parts.join(', ')}`;
}
