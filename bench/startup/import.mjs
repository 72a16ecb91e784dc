// Start-up: import the package and construct a project (no request is made).
import { OkerrProject } from 'okerrupdate';

new OkerrProject('bench', 'bench-secret', { url: 'http://127.0.0.1:9/', direct: true });
