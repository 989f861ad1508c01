#!/usr/bin/env node
// The `gumshoe` command. Runs the TypeScript CLI through tsx so that a plain `npm ci` is all the
// build a user needs on an air-gapped box.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv);
