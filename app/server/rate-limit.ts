/**
 * Per-address rate limits, in memory: a token bucket per client address and route group. A
 * bucket holds at most `burst` tokens and gains `perSecond` tokens a second; every request takes
 * one, and a request finding the bucket empty is answered 429 with Retry-After.
 *
 * In memory means per server process: with several processes behind a load balancer each keeps
 * its own buckets, so an address gets up to (processes × limit). That is fine for what these
 * limits are for (blunting floods and password guessing); the growing delays per account and per
 * address in app/models/throttle.server.ts, kept in the database, are the bound on guessing one
 * account's password.
 */
import type { Request, RequestHandler, Response } from "express";
import { isSubmission, refuse, routePath, type Refusal } from "./security";

export interface RateLimit {
  /** Tokens a full bucket holds: the most requests an idle address may send at once. */
  burst: number;
  /** Tokens added per second: the sustained rate. */
  perSecond: number;
}

/**
 * Submissions: burst 120, then 2 a second. One address is often many people: a tablet kiosk at a
 * library or a dialogue meeting handed from person to person, a school class or a whole workplace
 * behind one NAT address, a phone operator's carrier-grade NAT. A person needs minutes to answer,
 * so even a busy kiosk sends a few answers a minute; but a device that was offline sends its whole
 * outbox at once when the connection returns (app/utils/outbox.ts), and a class told "submit now"
 * sends thirty in a few seconds. 120 at once covers both with room to spare, and 2 a second (7,200
 * an hour) is more than any one place can answer, while a script flooding the API is held to a
 * rate the database takes without noticing. A refused answer is not lost: the outbox treats 429
 * as "try again later".
 */
export const SUBMISSION_LIMIT: RateLimit = { burst: 120, perSecond: 2 };

/**
 * Sign-in: 10 attempts, then one every 6 seconds (10 a minute). Successful sign-ins give their
 * token back, so an office of colleagues behind one address signing in on a Monday morning is
 * never held up; only failures count.
 */
export const SIGN_IN_LIMIT: RateLimit = { burst: 10, perSecond: 10 / 60 };

/**
 * Parses a setting: "burst:perSecond" (e.g. "120:2", "10:0.1667") or "off" (no limit; the
 * benchmark uses it). Empty or unset gives the default.
 */
export function parseRateLimit(name: string, value: string | undefined, fallback: RateLimit): RateLimit | null {
  const raw = (value ?? "").trim();
  if (raw === "") return fallback;
  if (/^(off|false|no|0)$/i.test(raw)) return null;
  const match = /^(\d+)\s*:\s*(\d+(?:\.\d+)?|\.\d+)$/.exec(raw);
  const burst = match ? Number(match[1]) : NaN;
  const perSecond = match ? Number(match[2]) : NaN;
  if (!match || !Number.isSafeInteger(burst) || burst < 1 || !(perSecond > 0) || !Number.isFinite(perSecond)) {
    throw new Error(`${name} must be "burst:perSecond" (such as "120:2", burst ≥ 1 and rate > 0) or "off"; got "${raw}"`);
  }
  return { burst, perSecond };
}

export interface RateLimits {
  submissions: RateLimit | null;
  signIn: RateLimit | null;
}

/** The limits from RATE_LIMIT_SUBMISSIONS and RATE_LIMIT_SIGNIN; throws on a malformed value. */
export function rateLimitsFromEnv(env: Record<string, string | undefined>): RateLimits {
  return {
    submissions: parseRateLimit("RATE_LIMIT_SUBMISSIONS", env.RATE_LIMIT_SUBMISSIONS, SUBMISSION_LIMIT),
    signIn: parseRateLimit("RATE_LIMIT_SIGNIN", env.RATE_LIMIT_SIGNIN, SIGN_IN_LIMIT),
  };
}

/**
 * The bucket key for a client address. IPv6 clients get a /64 each (one household or device
 * usually holds a whole /64, so per-address keys would let it rotate through billions); IPv4
 * mapped into IPv6 (::ffff:1.2.3.4) counts as the IPv4 address.
 */
