// The explicit-init entry: the page loads okerrupdate_bg.wasm (Vite copies it into the build)
// and only then uses the classes.
import { init, OkerrError, OkerrProject } from 'okerrupdate/init';

async function main() {
  await init();
  const okerr = new OkerrProject({ textid: 'browser-pkg', secret: 'packaging-secret-4711', url: `${location.origin}/` });
  const result = await okerr.indicator('browser:vite-init').update('OK');
  let badName = '';
  try {
    okerr.indicator('');
  } catch (e) {
    if (e instanceof OkerrError) badName = e.code;
  }
  return { result, badName };
}

main().then(
  (done) => (document.querySelector('#result')!.textContent = JSON.stringify(done)),
  (e: unknown) => (document.querySelector('#result')!.textContent = JSON.stringify({ error: String(e) })),
);
