import { Cpu } from 'lucide-react';
import { formatCost, formatTokens, modelName, totalTokens, usageDetail, type AnswerUsage } from '../lib/models';
import '../styles/models.css';

/** Who wrote an answer, how many tokens it took and what it cost, under it. */
export function AnswerMeter({ answer }: { answer: AnswerUsage }) {
  const name = modelName(answer.model);
  const tokens = totalTokens(answer.usage);
  const cost = formatCost(answer.cost);
  return (
    <p className="answer-meter" aria-label={`Answered by ${name}${tokens ? `, ${tokens.toLocaleString()} tokens` : ''}${cost ? `, ${cost}` : ''}`}>
      <Cpu size={13} aria-hidden="true" />
      <span className="answer-model">{name}</span>
      {tokens > 0 && (
        <span className="answer-tokens" title={usageDetail(answer.usage)}>
          {formatTokens(tokens)} tokens
        </span>
      )}
      {cost && tokens > 0 && (
        <span className="answer-cost" title={answer.cost.local ? 'Runs on this computer: nothing to pay' : 'Estimated from the list price of the model'}>
          {cost}
        </span>
      )}
    </p>
  );
}
