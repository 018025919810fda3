#!/usr/bin/env node
// `npx bantam ...`: runs the bundled CLI (dist/cli.js), built by `npm run build`.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const cli = join(__dirname, '..', 'dist', 'cli.js');
if (!existsSync(cli)) {
  console.error('bantam: dist/cli.js is missing; run `npm run build` in the Bantam folder first.');
  process.exit(2);
}
require(cli);
