import type { GumshoeApi } from '../../../shared/contract.ts';
import { httpClient } from './http-client.ts';

declare global {
  interface Window {
    gumshoe?: GumshoeApi;
  }
}

/** Desktop: the preload's bridge. Browser (gumshoe serve): the same contract over loopback HTTP. */
export function createClient(): GumshoeApi {
  return window.gumshoe ?? httpClient();
}
