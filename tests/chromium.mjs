// How every browser test launches Debian's Chromium: the machine's own binary (a test tool's
// download would fail here), no sandbox (tests run as root), and no background traffic, which
// the closed network would refuse.
export const CHROMIUM = {
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu', '--disable-component-update', '--disable-sync', '--no-first-run'],
};
