/** Sorts a Slack Web API failure into "retry (after how long)" or "give up". */
export type ErrorKind = { retry: boolean; retryAfterMs?: number; message: string };

type SlackLikeError = {
  code?: string;
  retryAfter?: number;
  statusCode?: number;
  data?: { error?: string };
  message?: string;
};

export function classifySlackError(error: unknown): ErrorKind {
  const e = (error ?? {}) as SlackLikeError;
  const message = e.message ?? String(error);
  switch (e.code) {
    case 'slack_webapi_rate_limited_error':
      return { retry: true, retryAfterMs: (e.retryAfter ?? 1) * 1000, message };
    case 'slack_webapi_http_error':
      return { retry: (e.statusCode ?? 500) >= 500, message };
    case 'slack_webapi_request_error':
      return { retry: true, message };
    case 'slack_webapi_platform_error':
      // ok:false answers are final except the few Slack documents as transient
      return {
        retry: ['ratelimited', 'internal_error', 'fatal_error', 'service_unavailable'].includes(
          e.data?.error ?? '',
        ),
        message,
      };
    default:
      return { retry: false, message };
  }
}
