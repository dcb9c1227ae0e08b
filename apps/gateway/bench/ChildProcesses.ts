import { type ChildProcess, fork, type SpawnOptions, spawn } from 'node:child_process';

/**
 * Every process the benchmark starts, so that none outlives it: on exit, on SIGINT/SIGTERM and on a
 * crash each tracked child gets SIGKILL (by its own pid, never by name).
 */
export class ChildProcesses {
  readonly #children = new Set<ChildProcess>();
  #hooked = false;

  spawn(command: string, args: readonly string[], options: SpawnOptions): ChildProcess {
    return this.#track(spawn(command, args, options));
  }

  /** A Node child with an IPC channel that carries structured-clone messages (typed arrays). */
  fork(modulePath: string, args: readonly string[], env: NodeJS.ProcessEnv): ChildProcess {
    return this.#track(
      fork(modulePath, args, {
        env,
        execArgv: [],
        serialization: 'advanced',
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      }),
    );
  }

  /** SIGTERM, then SIGKILL after graceMs if the child has not exited. */
  async stop(child: ChildProcess, graceMs = 3_000): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }

  killAll(): void {
    for (const child of this.#children) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  }

  #track(child: ChildProcess): ChildProcess {
    this.#hook();
    this.#children.add(child);
    child.once('exit', () => this.#children.delete(child));
    return child;
  }

  #hook(): void {
    if (this.#hooked) return;
    this.#hooked = true;
    process.once('exit', () => this.killAll());
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      process.once(signal, () => {
        this.killAll();
        process.exit(130);
      });
    }
  }
}
