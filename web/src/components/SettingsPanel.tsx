import { CircleCheck, CircleExclamationPoint, Cpu, KeyRound, Lock, RefreshCw, Server, X } from 'lucide-react';
import { useCallback, useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { ApiError } from '../lib/api';
import { modelsApi, type LocalServer, type SettingsUpdate, type SettingsView } from '../lib/models';
import { modelsChanged, useOpenSettings } from '../lib/settingsBus';
import '../styles/models.css';
import { Spinner } from './ui';

type Provider = 'builtin' | 'anthropic' | 'openai';

interface Form {
  provider: Provider;
  anthropicKey: string;
  anthropicModel: string;
  anthropicTitle: string;
  openaiURL: string;
  openaiKey: string;
  openaiModel: string;
  openaiTitle: string;
}

function formOf(v: SettingsView): Form {
  const p = (v.provider || v.active) as Provider;
  return {
    provider: p === 'anthropic' || p === 'openai' ? p : 'builtin',
    anthropicKey: '',
    anthropicModel: v.anthropic.model ?? '',
    anthropicTitle: v.anthropic.title_model ?? '',
    openaiURL: v.openai.base_url ?? '',
    openaiKey: '',
    openaiModel: v.openai.model ?? '',
    openaiTitle: v.openai.title_model ?? '',
  };
}

const HEALTH_TEXT: Record<string, string> = {
  ok: 'Connected',
  checking: 'Checking the connection…',
  unreachable: 'Cannot be reached',
  rejected: 'The key was refused',
  misconfigured: 'Not set up completely',
};

/** The Settings panel: which analyst answers, keys, addresses and models. It opens through openSettings(). */
export function SettingsPanel() {
  const ref = useRef<HTMLDialogElement>(null);
  const [open, setOpen] = useState(false);
  const [view, setView] = useState<SettingsView | null>(null);
  const [form, setForm] = useState<Form | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [lists, setLists] = useState<{ anthropic?: string[]; openai?: string[] }>({});
  const [listing, setListing] = useState<Provider | null>(null);
  const [listError, setListError] = useState<{ provider: Provider; text: string } | null>(null);

  const load = useCallback(async () => {
    setLoadError(null);
    try {
      const v = await modelsApi.settings();
      setView(v);
      setForm(formOf(v));
      setLists({});
    } catch (err) {
      setLoadError((err as Error).message);
    }
  }, []);

  useOpenSettings(
    useCallback(() => {
      setOpen(true);
      setError(null);
      setSaved(false);
      setListError(null);
      void load();
    }, [load]),
  );

  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal?.();
    if (!open && d.open) d.close?.();
  }, [open]);

  const close = () => {
    if (!saving) setOpen(false);
  };
  const set = (patch: Partial<Form>) => {
    setForm((f) => (f ? { ...f, ...patch } : f));
    setSaved(false);
  };
  const editable = !!view?.editable;
  const locked = (v: string) => !!view?.locked.includes(v);
  const disabled = (v: string) => !editable || saving || locked(v);

  async function findModels(provider: Provider) {
    if (!form) return;
    setListing(provider);
    setListError(null);
    try {
      const r =
        provider === 'anthropic'
          ? await modelsApi.listModels('anthropic', '', form.anthropicKey)
          : await modelsApi.listModels('openai', form.openaiURL, form.openaiKey);
      setLists((l) => ({ ...l, [provider]: r.models }));
      if (provider === 'openai' && !form.openaiModel && r.models.length) set({ openaiModel: r.models[0] });
      if (r.models.length === 0) setListError({ provider, text: 'The server answered but lists no models.' });
    } catch (err) {
      setListError({ provider, text: (err as Error).message });
    } finally {
      setListing(null);
    }
  }

  function useLocal(s: LocalServer) {
    set({ provider: 'openai', openaiURL: s.base_url, openaiKey: '', openaiModel: s.models.includes(form?.openaiModel ?? '') ? form!.openaiModel : s.models[0] });
    setLists((l) => ({ ...l, openai: s.models }));
  }

  async function save(e: FormEvent) {
    e.preventDefault();
    if (!form || !editable) return;
    setSaving(true);
    setError(null);
    const u: SettingsUpdate = {
      provider: form.provider,
      anthropic: { api_key: form.anthropicKey.trim() || undefined, model: form.anthropicModel, title_model: form.anthropicTitle },
      openai: { base_url: form.openaiURL, api_key: form.openaiKey.trim() || undefined, model: form.openaiModel, title_model: form.openaiTitle },
    };
    try {
      const v = await modelsApi.saveSettings(u);
      setView(v);
      setForm(formOf(v));
      setSaved(true);
      modelsChanged();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : (err as Error).message);
    } finally {
      setSaving(false);
    }
  }

  const anthropicModels = uniq([...(lists.anthropic ?? view?.anthropic.models ?? []), form?.anthropicModel ?? '']);
  const openaiModels = uniq([...(lists.openai ?? view?.openai.models ?? localModelsOf(view, form?.openaiURL)), form?.openaiModel ?? '']);

  return (
    <dialog
      ref={ref}
      className="dialog settings-dialog"
      aria-labelledby="settings-title"
      onCancel={(e) => {
        e.preventDefault();
        close();
      }}
      onClick={(e) => {
        if (e.target === ref.current) close();
      }}
    >
      {open && (
        <form className="settings" onSubmit={save}>
          <header className="settings-head">
            <h2 id="settings-title">Models</h2>
            <button type="button" className="icon-btn" aria-label="Close settings" onClick={close}>
              <X size={18} />
            </button>
          </header>
          <div className="settings-body">
            {!view && !loadError && (
              <p className="settings-loading" role="status">
                <Spinner size={16} /> Looking for models…
              </p>
            )}
            {loadError && (
              <p className="form-error" role="alert">
                {loadError}{' '}
                <button type="button" className="link" onClick={() => void load()}>
                  Try again
                </button>
              </p>
            )}
            {view && form && (
              <>
                <HealthLine view={view} />
                {!editable && (
                  <p className="settings-note">
                    <Lock size={14} aria-hidden="true" />
                    {view.detailed
                      ? 'You can see this configuration as an administrator. It is set with environment variables on the server.'
                      : 'The server’s administrator chooses the models. You can pick among them for each analysis from the menu at the top of a conversation.'}
                  </p>
                )}
                <fieldset className="settings-providers" disabled={!editable || saving || locked('ANALYZER_PROVIDER')}>
                  <legend>Who answers your questions</legend>
                  <ProviderOption value="builtin" current={form.provider} onPick={(p) => set({ provider: p })} title="Built-in analyst" icon={<Cpu size={16} />}>
                    Works offline, with no account. Answers common questions with exact SQL.
                  </ProviderOption>
                  <ProviderOption value="anthropic" current={form.provider} onPick={(p) => set({ provider: p })} title="Claude" icon={<KeyRound size={16} />}>
                    Anthropic’s models. Needs an API key from console.anthropic.com.
                  </ProviderOption>
                  <ProviderOption value="openai" current={form.provider} onPick={(p) => set({ provider: p })} title="OpenAI-compatible" icon={<Server size={16} />}>
                    A model on this computer (Ollama, LM Studio, llama.cpp, vLLM) or OpenAI and similar services.
                  </ProviderOption>
                  {locked('ANALYZER_PROVIDER') && <LockedNote name="ANALYZER_PROVIDER" />}
                </fieldset>

                {form.provider === 'anthropic' && (
                  <section className="settings-section" aria-label="Claude">
                    <Field label="Anthropic API key" lockedBy={locked('ANTHROPIC_API_KEY') ? 'ANTHROPIC_API_KEY' : undefined}
                      hint={view.anthropic.key_set ? `A key ending in ${view.anthropic.key_hint?.replace('…', '') || '(hidden)'} is saved. Type a new one to replace it.` : 'The key is checked with Anthropic before it is saved, and never shown again.'}>
                      {(id, describedBy) => (
                        <input id={id} aria-describedby={describedBy} type="password" autoComplete="off" spellCheck={false}
                          placeholder={view.anthropic.key_set ? `••••••••${view.anthropic.key_hint?.replace('…', '') ?? ''}` : 'sk-ant-…'}
                          value={form.anthropicKey} disabled={disabled('ANTHROPIC_API_KEY')} onChange={(e) => set({ anthropicKey: e.target.value })} />
                      )}
                    </Field>
                    <div className="settings-row">
                      <ModelField label="Answering model" value={form.anthropicModel} options={anthropicModels} lockedBy={locked('ANTHROPIC_MODEL') ? 'ANTHROPIC_MODEL' : undefined}
                        disabled={disabled('ANTHROPIC_MODEL')} onChange={(v) => set({ anthropicModel: v })} />
                      <ModelField label="Title model" value={form.anthropicTitle} options={anthropicModels} lockedBy={locked('ANTHROPIC_TITLE_MODEL') ? 'ANTHROPIC_TITLE_MODEL' : undefined}
                        disabled={disabled('ANTHROPIC_TITLE_MODEL')} onChange={(v) => set({ anthropicTitle: v })} />
                    </div>
                    {editable && (
                      <ListButton busy={listing === 'anthropic'} disabled={saving || (!form.anthropicKey && !view.anthropic.key_set)} onClick={() => void findModels('anthropic')}>
                        Check the key and list its models
                      </ListButton>
                    )}
                    {listError?.provider === 'anthropic' && <p className="form-error" role="alert">{listError.text}</p>}
                  </section>
                )}

                {form.provider === 'openai' && (
                  <section className="settings-section" aria-label="OpenAI-compatible server">
                    {view.local && (
                      <div className="local-servers">
                        <h3>Found on this computer</h3>
                        {view.local.length === 0 ? (
                          <p className="field-hint">
                            No model server is running here. Start Ollama, LM Studio or llama.cpp, then open Settings again.
                          </p>
                        ) : (
                          <ul>
                            {view.local.map((s) => (
                              <li key={s.port}>
                                <span>
                                  <strong>{s.name}</strong>
                                  <span className="muted">
                                    {' '}
                                    · port {s.port} · {s.models.length} model{s.models.length === 1 ? '' : 's'}
                                  </span>
                                </span>
                                <button type="button" className="btn btn-soft btn-sm" disabled={disabled('OPENAI_BASE_URL')}
                                  aria-label={`Use ${s.name} on port ${s.port}`} onClick={() => useLocal(s)}>
                                  {sameURL(form.openaiURL, s.base_url) ? 'In use' : 'Use'}
                                </button>
                              </li>
                            ))}
                          </ul>
                        )}
                      </div>
                    )}
                    <Field label="Server address" lockedBy={locked('OPENAI_BASE_URL') ? 'OPENAI_BASE_URL' : undefined}
                      hint="Usually ends in /v1, e.g. http://localhost:11434/v1 for Ollama. Leave empty for OpenAI itself.">
                      {(id, describedBy) => (
                        <input id={id} aria-describedby={describedBy} type="url" inputMode="url" spellCheck={false} placeholder="https://api.openai.com/v1"
                          value={form.openaiURL} disabled={disabled('OPENAI_BASE_URL') || !view.detailed} onChange={(e) => set({ openaiURL: e.target.value })} />
                      )}
                    </Field>
                    <Field label="API key (if the server needs one)" lockedBy={locked('OPENAI_API_KEY') ? 'OPENAI_API_KEY' : undefined}
                      hint={view.openai.key_set ? `A key ending in ${view.openai.key_hint?.replace('…', '') || '(hidden)'} is saved. Type a new one to replace it.` : 'Local servers need none.'}>
                      {(id, describedBy) => (
                        <input id={id} aria-describedby={describedBy} type="password" autoComplete="off" spellCheck={false}
                          value={form.openaiKey} disabled={disabled('OPENAI_API_KEY')} onChange={(e) => set({ openaiKey: e.target.value })} />
                      )}
                    </Field>
                    <div className="settings-row">
                      <ModelField label="Answering model" value={form.openaiModel} options={openaiModels} lockedBy={locked('OPENAI_MODEL') ? 'OPENAI_MODEL' : undefined}
                        disabled={disabled('OPENAI_MODEL')} onChange={(v) => set({ openaiModel: v })} />
                      <ModelField label="Title model" value={form.openaiTitle} options={openaiModels} placeholder="same as answering" lockedBy={locked('OPENAI_TITLE_MODEL') ? 'OPENAI_TITLE_MODEL' : undefined}
                        disabled={disabled('OPENAI_TITLE_MODEL')} onChange={(v) => set({ openaiTitle: v })} />
                    </div>
                    {editable && (
                      <ListButton busy={listing === 'openai'} disabled={saving} onClick={() => void findModels('openai')}>
                        List the server’s models
                      </ListButton>
                    )}
                    {listError?.provider === 'openai' && <p className="form-error" role="alert">{listError.text}</p>}
                  </section>
                )}
                {view.monthly_token_budget > 0 && (
                  <p className="field-hint">Each account may use {view.monthly_token_budget.toLocaleString()} model tokens a month; past that the built-in analyst answers.</p>
                )}
                {error && (
                  <p className="form-error" role="alert">
                    {error}
                  </p>
                )}
              </>
            )}
          </div>
          <footer className="settings-foot">
            {saved && (
              <span className="settings-saved" role="status">
                <CircleCheck size={15} aria-hidden="true" /> Saved
              </span>
            )}
            <button type="button" className="btn btn-ghost" onClick={close} disabled={saving}>
              {editable ? 'Close' : 'Done'}
            </button>
            {editable && (
              <button type="submit" className="btn btn-primary" disabled={saving || !form}>
                {saving && <Spinner size={14} />}
                {saving ? 'Checking…' : 'Save'}
              </button>
            )}
          </footer>
        </form>
      )}
    </dialog>
  );
}

