import type { Source, TokenStatus } from '../api.ts';
import { SOURCE_LABEL, STATUS_LABEL } from '../format.ts';

export function SourceBadge({ source }: { source: Source }) {
  return <span className={`badge source-${source.toLowerCase()}`}>{SOURCE_LABEL[source]}</span>;
}

export function StatusBadge({ status }: { status: TokenStatus }) {
  return <span className={`status status-${status.toLowerCase().replace('_', '-')}`}>{STATUS_LABEL[status]}</span>;
}
