import type { ApiError, ApiEvent, ApiResult, AppInfo, Args, CaseInfo, Channel, GumshoeApi, JobInfo, Results } from '../../../shared/contract.ts';
import { formatRoute, navView, parseRoute, VIEWS, type Route, type ViewName } from './routes.ts';

export { VIEWS, type ViewName };
export const VIEW_TITLES: Record<ViewName, string> = {
  cases: 'Cases',
  events: 'Search',
  timeline: 'Timeline',
  incidents: 'Incidents',
  session: 'Session',
  embedding: 'Embedding map',
  model: 'Model',
  notes: 'Case & export',
};

/** App-wide state: the client, the open case, jobs, the current view. Views read; only methods write. */
export class AppState {
  info = $state<AppInfo | null>(null);
  caseInfo = $state<CaseInfo | null>(null);
  /** Where the analyst is; kept in the URL's hash (state/routes.ts) so reload and back keep it. */
  route = $state<Route>({ view: 'cases' });
  view = $derived<ViewName>(navView(this.route));
  /** The time range the timeline's brush set; the search reads it too. Null: the whole case. */
  timeRange = $state<{ fromUs: number; toUs: number } | null>(null);
  /** '/' was pressed: the search box takes the focus once it is on screen. */
  focusSearch = $state(false);
  /** The sidebar folded to its digit keys; a narrow window starts folded. */
  sidebarCollapsed = $state(typeof window !== 'undefined' && window.innerWidth < 1200);
  theme = $state<'dark' | 'light'>('dark');
  jobs = $state<JobInfo[]>([]);
  sessionId = $state<number | null>(null);
  /** When set, the Events view shows this session's events only. */
  eventsSession = $state<number | null>(null);
  /** Bumped when the case or its contents change, so views know to reload. */
  revision = $state(0);
  runningJobs = $derived(this.jobs.filter((j) => j.state === 'running'));

  constructor(readonly client: GumshoeApi) {
    client.onEvent((e) => this.onEvent(e));
    if (typeof window !== 'undefined') {
      this.fromHash();
      window.addEventListener('hashchange', () => this.fromHash());
      // Crossing the narrow width folds (or unfolds) the sidebar; the ☰ button overrides it until the next crossing.
      window.matchMedia('(max-width: 1199px)').addEventListener('change', (e) => (this.sidebarCollapsed = e.matches));
    }
    void this.start();
  }

  /** Go somewhere: the hash changes, and the hashchange listener moves the app (back undoes it). */
  navigate(r: Route): void {
    const hash = formatRoute(r);
    if (typeof window === 'undefined' || window.location.hash === hash) this.apply(r);
    else window.location.hash = hash;
  }

  private fromHash(): void {
    this.apply(parseRoute(window.location.hash));
  }

  private apply(r: Route): void {
    this.route = r;
    if (r.view === 'session' && r.id !== undefined) this.sessionId = r.id;
    if (r.view === 'events' && r.fromUs !== undefined && r.toUs !== undefined) this.timeRange = { fromUs: r.fromUs, toUs: r.toUs };
  }

  call<C extends Channel>(channel: C, args: Args<C>): Promise<ApiResult<Results[C]>> {
    // TypeScript cannot correlate a generic key with its mapped function type; the contract does.
    const fn = this.client[channel] as (a: Args<C>) => Promise<ApiResult<Results[C]>>;
    return fn(args);
  }

  available(channel: Channel): boolean {
    return this.info?.available.includes(channel) ?? false;
  }

  go(view: ViewName): void {
    if (view === 'session') this.navigate(this.sessionId === null ? { view } : { view, id: this.sessionId });
    else this.navigate({ view } as Route);
  }

  openSession(id: number): void {
    this.sessionId = id;
    this.navigate({ view: 'session', id });
  }

  showSessionEvents(id: number | null): void {
    this.eventsSession = id;
    if (id !== null) this.navigate({ view: 'events' });
  }

  toggleTheme(): void {
    this.theme = this.theme === 'dark' ? 'light' : 'dark';
  }

  setCase(info: CaseInfo | null): void {
    this.caseInfo = info;
    this.revision++;
  }

  private async start(): Promise<void> {
    const [info, current, jobs] = await Promise.all([this.call('app.info', {}), this.call('cases.current', {}), this.call('jobs.list', {})]);
    if (info.ok) this.info = info.value;
    if (current.ok) this.setCase(current.value);
    if (jobs.ok) this.jobs = jobs.value;
  }

  private onEvent(e: ApiEvent): void {
    if (e.type === 'case') {
      if (e.case?.dir !== this.caseInfo?.dir) this.setCase(e.case);
      return;
    }
    const i = this.jobs.findIndex((j) => j.id === e.job.id);
    if (i < 0) this.jobs.push(e.job);
    else this.jobs[i] = e.job;
    if (e.job.finishedAt) this.revision++;
  }
}

/** One call's answer as view state: value, error, loading. */
export class Query<T> {
  value = $state<T | null>(null);
  error = $state<ApiError | null>(null);
  loading = $state(false);
  private seq = 0;

  async run(fn: () => Promise<ApiResult<T>>): Promise<void> {
    // Answers can arrive out of order (typing in a filter); only the latest request's counts.
    const mine = ++this.seq;
    this.loading = true;
    const r = await fn();
    if (mine !== this.seq) return;
    this.loading = false;
    if (r.ok) {
      this.value = r.value;
      this.error = null;
    } else {
      this.error = r.error;
    }
  }
}

/**
 * A Query whose answer is only ever replaced, never edited in place, held as it came (no deep
 * proxy): making a 2,000-node session graph deeply reactive cost ~100 ms before it could be drawn.
 */
export class ReplacedQuery<T> extends Query<T> {
  override value = $state.raw<T | null>(null);
}