export function clientKey(ip: string | undefined): string {
  if (!ip) return "unknown";
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1];
  if (!ip.includes(":")) return ip;
  const [head, tail = ""] = ip.toLowerCase().split("%")[0].split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups = ip.includes("::") ? [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill("0"), ...right] : left;
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, "")).join(":")}::/64`;
}

export type TakeResult = { ok: true } | { ok: false; retryAfterSeconds: number };

/** Token buckets keyed by client; memory stays bounded (idle buckets are dropped, and a cap). */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    readonly limit: RateLimit,
    private readonly now: () => number = () => performance.now() / 1000,
    private readonly maxKeys = 100_000,
  ) {}

  /** Takes one token for `key`, or says in how many whole seconds one will be there. */
  take(key: string): TakeResult {
    const now = this.now();
    const bucket = this.refill(key, now);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / this.limit.perSecond)) };
  }

  /** Gives a token back (a request that should not have counted). */
  refund(key: string): void {
    const bucket = this.buckets.get(key);
    if (bucket) bucket.tokens = Math.min(this.limit.burst, bucket.tokens + 1);
  }

  get size(): number {
    return this.buckets.size;
  }

  /** Drops buckets that have refilled completely: they are the same as no bucket. */
  sweep(now = this.now()): void {
    for (const [key, b] of this.buckets) {
      if (b.tokens + (now - b.at) * this.limit.perSecond >= this.limit.burst) this.buckets.delete(key);
    }
  }

  private refill(key: string, now: number) {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      if (this.buckets.size >= this.maxKeys) {
        this.sweep(now);
        // Still full (an address spray): forget the oldest, which only ever gives it a fresh burst.
        if (this.buckets.size >= this.maxKeys) this.buckets.delete(this.buckets.keys().next().value as string);
      }
      bucket = { tokens: this.limit.burst, at: now };
      this.buckets.set(key, bucket);
      return bucket;
    }
    bucket.tokens = Math.min(this.limit.burst, bucket.tokens + (now - bucket.at) * this.limit.perSecond);
    bucket.at = now;
    return bucket;
  }
}

interface LimitedRoute {
  buckets: TokenBuckets;
  applies: (req: Request) => boolean;
  message: (seconds: number) => Refusal;
  /** Gives the token back once the answer shows the request should not count. */
  refundWhen?: (res: Response) => boolean;
}

const SIGN_IN_PATHS = new Set(["/logga-in", "/logga-in/kod"]);

/** A session cookie set: a sign-in that went through (the second-factor step's cookie does not count). */
function signedIn(res: Response): boolean {
  const cookies = res.getHeader("set-cookie");
  const list = Array.isArray(cookies) ? cookies : cookies === undefined ? [] : [String(cookies)];
  return list.some((c) => /^(?:__Host-)?td_session=[^;]/.test(c));
}

/**
 * One middleware for every limited route. Keys on req.ip: the socket's address, or with
 * TRUST_PROXY=on the address the reverse proxy saw (main.ts trusts exactly one proxy hop, so a
 * client cannot pick its own bucket with a made-up X-Forwarded-For).
 */
export function rateLimits(limits: RateLimits, { sweepEverySeconds = 60 } = {}): RequestHandler {
  const routes: LimitedRoute[] = [];
  if (limits.submissions) {
    routes.push({
      buckets: new TokenBuckets(limits.submissions),
      applies: isSubmission,
      message: (s) => ({ key: "refusal.tooManySubmissions", count: s, api: `Too many submissions from this address; try again in ${s} seconds` }),
    });
  }
  if (limits.signIn) {
    routes.push({
      buckets: new TokenBuckets(limits.signIn),
      // The password form and the second-factor code: both are guesses.
      applies: (req) => req.method === "POST" && SIGN_IN_PATHS.has(routePath(req)),
      message: (s) => ({ key: "refusal.tooManySignIns", count: s, api: `Too many sign-in attempts from this address; try again in ${s} seconds` }),
      refundWhen: signedIn,
    });
  }
  if (routes.length > 0) {
    setInterval(() => routes.forEach((r) => r.buckets.sweep()), sweepEverySeconds * 1000).unref();
  }
  return (req, res, next) => {
    const route = routes.find((r) => r.applies(req));
    if (!route) return next();
    const key = clientKey(req.ip);
    const result = route.buckets.take(key);
    if (!result.ok) {
      return refuse(req, res, 429, route.message(result.retryAfterSeconds), { "Retry-After": String(result.retryAfterSeconds) });
    }
    const { refundWhen } = route;
    if (refundWhen) res.on("finish", () => refundWhen(res) && route.buckets.refund(key));
    next();
  };
}
