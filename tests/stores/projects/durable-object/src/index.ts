// A Worker whose isolates share one throttle: the README's wiring for Durable Objects.
import { OkerrProject, type OkerrOptions } from 'okerrupdate';
import { durableObjectThrottleStore, type OkerrThrottle } from 'okerrupdate/stores/durable-object';

// The Durable Object class is exported from the Worker's main module, as wrangler.toml names it.
export { OkerrThrottle } from 'okerrupdate/stores/durable-object';

interface Env {
  OKERR_TEXTID: string;
  OKERR_SECRET: string;
  OKERR_URL?: string;
  OKERR_THROTTLE: DurableObjectNamespace<OkerrThrottle>;
}

const options = (env: Env): OkerrOptions => ({
  direct: true,
  retries: 0,
  logLevel: 'warn',
  throttleStore: durableObjectThrottleStore(env.OKERR_THROTTLE),
});

// One project per isolate.
let okerr: OkerrProject | undefined;

export default {
  async fetch(request, env) {
    const q = new URL(request.url).searchParams;
    // `per=request`: a project of its own for each request, as each of a fleet's isolates has
    // one: only the Durable Object can tell them what the others sent.
    const project = q.get('per') === 'request' ? OkerrProject.fromEnv(env, options(env)) : (okerr ??= OkerrProject.fromEnv(env, options(env)));
    try {
      return Response.json(await project.indicator(q.get('name') ?? 'worker:do').update(q.get('status') ?? 'OK'));
    } catch (e) {
      return Response.json({ error: e instanceof Error ? e.message : String(e) }, { status: 502 });
    }
  },
} satisfies ExportedHandler<Env>;
