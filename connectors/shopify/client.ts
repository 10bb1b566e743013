/**
 * A small Admin GraphQL client: POSTs to the endpoint with the access token, honours Shopify's
 * two throttles (HTTP 429 with Retry-After, and cost-based THROTTLED errors with
 * extensions.cost.throttleStatus), retries transient failures with capped exponential backoff,
 * and turns everything else into an ExternalError with a stable code.
 * The token is sent in a header only; it never appears in an error message.
 */
import { ExternalError } from '../../engine/core/errors.ts';
import { parseEnvelope, type ThrottleStatus } from './schema.ts';

export type Sleep = (ms: number) => Promise<void>;

export type ShopifyClientOptions = {
  endpoint: string;
  token: string;
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** One request's wait for an answer (headers and body); default 30 s. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Injected in tests to record the waits the client chose. */
  sleep?: Sleep;
};

/** `raw` is the response text, hashed into the pull's summary as evidence of what was read. */
export type GraphqlResult = { data: Record<string, unknown>; raw: string };

export type ShopifyClient = {
  /**
   * `retryUnknown`: retry when the outcome is unknown (connection lost after sending). True for
   * queries; false for mutations, whose caller must find out what happened instead.
   */
  request(
    query: string,
    variables: Record<string, unknown>,
    opts?: { retryUnknown?: boolean },
  ): Promise<GraphqlResult>;
};

const SYSTEM = 'shopify';

export function createShopifyClient(options: ShopifyClientOptions): ShopifyClient {
  const maxAttempts = options.maxAttempts ?? 5;
  const baseDelayMs = options.baseDelayMs ?? 500;
  const maxDelayMs = options.maxDelayMs ?? 30_000;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const sleep = options.sleep ?? defaultSleep;
  let lastThrottle: { status: ThrottleStatus; requestedCost: number } | undefined;

  async function paceBeforeRequest(): Promise<void> {
    // Cost-based pacing: wait for the bucket to refill enough for a query like the last one.
    if (!lastThrottle) return;
    const { status, requestedCost } = lastThrottle;
    if (status.currentlyAvailable >= requestedCost || status.restoreRate <= 0) return;
    const waitMs = ((requestedCost - status.currentlyAvailable) / status.restoreRate) * 1000;
    await sleep(Math.min(Math.ceil(waitMs), maxDelayMs));
  }

  async function request(
    query: string,
    variables: Record<string, unknown>,
    opts: { retryUnknown?: boolean } = {},
  ): Promise<GraphqlResult> {
    const retryUnknown = opts.retryUnknown ?? true;
    let lastProblem = '';
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      await paceBeforeRequest();
      const backoffMs = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
      let response: Response;
      // a server that accepts the connection and never answers must not hold the run forever
      const timeout = AbortSignal.timeout(timeoutMs);
      const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
      try {
        response = await fetch(options.endpoint, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            accept: 'application/json',
            'x-shopify-access-token': options.token,
          },
          body: JSON.stringify({ query, variables }),
          signal,
        });
      } catch (cause) {
        if (options.signal?.aborted) throw cause;
        lastProblem = timeout.aborted
          ? `no answer within ${timeoutMs / 1000} s`
          : `connection failed: ${(cause as Error).message}`;
        if (!retryUnknown) {
          throw new ExternalError(SYSTEM, 'SHOPIFY_NETWORK', `Shopify ${lastProblem}`, {
            cause,
            retryable: true,
          });
        }
        await sleep(backoffMs);
        continue;
      }
      const text = await readBody(response, retryUnknown, timeout, timeoutMs);
      if (response.status === 401 || response.status === 403) {
        throw new ExternalError(
          SYSTEM,
          'SHOPIFY_AUTH',
          `Shopify rejected the access token (HTTP ${response.status}); check the token and its scopes (read_inventory, write_inventory, read_orders)`,
        );
      }
      if (response.status === 429) {
        lastProblem = 'HTTP 429 Too Many Requests';
        await sleep(retryAfterMs(response.headers.get('retry-after')) ?? backoffMs);
        continue;
      }
      if (response.status >= 500) {
        lastProblem = `HTTP ${response.status}`;
        await sleep(backoffMs);
        continue;
      }
      if (response.status !== 200) {
        throw new ExternalError(SYSTEM, 'SHOPIFY_HTTP', `Shopify answered HTTP ${response.status}`);
      }
      const envelope = parseEnvelope(text);
      if (envelope.throttled) {
        // A THROTTLED request was not executed, so it is safe to resend even for a mutation.
        lastProblem = 'THROTTLED (query cost above the available budget)';
        await sleep(throttledWaitMs(envelope.throttle, envelope.requestedCost) ?? backoffMs);
        continue;
      }
      // Remember the bucket only after a request that ran; a THROTTLED wait already covered it.
      if (envelope.throttle) {
        lastThrottle = { status: envelope.throttle, requestedCost: envelope.requestedCost ?? 0 };
      }
      if (envelope.errors.length > 0) {
        throw new ExternalError(
          SYSTEM,
          'SHOPIFY_GRAPHQL_ERROR',
          `Shopify GraphQL errors: ${envelope.errors.join('; ')}`,
        );
      }
      return { data: envelope.data, raw: text };
    }
    throw new ExternalError(
      SYSTEM,
      'SHOPIFY_RETRIES_EXHAUSTED',
      `Shopify request failed after ${maxAttempts} attempts (last: ${lastProblem})`,
      { retryable: true },
    );
  }

  return { request };
}

async function readBody(
  response: Response,
  retryUnknown: boolean,
  timeout: AbortSignal,
  timeoutMs: number,
): Promise<string> {
  try {
    return await response.text();
  } catch (cause) {
    const why = timeout.aborted ? `stalled for ${timeoutMs / 1000} s` : 'was cut off';
    throw new ExternalError(SYSTEM, 'SHOPIFY_NETWORK', `Shopify response ${why}`, {
      cause,
      retryable: retryUnknown,
    });
  }
}

function retryAfterMs(header: string | null): number | undefined {
  if (header === null) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

function throttledWaitMs(
  status: ThrottleStatus | undefined,
  requestedCost: number | undefined,
): number | undefined {
  if (!status || requestedCost === undefined || status.restoreRate <= 0) return undefined;
  const missing = Math.max(0, requestedCost - status.currentlyAvailable);
  return Math.ceil((missing / status.restoreRate) * 1000);
}

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
