// The request log (docs/operations.md, Logs): ONE line per request when its answer is sent, instead
// of Fastify's two (`incoming request` with the URL, host and client address, then `request
// completed`). The line holds what an operator needs and no personal data: the method, the route
// PATTERN (`/api/tokens/:id`, never the URL: a search's `?q=` holds a patient's name or phone, and
// /t/… and /display/… URLs are secrets), the status, the time taken and the request id.
//
// The lines go to standard output through a buffer: one write per ~4 KiB of lines (and at least every
// LOG_FLUSH_MS when few come), off the main thread, instead of one write per line. What is still in
// the buffer is written when the process exits, also on a crash (an uncaught exception, process.exit);
// only a SIGKILL or a power cut loses it, at most the last LOG_FLUSH_MS of lines.

import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';
import pino from 'pino';

/** Lines are written when this many bytes wait (about 15 request lines)… */
export const LOG_BUFFER_BYTES = 4096;
/** …or this many milliseconds after the last write, whichever comes first. */
export const LOG_FLUSH_MS = 250;

/** Fastify's per-request log lines, as this app writes them. */
export class AccessLog extends LogController {
  /** Nothing when a request arrives: its one line comes when it is answered. */
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const line = {
      method: request.method,
      route: request.routeOptions.url ?? 'unmatched',
      statusCode: reply.statusCode,
      responseTime: reply.elapsedTime,
    };
    // An answer that failed on the way out (the client went away, a stream broke): with its error.
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else reply.log.info(line, 'request completed');
  }
}

/** Where the log lines go: `stream` for pino; `close` writes what waits and stops the timer. */
export interface LogOutput {
  stream: ReturnType<typeof pino.destination>;
  close(): Promise<void>;
}

/**
 * Standard output (or `fd`), buffered as above. pino writes what is still buffered when the process
 * exits, however it exits; `close` (the app's onClose) writes it at once.
 */
export function bufferedLog(fd = 1): LogOutput {
  const stream = pino.destination({ dest: fd, sync: false, minLength: LOG_BUFFER_BYTES });
  const timer = setInterval(() => stream.flush(), LOG_FLUSH_MS);
  timer.unref();
  return {
    stream,
    close: () => {
      clearInterval(timer);
      return new Promise((resolve) => stream.flush(() => resolve()));
    },
  };
}
