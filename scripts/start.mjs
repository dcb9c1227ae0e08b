#!/usr/bin/env node
// `npm start`: run the gateway (embedded in-memory registry unless REDIS_URL is set), which also serves the
// web client at /, then open the desktop app when Electron can run here. The gateway keeps running if
// Electron cannot start (no binary, no display): the web client works in any browser.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const host = process.env.HOST ?? '127.0.0.1';
const port = process.env.PORT ?? '8787';
const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;

// The gateway's Node flags (a larger young generation: see the README's gateway section).
const gatewayFlags = JSON.parse(readFileSync(join(root, 'apps/gateway/node-flags.json'), 'utf8'));
const gateway = spawn(process.execPath, [...gatewayFlags, join(root, 'apps/gateway/dist/server.js')], {
  stdio: 'inherit',
  env: { ...process.env, HOST: host, PORT: port },
});
let electron;

function stopAll(signal) {
  electron?.kill(signal);
  gateway.kill(signal);
}
process.on('SIGINT', () => stopAll('SIGINT'));
process.on('SIGTERM', () => stopAll('SIGTERM'));
gateway.on('exit', (code, signal) => {
  electron?.kill('SIGTERM');
  process.exit(code ?? (signal ? 1 : 0));
});

async function waitForGateway(deadline) {
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return false;
}

function electronBinary() {
  // electron's main export is the path of its binary, downloaded on first use (Electron 45 fetches it then,
  // not at install). Resolve it in a child so a failed download's output stays out of this console.
  const desktop = join(root, 'apps/desktop');
  console.log('🔔 looking for the Electron binary (its first use downloads it)…');
  const probe = spawnSync(process.execPath, ['-e', "process.stdout.write(require('electron'))"], {
    cwd: desktop,
    encoding: 'utf8',
    timeout: 300_000,
  });
  const path = probe.status === 0 ? (probe.stdout.trim().split('\n').pop() ?? '') : '';
  return path && existsSync(path) ? path : null;
}

if (!(await waitForGateway(Date.now() + 15_000))) {
  console.error(`❌ gateway did not answer ${url}/healthz within 15 s`);
  stopAll('SIGTERM');
} else {
  console.log(`✅ Miscord gateway on ${url} — web client at ${url}/`);
  const binary = process.env.MISCORD_NO_ELECTRON ? null : electronBinary();
  if (!binary) {
    console.log(
      '⚠️ Electron is not available here (set MISCORD_NO_ELECTRON=1 to skip this check); use the web client.',
    );
  } else {
    electron = spawn(binary, [join(root, 'apps/desktop')], {
      stdio: 'inherit',
      env: { ...process.env, MISCORD_SERVER_URL: url },
    });
    electron.on('error', (error) =>
      console.log(`⚠️ Electron failed to start (${error.message}); use the web client.`),
    );
    electron.on('exit', (code) => {
      if (code) console.log(`⚠️ Electron exited with ${code}; the gateway keeps running for the web client.`);
    });
  }
}
