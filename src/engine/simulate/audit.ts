import type { Rng } from './prng.ts';
import { rfc3339us, rfc3339s } from './time.ts';

/** `user` as kube-apiserver writes it. An empty object is what a failed authentication logs. */
export interface UserInfo {
  username?: string;
  uid?: string;
  groups?: string[];
}

export interface ObjectRef {
  resource: string;
  namespace?: string;
  name?: string;
  apiGroup?: string;
  apiVersion: string;
  subresource?: string;
}

/** One API request as an actor makes it; `Recorder.call` turns it into audit.k8s.io/v1 Events. */
export interface Call {
  /** requestReceivedTimestamp, µs. */
  t: number;
  verb: string;
  user: UserInfo;
  ip: string;
  ua: string;
  ref?: ObjectRef;
  /** A non-resource path (`/version`, `/healthz`) instead of `ref`. */
  path?: string;
  /** Query string without the `?`. */
  query?: string;
  code?: number;
  /** authorization.k8s.io/reason for allowed requests. */
  reason?: string;
  reqObj?: unknown;
  respObj?: unknown;
  latencyUs?: number;
  /** Also log the RequestReceived stage (audit policies that keep it). */
  received?: boolean;
  /** A watch: ResponseStarted now, ResponseComplete this much later. */
  watchUs?: number;
  extraAnnotations?: Record<string, string>;
}

/** An Event ready to write; `ts` is its stageTimestamp, the order kube-apiserver writes in. */
export interface SimEvent {
  ts: number;
  /** The Event as an object, built on demand. */
  rec: () => Record<string, unknown>;
  /** The Event as one JSON line: exactly JSON.stringify(rec()), built from cached parts (serialization is most of the cost). */
  line: string;
}

const userJson = new WeakMap<UserInfo, string>();
function userLine(u: UserInfo): string {
  let s = userJson.get(u);
  if (s === undefined) {
    s = JSON.stringify(u);
    userJson.set(u, s);
  }
  return s;
}
const OK_STATUS = new Map<number, string>();
function statusLine(st: Record<string, unknown>): string {
  if (Object.keys(st).length !== 2) return JSON.stringify(st);
  const code = st.code as number;
  let s = OK_STATUS.get(code);
  if (s === undefined) {
    s = JSON.stringify(st);
    OK_STATUS.set(code, s);
  }
  return s;
}

export type Sink = (ev: SimEvent) => void;

const WRITE = new Set(['create', 'update', 'patch', 'delete', 'deletecollection']);
const RR_RESOURCES = new Set(['pods', 'clusterrolebindings', 'rolebindings', 'clusterroles', 'roles', 'mutatingwebhookconfigurations', 'validatingwebhookconfigurations', 'cronjobs', 'daemonsets']);
const METADATA_ONLY = new Set(['secrets', 'configmaps', 'tokenreviews', 'serviceaccounts', 'leases', 'events']);

/** The audit policy the simulated cluster runs: a common hardened one (Metadata for secrets, bodies for pod and RBAC writes). */
export function policyLevel(verb: string, ref: ObjectRef | undefined): string {
  if (!ref || !WRITE.has(verb)) return 'Metadata';
  if (METADATA_ONLY.has(ref.resource) || ref.subresource === 'status' || ref.subresource === 'token') return 'Metadata';
  if (ref.subresource === 'exec' || ref.subresource === 'portforward' || ref.subresource === 'attach') return 'Metadata';
  return RR_RESOURCES.has(ref.resource) ? 'RequestResponse' : 'Request';
}

export function pathFor(ref: ObjectRef): string {
  let p = ref.apiGroup ? `/apis/${ref.apiGroup}/${ref.apiVersion}` : `/api/${ref.apiVersion}`;
  if (ref.namespace) p += ref.resource === 'namespaces' ? '' : `/namespaces/${ref.namespace}`;
  p += `/${ref.resource}`;
  if (ref.name) p += `/${ref.name}`;
  if (ref.subresource) p += `/${ref.subresource}`;
  return p;
}

function forbiddenMessage(c: Call): string {
  const who = c.user.username ?? 'system:anonymous';
  if (!c.ref) return `forbidden: User "${who}" cannot ${c.verb} path "${c.path ?? '/'}"`;
  const res = c.ref.subresource ? `${c.ref.resource}/${c.ref.subresource}` : c.ref.resource;
  const scope = c.ref.namespace ? `in the namespace "${c.ref.namespace}"` : 'at the cluster scope';
  const named = c.ref.name ? `${c.ref.resource} "${c.ref.name}" is forbidden` : `${c.ref.resource} is forbidden`;
  return `${named}: User "${who}" cannot ${c.verb} resource "${res}" in API group "${c.ref.apiGroup ?? ''}" ${scope}`;
}

function responseStatus(c: Call, code: number): Record<string, unknown> {
  if (code < 400) return { metadata: {}, code };
  if (code === 401) return { metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code };
  if (code === 403) {
    const details = c.ref ? { name: c.ref.name, group: c.ref.apiGroup, kind: c.ref.resource } : undefined;
    return { metadata: {}, status: 'Failure', message: forbiddenMessage(c), reason: 'Forbidden', details, code };
  }
  if (code === 404) {
    return { metadata: {}, status: 'Failure', message: `${c.ref?.resource ?? 'the server'} "${c.ref?.name ?? ''}" not found`, reason: 'NotFound', details: { name: c.ref?.name, kind: c.ref?.resource }, code };
  }
  if (code === 409) return { metadata: {}, status: 'Failure', message: `${c.ref?.resource} "${c.ref?.name}" already exists`, reason: 'AlreadyExists', code };
  return { metadata: {}, status: 'Failure', message: 'Internal error', reason: 'InternalError', code };
}

