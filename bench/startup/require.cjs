// Start-up, CommonJS: require the package and construct a project (no request is made).
const { OkerrProject } = require('okerrupdate');

new OkerrProject('bench', 'bench-secret', { url: 'http://127.0.0.1:9/', direct: true });
