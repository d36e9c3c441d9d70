// The answer to what the person just did: a success (announced politely) or a refusal (an alert),
// with the API's own sentence as the detail.

export interface Notice {
  kind: 'ok' | 'error';
  headline: string;
  detail?: string | null;
}

export function NoticeLine({ notice, testId }: { notice: Notice | null; testId: string }) {
  return (
    <div aria-live="polite" data-testid={testId}>
      {notice && (
        <div className={`outcome outcome-${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'}>
          <strong>{notice.headline}</strong>
          {notice.detail && <p>{notice.detail}</p>}
        </div>
      )}
    </div>
  );
}
