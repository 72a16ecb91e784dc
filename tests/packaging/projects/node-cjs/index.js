// A CommonJS program, as a user writes one.
const { OkerrProject, OkerrError } = require('okerrupdate');

function missingTextidCode() {
  try {
    new OkerrProject({});
  } catch (e) {
    return e instanceof OkerrError && e instanceof Error ? e.code : 'not an OkerrError';
  }
  return 'no error';
}

const okerr = OkerrProject.fromEnv(process.env);
okerr
  .indicator('node-cjs:backup')
  .update('OK', 'nightly backup done')
  .then((result) => {
    console.log(JSON.stringify({ result, missingTextid: missingTextidCode(), version: require('okerrupdate/package.json').version }));
  })
  .catch((e) => {
    console.error(e);
    process.exitCode = 1;
  });
