// A throttle the Worker's isolates share (typed here, checked by tsc; index.ts does not use it,
// so its bundle needs no Durable Object binding). The README's wiring:
import { OkerrProject } from 'okerrupdate';
import { durableObjectThrottleStore, type OkerrThrottle } from 'okerrupdate/stores/durable-object';

// The class goes out of the Worker's main module, as wrangler.toml's binding names it.
export { OkerrThrottle } from 'okerrupdate/stores/durable-object';

interface Env {
  OKERR_TEXTID: string;
  OKERR_THROTTLE: DurableObjectNamespace<OkerrThrottle>;
}

export const fleetProject = (env: Env): OkerrProject =>
  OkerrProject.fromEnv(env, { throttleStore: durableObjectThrottleStore(env.OKERR_THROTTLE) });

// A binding typed without the class works as well.
export const untyped = (namespace: DurableObjectNamespace) => durableObjectThrottleStore(namespace);
