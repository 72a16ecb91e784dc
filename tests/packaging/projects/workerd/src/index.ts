// A Cloudflare Worker, as a user writes it: a heartbeat from the cron trigger, and a numerical
// update from each request, answered with the result.
import { OkerrError, OkerrProject } from 'okerrupdate';

interface Env {
  OKERR_TEXTID: string;
  OKERR_SECRET: string;
  OKERR_URL?: string;
}

// One project per isolate (the README's pattern): throttle state and the director's answer
// carry over from one request to the next.
let okerr: OkerrProject | undefined;
const project = (env: Env) => (okerr ??= OkerrProject.fromEnv(env));

export default {
  async scheduled(controller, env, ctx) {
    // waitUntil keeps the Worker alive until the update has been answered.
    ctx.waitUntil(project(env).indicator('worker:cron').update('OK', `cron ${controller.cron}`));
    // A job reported by run(): OK with its duration, or ERR with its error's message.
    ctx.waitUntil(project(env).indicator('worker:nightly').run(() => nightly(controller.cron)));
  },

  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    if (url.pathname === '/__test/bodies') return bodiesTest(env);
    if (url.pathname === '/job') return jobTest(env, ctx, url.searchParams.has('fail'));
    if (url.pathname === '/burst') return burst(env, ctx, url.searchParams);
    try {
      const result = await project(env)
        .indicator('worker:requests', { method: 'numerical|maxlim=100' })
        .update(url.searchParams.get('value') ?? '1');
      return Response.json(result);
    } catch (e) {
      if (e instanceof OkerrError) {
        return Response.json({ code: e.code, message: e.message }, { status: e.code === 'INVALID_ARGUMENT' ? 400 : 502 });
      }
      throw e;
    }
  },
} satisfies ExportedHandler<Env>;

async function nightly(cron: string): Promise<string> {
  return `cleaned up (${cron})`;
}

// A job wrapped once per request: its value or error is the response; flush() waits for the
// report and for an update nobody awaited.
async function jobTest(env: Env, ctx: ExecutionContext, fail: boolean): Promise<Response> {
  const okerr = project(env);
  const job = okerr.wrap('worker:job', async (items: number): Promise<number> => {
    if (fail) throw new Error(`job failed after ${items} items`);
    return items * 2;
  });
  const outcome = await job(21).then(
    (value) => ({ value }),
    (e: unknown) => ({ error: e instanceof Error ? e.message : String(e) }),
  );
  okerr.indicator('worker:unawaited').update(fail ? 'ERR' : 'OK', 'nobody awaited this');
  const flushed = await okerr.flush(10_000);
  ctx.waitUntil(okerr.flush());
  return Response.json({ ...outcome, flushed });
}

// Many requests at once on one isolate, as the README's pattern has them: one project per
// isolate (here one per mode), an update awaited for the response, or handed to waitUntil.
const burstProjects = new Map<string, OkerrProject>();
async function burst(env: Env, ctx: ExecutionContext, q: URLSearchParams): Promise<Response> {
  const direct = q.get('direct') === '1';
  const key = `${direct}`;
  const okerr = burstProjects.get(key) ?? OkerrProject.fromEnv(env, { direct, logLevel: 'warn' });
  burstProjects.set(key, okerr);
  const update = okerr.indicator(q.get('name') ?? 'worker:burst').update(q.get('status') ?? 'OK');
  if (q.get('wait') === 'until') {
    ctx.waitUntil(update);
    ctx.waitUntil(okerr.flush(20_000));
    return Response.json({ queued: true });
  }
  try {
    return Response.json(await update);
  } catch (e) {
    return Response.json({ code: (e as OkerrError).code, message: String(e) }, { status: 502 });
  }
}

// Test instrumentation, not part of the user's Worker: every response the package fetched,
// accepted or refused, must have had its body read, or workerd stalls the connections.
async function bodiesTest(env: Env): Promise<Response> {
  const seen: Response[] = [];
  const spy = async (input: string, init?: RequestInit) => {
    const response = await fetch(input, init);
    seen.push(response);
    return response;
  };
  const okerr = OkerrProject.fromEnv(env, { fetch: spy });
  const results = await Promise.all(
    Array.from({ length: 8 }, (_, i) => okerr.indicator(`worker:burst:${i}`).update('OK')),
  );
  const refused = await okerr
    .indicator('worker:refused', { secret: 'wrong-secret' })
    .update('OK')
    .then(() => 'sent', (e: unknown) => (e instanceof OkerrError ? e.code : 'other'));
  return Response.json({ results, refused, fetched: seen.length, consumed: seen.filter((r) => r.bodyUsed).length });
}
