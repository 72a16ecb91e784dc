// es2020 has no top-level await: the build fails if anything on the browser path uses it.
export default {
  base: './',
  logLevel: 'warn',
  build: {
    target: 'es2020',
    rollupOptions: { input: { main: 'index.html', init: 'init.html' } },
  },
};
