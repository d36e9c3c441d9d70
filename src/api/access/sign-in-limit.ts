// Sign-in attempts are limited (SPEC 11), per client address and per username, so a password cannot
// be guessed by trying many: only failed attempts count (a right password gives its attempt back),
// each budget refills a fixed window after its first failure, and a spent budget answers 429
// TOO_MANY_REQUESTS with Retry-After without checking the password at all (so it costs no scrypt).
//
// The counters live in this process (rate-limiter-flexible's memory limiter): with several servers
// behind a load balancer, each server keeps its own, so the hospital-wide budget is that many times
// larger; still far too small to guess a 10-character password. The numbers are in docs/security.md.

import type { FastifyReply, FastifyRequest, onSendHookHandler, preHandlerAsyncHookHandler } from 'fastify';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { AccessError } from '../../access/access-errors.ts';
import { usernameKey } from '../../store/access-rows.ts';

export interface SignInLimits {
  /** Failed attempts for one username (in any letter case) within the window, from anywhere. */
  perUsername: number;
  /** Failed attempts from one client address within the window, whatever the usernames. */
  perAddress: number;
  windowSeconds: number;
}

/**
 * 10 per username: a person who mistypes a few times is never stopped, a guesser gets 960 tries a
 * day per name. 30 per address: a shared desk PC where several people mistype is not stopped; one
 * address trying many names is, after 30.
 */
export const SIGN_IN_LIMITS: SignInLimits = { perUsername: 10, perAddress: 30, windowSeconds: 15 * 60 };

/** One counted attempt; `succeeded` gives it back. */
export interface SignInAttempt {
  succeeded(): Promise<void>;
}

export class SignInLimiter {
  private readonly byUsername: RateLimiterMemory;
  private readonly byAddress: RateLimiterMemory;

  constructor(readonly limits: SignInLimits = SIGN_IN_LIMITS) {
    this.byUsername = new RateLimiterMemory({ keyPrefix: 'name', points: limits.perUsername, duration: limits.windowSeconds });
    this.byAddress = new RateLimiterMemory({ keyPrefix: 'addr', points: limits.perAddress, duration: limits.windowSeconds });
  }

  /**
   * Counts an attempt before the password is checked, so that parallel attempts cannot slip past
   * the limit; refuses with TOO_MANY_REQUESTS (and the seconds to wait) when a budget is spent.
   */
  async attempt(address: string, username: string): Promise<SignInAttempt> {
    const name = usernameKey(username);
    const [byAddress, byName] = await Promise.all([spend(this.byAddress, address), spend(this.byUsername, name)]);
    const blocked = [byAddress, byName].filter((r) => r.consumedPoints > (r === byAddress ? this.limits.perAddress : this.limits.perUsername));
    if (blocked.length > 0) {
      const waitMs = Math.max(...blocked.map((r) => r.msBeforeNext));
      const seconds = Math.max(1, Math.ceil(waitMs / 1000));
      const which = blocked.includes(byName) ? 'for this username' : 'from this address';
      throw new AccessError('TOO_MANY_REQUESTS', `too many failed sign-in attempts ${which}: try again in ${describeWait(seconds)}`, seconds);
    }
    let given = false;
    return {
      succeeded: async () => {
        if (given) return;
        given = true;
        await Promise.all([this.byAddress.reward(address, 1), this.byUsername.reward(name, 1)]);
      },
    };
  }

  /**
   * Route hooks for a sign-in route (POST /api/session, POST /api/setup): the preHandler counts the
   * attempt of `usernameOf(request)` from `request.ip`; onSend gives it back unless the answer is
   * 401 (a wrong password or set-up code). Bad input (400) never reaches the preHandler.
   */
  hooks(usernameOf: (request: FastifyRequest) => string): { preHandler: preHandlerAsyncHookHandler; onSend: onSendHookHandler } {
    const attempts = new WeakMap<FastifyRequest, SignInAttempt>();
    return {
      preHandler: async (request: FastifyRequest) => {
        attempts.set(request, await this.attempt(request.ip, usernameOf(request)));
      },
      onSend: async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
        const attempt = attempts.get(request);
        if (attempt && reply.statusCode !== 401) await attempt.succeeded();
        return payload;
      },
    };
  }
}

/** Consumes one point; a spent budget still answers (the limiter rejects with its state). */
async function spend(limiter: RateLimiterMemory, key: string): Promise<RateLimiterRes> {
  try {
    return await limiter.consume(key, 1);
  } catch (result) {
    if (result instanceof RateLimiterRes) return result;
    throw result;
  }
}

function describeWait(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  return `${Math.ceil(seconds / 60)} min`;
}
