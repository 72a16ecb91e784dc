// What a Node.js service does with okerrupdate: a heartbeat, a number with limits, a string.
// Credentials come from the environment (OKERR_TEXTID, OKERR_SECRET, OKERR_URL).
import { OkerrProject, OkerrError } from 'okerrupdate';

// logLevel 'info' shows a line per update sent; the default, 'warn', prints only problems.
const project = OkerrProject.fromEnv(process.env, { logLevel: 'info' });

const heartbeat = project.indicator('demo:heartbeat', { desc: 'The demo process is alive' });
const temperature = project.indicator('demo:temperature', { method: 'numerical|maxlim=37|minlim=35', tags: ['demo'] });
const version = project.indicator('demo:node-version', { method: 'string|options=dynamic' });

console.log('heartbeat   ', await heartbeat.update('OK', 'demo is running'));
console.log('temperature ', await temperature.update(36.6, 'Current temperature is normal'));
console.log('version     ', await version.update(process.version));

// The same status again within five minutes is not sent twice.
console.log('heartbeat   ', await project.indicator('demo:heartbeat').update('OK'));

// A value the server would silently ignore is refused before anything is sent.
try {
  await temperature.update('hot');
} catch (e) {
  if (!(e instanceof OkerrError)) throw e;
  console.log(`refused      ${e.code}: ${e.message}`);
}
