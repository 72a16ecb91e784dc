// A page built with Vite, as a user writes it: `import ... from 'okerrupdate'` and nothing else.
// The page is served by the okerr server itself (same origin), so updates work as in Node.
import { OkerrError, OkerrProject, type StatusPage, type UpdateResult } from 'okerrupdate';

const okerr = new OkerrProject({ textid: 'browser-pkg', secret: 'packaging-secret-4711', url: `${location.origin}/` });

async function main(): Promise<{ result: UpdateResult; board: Record<string, string> }> {
  const result = await okerr.indicator('browser:vite').update('OK', 'page loaded');
  const page: StatusPage = await okerr.statusPage();
  document.querySelector('#title')!.textContent = page.title;
  const board: Record<string, string> = {};
  for (const items of Object.values(page.chapters)) {
    for (const item of items) {
      board[item.title] = item.status;
      const li = document.createElement('li');
      li.textContent = `${item.title}: ${item.status}`;
      document.querySelector('#board')!.append(li);
    }
  }
  return { result, board };
}

main().then(
  (done) => (document.querySelector('#result')!.textContent = JSON.stringify(done)),
  (e: unknown) => {
    const error = e instanceof OkerrError ? { code: e.code, message: e.message } : { message: String(e) };
    document.querySelector('#result')!.textContent = JSON.stringify({ error });
  },
);
