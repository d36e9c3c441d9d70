// Refusals that happen before Fastify sees a request: Node's HTTP parser rejects the bytes (an unknown
// method, a bad Content-Length, headers over 16 KiB, extra bytes after a body) or the request does not
// arrive within the request/headers timeout. Fastify's default answers these in its own JSON; here
// they are problem+json from the one table, like every other refusal.

import { STATUS_CODES, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { PROBLEM_CONTENT_TYPE, problem, type Problem } from './problem.ts';

/** What a parser or timeout error means for the client. */
export function clientProblem(errorCode: string | undefined): Problem {
  switch (errorCode) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return problem('REQUEST_TIMEOUT', 'The request headers or body did not arrive in time; the connection is closed.');
    case 'HPE_HEADER_OVERFLOW':
      return problem('HEADERS_TOO_LARGE', 'The request headers exceed 16 KiB.');
    case 'HPE_INVALID_METHOD':
      // Also what bytes after a body longer than its Content-Length look like: a request line without a method.
      return problem('METHOD_NOT_ALLOWED', 'The request does not start with a method this server knows (or a body ran past its Content-Length).');
    case 'HPE_INVALID_CONTENT_LENGTH':
    case 'HPE_UNEXPECTED_CONTENT_LENGTH':
      return problem('VALIDATION_FAILED', 'The Content-Length header is not a valid length, or comes with Transfer-Encoding.');
    case 'HPE_INVALID_TRANSFER_ENCODING':
    case 'HPE_INVALID_CHUNK_SIZE':
      return problem('VALIDATION_FAILED', 'The chunked request body is not valid.');
    case 'HPE_INVALID_HEADER_TOKEN':
      return problem('VALIDATION_FAILED', 'A request header is not valid HTTP.');
    default:
      return problem('VALIDATION_FAILED', 'The request is not valid HTTP/1.1.');
  }
}

/** Fastify's `clientErrorHandler`: answers on the raw socket, then closes it. */
export function clientErrorHandler(this: FastifyInstance, err: NodeJS.ErrnoException, socket: Socket): void {
  // A reset connection is gone: there is nobody to answer.
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const body = clientProblem(err.code);
  this.log.info({ code: body.code, cause: err.code }, 'client refused before routing');
  // As Node itself does: write only if no response on this socket has started, else the bytes would
  // corrupt it. (`_httpMessage` is the response in flight, e.g. of a body that timed out.)
  const inFlight = (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage;
  if (socket.writable && !inFlight?.headersSent) {
    const json = JSON.stringify(body);
    // Ended, not destroyed at once: closing a socket whose request bytes are still unread makes the
    // kernel reset the connection, and a reset can drop the answer before the client has read it (seen
    // as an empty answer instead of the 408 for a tenth of 200 trickling clients cut at once, under
    // load). The client reads the answer and closes; one that does not is cut after a short linger.
    socket.end(
      `HTTP/1.1 ${body.status} ${STATUS_CODES[body.status]}\r\n` +
        `Content-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(json)}\r\nConnection: close\r\n\r\n${json}`,
    );
    setTimeout(() => socket.destroy(), ANSWER_LINGER_MS).unref();
    return;
  }
  socket.destroy(err);
}

/** How long a refused connection stays open after its answer, for the client to read it. */
export const ANSWER_LINGER_MS = 2_000;
