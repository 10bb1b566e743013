/**
 * A local HTTP server speaking Shopify's Admin GraphQL endpoint
 * (`POST /admin/api/2025-01/graphql.json`, token in X-Shopify-Access-Token), with the cost
 * extension on every answer and injectable faults: HTTP 429 with Retry-After, cost-based
 * THROTTLED, HTTP 401, HTTP 500, a 200 whose body is not JSON, a request never answered, and a
 * mutation applied whose response is then lost.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolveQuery, type FakeState } from './shopify-resolvers.ts';

export type { FakeItem, FakeOrder, FakeState, FakeAdjustmentGroup } from './shopify-resolvers.ts';

export type Fault =
  | { kind: 'http429'; retryAfterSeconds: number }
  | {
      kind: 'throttled';
      currentlyAvailable: number;
      requestedQueryCost: number;
      restoreRate: number;
    }
  | { kind: 'http401' }
  | { kind: 'http500' }
  /** HTTP 200 with a body that is not Shopify's JSON (a proxy's error page, say). */
  | { kind: 'garbage' }
  /** Accept the request and never answer (the client must time out). */
  | { kind: 'hang' }
  /** Apply the request, then drop the connection before answering (a lost response). */
  | { kind: 'dropAfterApply' };

export type RecordedRequest = { query: string; variables: Record<string, unknown>; status: number };

export type FakeShopify = {
  endpoint: string;
  state: FakeState;
  requests: RecordedRequest[];
  /** Faults served to the next requests, one each, in order. `onlyFor` limits to matching queries. */
  inject(fault: Fault, onlyFor?: RegExp): void;
  close(): Promise<void>;
};

export const API_PATH = '/admin/api/2025-01/graphql.json';

const MAX_AVAILABLE = 1000;
const RESTORE_RATE = 50;

export async function startFakeShopify(options: {
  token: string;
  state?: Partial<FakeState>;
  /** false: answer inventoryHistory as an API version without that field does. */
  supportsHistory?: boolean;
}): Promise<FakeShopify> {
  const state: FakeState = {
    items: options.state?.items ?? [],
    orders: options.state?.orders ?? [],
    adjustments: options.state?.adjustments ?? [],
  };
  const requests: RecordedRequest[] = [];
  const faults: { fault: Fault; onlyFor?: RegExp }[] = [];

  const server: Server = createServer((req, res) => {
    void handle(req, res).catch((e: unknown) =>
      send(res, 500, { errors: [{ message: String(e) }] }),
    );
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readAll(req);
    if (req.method !== 'POST' || req.url !== API_PATH)
      return send(res, 404, { errors: 'Not Found' });
    let parsed: { query?: unknown; variables?: unknown };
    try {
      parsed = JSON.parse(body) as typeof parsed;
    } catch {
      return send(res, 400, { errors: 'Bad Request: body is not JSON' });
    }
    const query = typeof parsed.query === 'string' ? parsed.query : '';
    const variables = (parsed.variables ?? {}) as Record<string, unknown>;
    const record = (status: number) => requests.push({ query, variables, status });

    if (req.headers['x-shopify-access-token'] !== options.token) {
      record(401);
      return send(res, 401, {
        errors: '[API] Invalid API key or access token (unrecognized login or wrong password)',
      });
    }
    const i = faults.findIndex((f) => !f.onlyFor || f.onlyFor.test(query));
    const fault = i === -1 ? undefined : faults.splice(i, 1)[0]!.fault;
    if (fault?.kind === 'http401') {
      record(401);
      return send(res, 401, {
        errors: '[API] Invalid API key or access token (unrecognized login or wrong password)',
      });
    }
    if (fault?.kind === 'http429') {
      record(429);
      res.setHeader('retry-after', String(fault.retryAfterSeconds));
      return send(res, 429, {
        errors:
          'Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.',
      });
    }
    if (fault?.kind === 'http500') {
      record(500);
      return send(res, 500, { errors: 'Internal Server Error' });
    }
    if (fault?.kind === 'garbage') {
      record(200);
      res.writeHead(200, { 'content-type': 'text/html' });
      return void res.end('<html><body><h1>502 Bad Gateway</h1></body></html>');
    }
    if (fault?.kind === 'hang') {
      record(0);
      return;
    }
    if (fault?.kind === 'throttled') {
      record(200);
      return send(res, 200, {
        errors: [
          {
            message: 'Throttled',
            extensions: {
              code: 'THROTTLED',
              documentation: 'https://shopify.dev/api/usage/rate-limits',
            },
          },
        ],
        extensions: {
          cost: {
            requestedQueryCost: fault.requestedQueryCost,
            actualQueryCost: null,
            throttleStatus: {
              maximumAvailable: MAX_AVAILABLE,
              currentlyAvailable: fault.currentlyAvailable,
              restoreRate: fault.restoreRate,
            },
          },
        },
      });
    }
    if (options.supportsHistory === false && /inventoryHistory\s*\(/.test(query)) {
      record(200);
      return send(res, 200, {
        errors: [
          {
            message: "Field 'inventoryHistory' doesn't exist on type 'QueryRoot'",
            extensions: { code: 'undefinedField' },
          },
        ],
      });
    }
    const data = resolveQuery(state, query, variables);
    record(200);
    if (fault?.kind === 'dropAfterApply') {
      res.socket?.destroy();
      return;
    }
    send(res, 200, {
      data,
      extensions: {
        cost: {
          requestedQueryCost: 12,
          actualQueryCost: 10,
          throttleStatus: {
            maximumAvailable: MAX_AVAILABLE,
            currentlyAvailable: MAX_AVAILABLE - 10,
            restoreRate: RESTORE_RATE,
          },
        },
      },
    });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}${API_PATH}`,
    state,
    requests,
    inject(fault, onlyFor) {
      faults.push({ fault, onlyFor });
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}

function readAll(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}