function HealthLine({ view }: { view: SettingsView }) {
  const h = view.health;
  const bad = h.status !== 'ok' && h.status !== 'checking';
  const who = view.active === 'anthropic' ? 'Claude' : view.active === 'openai' ? view.default.model || 'The model server' : 'Built-in analyst';
  return (
    <p className={`settings-health${bad ? ' bad' : ''}`} role={bad ? 'alert' : 'status'}>
      {bad ? <CircleExclamationPoint size={15} aria-hidden="true" /> : <CircleCheck size={15} aria-hidden="true" />}
      <span>
        <strong>Now answering: {who}</strong>
        {' — '}
        {bad && h.problem ? h.problem : HEALTH_TEXT[h.status] ?? h.status}
      </span>
    </p>
  );
}

function ProviderOption(props: { value: Provider; current: Provider; title: string; icon: ReactNode; children: ReactNode; onPick: (p: Provider) => void }) {
  const checked = props.value === props.current;
  return (
    <label className={`provider-option${checked ? ' checked' : ''}`}>
      <input type="radio" name="provider" value={props.value} checked={checked} onChange={() => props.onPick(props.value)} />
      <span className="provider-icon" aria-hidden="true">
        {props.icon}
      </span>
      <span>
        <strong>{props.title}</strong>
        <span className="muted">{props.children}</span>
      </span>
    </label>
  );
}

