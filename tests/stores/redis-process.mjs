// One process of a fleet, for redis.test.mjs: waits for "go" on stdin, then makes COUNT
// concurrent updates of NAME (one project for all, or a project per update with --each) with a
// Redis throttle store, and prints the results as JSON.
import { OkerrProject } from 'okerrupdate';
import { redisThrottleStore } from 'okerrupdate/stores/redis';
import { connect } from './resp.mjs';

const [url, port, name, count, mode] = process.argv.slice(2);
const redis = await connect(Number(port));
const store = redisThrottleStore(redis.eval);
const project = () => new OkerrProject({ textid: 'proj', secret: 'CANARY-project-secret', url, direct: true, throttleStore: store, logLevel: 'warn' });
const shared = project();
process.stdout.write('ready\n');
process.stdin.once('data', async () => {
  const results = await Promise.all(
    Array.from({ length: Number(count) }, () => (mode === 'each' ? project() : shared).indicator(name).update('OK')),
  );
  process.stdout.write(JSON.stringify(results.map((r) => r.reason)) + '\n');
  redis.close();
  process.stdin.pause();
});
