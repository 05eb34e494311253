import { CircleExclamationPoint } from 'lucide-react';
import type { Health } from '../lib/types';
import { openSettings } from '../lib/settingsBus';
import '../styles/models.css';

/** Says, before the first question, that the configured model cannot answer, and why. */
export function ProviderBanner({ health }: { health: Health | null }) {
  const h = health?.provider_health;
  if (!h || h.status === 'ok' || h.status === 'checking') return null;
  const title =
    h.status === 'rejected' ? 'The model’s API key was refused' : h.status === 'unreachable' ? 'The model cannot be reached' : 'The model is not set up completely';
  return (
    <div className="provider-banner" role="alert">
      <CircleExclamationPoint size={16} aria-hidden="true" />
      <p>
        <strong>{title}.</strong> {h.problem}
      </p>
      <button type="button" className="btn btn-soft btn-xs" onClick={openSettings}>
        Settings
      </button>
    </div>
  );
}