function LockedNote({ name }: { name: string }) {
  return (
    <p className="locked-note">
      <Lock size={12} aria-hidden="true" /> Set by the environment variable {name}
    </p>
  );
}

function Field(props: { label: string; hint?: string; lockedBy?: string; children: (id: string, describedBy: string) => ReactNode }) {
  const id = useId();
  return (
    <div className="settings-field">
      <label htmlFor={id}>{props.label}</label>
      {props.children(id, `${id}-hint`)}
      <p id={`${id}-hint`} className="field-hint">
        {props.lockedBy ? <LockedNote name={props.lockedBy} /> : props.hint}
      </p>
    </div>
  );
}

function ModelField(props: { label: string; value: string; options: string[]; disabled: boolean; lockedBy?: string; placeholder?: string; onChange: (v: string) => void }) {
  // A list to pick from once the provider has listed its models; a name to type before.
  return (
    <Field label={props.label} lockedBy={props.lockedBy} hint={props.options.length ? `${props.options.length} available` : 'Type the model’s name, or list the models.'}>
      {(id, describedBy) =>
        props.options.length ? (
          <select id={id} aria-describedby={describedBy} value={props.value} disabled={props.disabled} onChange={(e) => props.onChange(e.target.value)}>
            {(props.placeholder || !props.value) && <option value="">{props.placeholder ?? 'Choose a model'}</option>}
            {props.options.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        ) : (
          <input id={id} aria-describedby={describedBy} spellCheck={false} autoComplete="off" placeholder={props.placeholder}
            value={props.value} disabled={props.disabled} onChange={(e) => props.onChange(e.target.value)} />
        )
      }
    </Field>
  );
}

function ListButton(props: { busy: boolean; disabled: boolean; onClick: () => void; children: ReactNode }) {
  return (
    <button type="button" className="btn btn-outline btn-sm settings-list-btn" disabled={props.disabled || props.busy} onClick={props.onClick}>
      {props.busy ? <Spinner size={13} /> : <RefreshCw size={13} aria-hidden="true" />}
      {props.children}
    </button>
  );
}

function uniq(list: string[]): string[] {
  return [...new Set(list.filter(Boolean))];
}

function sameURL(a: string, b: string): boolean {
  return a.replace(/\/+$/, '') === b.replace(/\/+$/, '');
}

function localModelsOf(view: SettingsView | null, url: string | undefined): string[] {
  const s = view?.local?.find((l) => url && sameURL(l.base_url, url));
  return s?.models ?? [];
}
