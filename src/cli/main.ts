#!/usr/bin/env node
import 'reflect-metadata';
import { runCli } from './program';

/** The `mockforge` command (package.json `bin`). */
runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }).then(
  (status) => process.exit(status),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