const KINDS: Record<string, string> = {
  endpointslices: 'EndpointSlice', endpoints: 'Endpoints', replicasets: 'ReplicaSet', deployments: 'Deployment', statefulsets: 'StatefulSet',
  daemonsets: 'DaemonSet', pods: 'Pod', namespaces: 'Namespace', jobs: 'Job', cronjobs: 'CronJob', nodes: 'Node', services: 'Service',
};

/**
 * The body a write carries when the caller did not spell one out: at Request level kube-apiserver
 * always logs one (DeleteOptions for deletes, the object for updates).
 */
function defaultBody(verb: string, ref: ObjectRef): unknown {
  if (verb === 'delete' || verb === 'deletecollection') return { kind: 'DeleteOptions', apiVersion: 'meta.k8s.io/v1', propagationPolicy: 'Background' };
  const apiVersion = ref.apiGroup ? `${ref.apiGroup}/${ref.apiVersion}` : ref.apiVersion;
  const metadata: Record<string, string> = {};
  if (ref.name) metadata.name = ref.name;
  if (ref.namespace && ref.resource !== 'namespaces') metadata.namespace = ref.namespace;
  return { kind: KINDS[ref.resource] ?? ref.resource, apiVersion, metadata };
}

/** Fills server-set metadata into a request body, as the response to a create would carry it. */
function asStored(obj: unknown, rng: Rng, t: number): unknown {
  if (!obj || typeof obj !== 'object') return obj;
  const o = obj as { metadata?: Record<string, unknown> };
  return { ...o, metadata: { ...o.metadata, uid: rng.uuid(), resourceVersion: String(rng.int(1_000_000, 90_000_000)), creationTimestamp: rfc3339s(t) } };
}

/**
 * Turns calls into Events and hands them to a sink. One Recorder per actor or scenario, each with
 * its own Rng stream, so auditIDs of one never depend on how much another produced.
 */
export class Recorder {
  constructor(
    private readonly rng: Rng,
    public sink: Sink,
  ) {}

  call(c: Call): string {
    const auditID = this.rng.uuid();
    const code = c.code ?? (c.verb === 'create' ? 201 : 200);
    const level = policyLevel(c.verb, c.ref);
    const reqObj = c.reqObj ?? (level !== 'Metadata' && c.ref ? defaultBody(c.verb, c.ref) : undefined);
    const uri = (c.ref ? pathFor(c.ref) : (c.path ?? '/')) + (c.query ? `?${c.query}` : '');
    const latency = c.latencyUs ?? 300 + this.rng.int(0, 9000);
    const authenticated = code !== 401;
    const annotations: Record<string, string> | undefined = authenticated
      ? { 'authorization.k8s.io/decision': code === 403 ? 'forbid' : 'allow', 'authorization.k8s.io/reason': code === 403 ? '' : (c.reason ?? ''), ...c.extraAnnotations }
      : undefined;
    const head = `{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"${level}","auditID":"${auditID}","stage":"`;
    const who = `,"requestURI":${JSON.stringify(uri)},"verb":${JSON.stringify(c.verb)},"user":${userLine(c.user)},"sourceIPs":[${JSON.stringify(c.ip)}],"userAgent":${JSON.stringify(c.ua)}${c.ref ? `,"objectRef":${JSON.stringify(c.ref)}` : ''}`;
    const reqJson = level !== 'Metadata' && reqObj !== undefined ? `,"requestObject":${JSON.stringify(reqObj)}` : '';
    const annJson = annotations ? `,"annotations":${JSON.stringify(annotations)}` : '';
    const received = rfc3339us(c.t);
    const base = (stage: string, ts: number, done: boolean): SimEvent => {
      const stageTs = rfc3339us(ts);
      const st = stage === 'RequestReceived' ? undefined : done ? responseStatus(c, code) : { metadata: {}, code };
      const respObj = done && level === 'RequestResponse' && code < 300 && reqObj !== undefined ? (c.respObj ?? asStored(reqObj, this.rng, c.t)) : undefined;
      let line = head + stage + '"' + who;
      if (st) line += `,"responseStatus":${statusLine(st)}`;
      line += reqJson;
      if (respObj !== undefined) line += `,"responseObject":${JSON.stringify(respObj)}`;
      line += `,"requestReceivedTimestamp":"${received}","stageTimestamp":"${stageTs}"`;
      if (annotations && stage !== 'RequestReceived') line += annJson;
      // The object form is only needed by the cloud envelopes; raw-only runs never build it.
      const rec = (): Record<string, unknown> => {
        const r: Record<string, unknown> = { kind: 'Event', apiVersion: 'audit.k8s.io/v1', level, auditID, stage, requestURI: uri, verb: c.verb, user: c.user, sourceIPs: [c.ip], userAgent: c.ua };
        if (c.ref) r.objectRef = c.ref;
        if (st) r.responseStatus = st;
        if (reqJson) r.requestObject = reqObj;
        if (respObj !== undefined) r.responseObject = respObj;
        r.requestReceivedTimestamp = received;
        r.stageTimestamp = stageTs;
        if (annotations && stage !== 'RequestReceived') r.annotations = annotations;
        return r;
      };
      return { ts, rec, line: line + '}' };
    };
    if (c.received) this.sink(base('RequestReceived', c.t, false));
    if (c.watchUs !== undefined && code === 200) {
      this.sink(base('ResponseStarted', c.t + latency, false));
      this.sink(base('ResponseComplete', c.t + c.watchUs, true));
    } else {
      this.sink(base(code === 401 ? 'ResponseStarted' : 'ResponseComplete', c.t + latency, true));
    }
    return auditID;
  }
}
