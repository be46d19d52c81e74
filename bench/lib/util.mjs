// Small helpers shared by the benchmark's modules: logging to stderr, free ports, bounded
// child processes, and the one cleanup stack that every resource registers with.
import { spawn } from 'node:child_process';
import net from 'node:net';

/** Progress and diagnostics go to stderr; stdout carries only the report. */
export function log(message) {
  process.stderr.write(`[bench] ${message}\n`);
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A TCP port free on 127.0.0.1 right now (the OS picks it). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** A positive integer from the environment, or the default; anything else stops the run. */
export function intFromEnv(name, fallback, { min = 1 } = {}) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min) throw new BenchError(`${name} must be an integer ≥ ${min}, not ${JSON.stringify(raw)}`);
  return Number(raw);
}

/** A failure with a message meant for the user (no stack trace). */
export class BenchError extends Error {
  constructor(message, details) {
    super(message);
    this.details = details; // text to show below the message (a log tail, an answer's body)
  }
}

/** The last `max` lines written to a stream, for error reports. */
export class Tail {
  constructor(max = 60) {
    this.max = max;
    this.lines = [];
    this.partial = '';
  }
  push(chunk) {
    const parts = (this.partial + chunk.toString('utf8')).split('\n');
    this.partial = parts.pop();
    this.lines.push(...parts);
    if (this.lines.length > this.max) this.lines.splice(0, this.lines.length - this.max);
  }
  text() {
    return [...this.lines, this.partial].filter((line) => line !== '').join('\n');
  }
}

/**
 * Things to undo at the end, last registered first. Each step runs once; a failing step is
 * logged and the others still run. run() may be called again (steps added since then run too).
 */
export class Cleanup {
  constructor() {
    this.steps = [];
    this.chain = Promise.resolve();
  }
  add(label, undo) {
    this.steps.push({ label, undo });
  }
  run() {
    this.chain = this.chain.then(async () => {
      while (this.steps.length > 0) {
        const { label, undo } = this.steps.pop();
        try {
          await undo();
        } catch (error) {
          log(`cleanup: could not ${label}: ${error?.message ?? error}`);
        }
      }
    });
    return this.chain;
  }
}

/** Children started by runCommand that are still running: ended on an interrupt. */
export const liveChildren = new Set();

/**
 * Runs a command to completion under a time limit (SIGTERM, then SIGKILL 5 s later).
 * Resolves { code, signal, stdout, stderr, timedOut }; never rejects for a non-zero exit.
 */
export function runCommand(command, args, { env, cwd, timeoutMs }) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    liveChildren.add(child);
    const stdout = [];
    const stderr = [];
    let timedOut = false;
    let killer;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
      killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    }, timeoutMs);
    child.stdout.on('data', (chunk) => stdout.push(chunk));
    child.stderr.on('data', (chunk) => stderr.push(chunk));
    child.on('error', (error) => {
      clearTimeout(timer);
      liveChildren.delete(child);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      clearTimeout(killer);
      liveChildren.delete(child);
      resolve({
        code,
        signal,
        timedOut,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
      });
    });
  });
}

/** Whether a process with this id exists (and may be signalled by us). */
export function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/** Sends a signal, ignoring "no such process". */
export function signal(pid, name) {
  try {
    process.kill(pid, name);
    return true;
  } catch (error) {
    if (error.code === 'ESRCH') return false;
    throw error;
  }
}

/** Waits up to `ms` for `check()` to be true; returns its last value. */
export async function waitFor(check, ms, intervalMs = 100) {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check()) return true;
    if (Date.now() >= deadline) return false;
    await sleep(intervalMs);
  }
}
