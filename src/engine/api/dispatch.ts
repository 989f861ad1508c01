import { calls, isChannel, type ApiResult, type Channel, type ParsedArgs, type Results } from '../../shared/contract.ts';
import { toApiError } from './errors.ts';

/** The handler table: one function per contract call, given validated arguments. */
export type Handlers = { [C in Channel]: (args: ParsedArgs<C>) => Results[C] | Promise<Results[C]> };

/**
 * The one entry point both transports use: check the channel, validate the arguments against the
 * contract's schema, run the handler, and turn every outcome into an ApiResult.
 */
export async function dispatch(handlers: Handlers, channel: string, rawArgs: unknown): Promise<ApiResult<unknown>> {
  if (!isChannel(channel)) return { ok: false, error: { code: 'unknown-call', message: `no such call: ${channel.slice(0, 80)}` } };
  // Everything below runs inside the catch, validation included: no argument, however deep or
  // strange, and no handler failure, thrown or rejected, crosses the boundary as an exception.
  try {
    const parsed = calls[channel].safeParse(rawArgs ?? {});
    if (!parsed.success) {
      return {
        ok: false,
        error: {
          code: 'invalid-argument',
          message: `invalid arguments for ${channel}`,
          issues: parsed.error.issues.slice(0, 20).map((i) => ({ path: i.path.join('.').slice(0, 200), message: i.message.slice(0, 500) })),
        },
      };
    }
    const handler = handlers[channel] as (a: unknown) => unknown;
    return { ok: true, value: await handler(parsed.data) };
  } catch (err) {
    return { ok: false, error: toApiError(err) };
  }
}
