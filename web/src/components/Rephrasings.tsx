import { Sparkles } from 'lucide-react';
import type { Suggestion } from '../lib/events.gen';

/**
 * Questions the analyst offers after an answer (the built-in analyst's
 * rephrasings of a question it declined): one click sends a question, or
 * runs Auto-analyze.
 */
export function Rephrasings({
  suggestions,
  disabled,
  onAsk,
  onAutoAnalyze,
}: {
  suggestions: Suggestion[];
  disabled?: boolean;
  onAsk?: (text: string) => void;
  onAutoAnalyze?: () => void;
}) {
  const usable = suggestions.filter((s) => (s.kind === 'auto_analyze' ? !!onAutoAnalyze : !!onAsk && !!s.text));
  if (usable.length === 0) return null;
  return (
    <div className="suggestion-chips rephrasings" role="group" aria-label="Questions to ask instead">
      {usable.map((s) =>
        s.kind === 'auto_analyze' ? (
          <button key="auto" type="button" className="chip-btn" disabled={disabled} onClick={() => onAutoAnalyze?.()}>
            <Sparkles size={13} aria-hidden="true" /> {s.label || 'Auto-analyze'}
          </button>
        ) : (
          <button key={s.text} type="button" className="chip-btn" disabled={disabled} onClick={() => onAsk?.(s.text ?? '')}>
            {s.label || s.text}
          </button>
        ),
      )}
    </div>
  );
}
