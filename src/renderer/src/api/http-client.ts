import { channels, type ApiEvent, type ApiResult, type GumshoeApi } from '../../../shared/contract.ts';

/**
 * The contract over `gumshoe serve`. The login token arrived in the page URL and the server traded
 * it, once, for an HttpOnly session cookie and a redirect to the clean URL (docs/security.md), so
 * requests here carry the session without script ever seeing it. Should a token still be in the
 * address bar (an older server), it is stripped so it does not linger in history or screenshots.
 */
export function httpClient(): GumshoeApi {
  const url = new URL(window.location.href);
  if (url.searchParams.has('token')) {
    url.searchParams.delete('token');
    window.history.replaceState(null, '', url.pathname + url.search + url.hash);
  }
  const api: Record<string, unknown> = {};
  for (const channel of channels) {
    api[channel] = async (args: unknown): Promise<ApiResult<unknown>> => {
      try {
        const res = await fetch(`/api/${channel}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(args ?? {}) });
        if (!res.ok) return { ok: false, error: { code: res.status === 403 ? 'forbidden' : 'internal', message: `${res.status} ${(await res.text()).trim()}` } };
        return (await res.json()) as ApiResult<unknown>;
      } catch (err) {
        return { ok: false, error: { code: 'internal', message: `the server did not answer: ${String(err)}` } };
      }
    };
  }
  api.onEvent = (listener: (e: ApiEvent) => void): (() => void) => {
    const source = new EventSource('/api/events');
    source.onmessage = (m: MessageEvent<string>) => listener(JSON.parse(m.data) as ApiEvent);
    return () => source.close();
  };
  api.pathForFile = (): null => null;
  return api as GumshoeApi;
}
