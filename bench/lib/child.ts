/** Child processes: servers under test (so the load generator never shares their event loop) and one-shot runs. */
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const BENCH_DIR = fileURLToPath(new URL("..", import.meta.url));

/** Absolute path of a file under bench/. */
export function benchFile(relative: string): string {
  return `${BENCH_DIR}${relative}`;
}

export interface ChildServer<T> {
  /** The JSON object the server printed as its first line once it listened. */
  info: T;
  pid: number;
  stop(): Promise<void>;
}

function startChild(file: string, env: Record<string, string>, nodeArgs: string[], args: string[]) {
  // A server's database comes only from the benchmark that starts it, never from the caller's shell.
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith("BENCH_SERVER_") && k !== "DATABASE_URL"),
  );
  return spawn(process.execPath, [...nodeArgs, "--import", "tsx", benchFile(file), ...args], {
    env: { ...inherited, LOG_LEVEL: "silent", NODE_ENV: "production", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

function collect(child: ChildProcess) {
  const out = { stdout: "", stderr: "" };
  child.stdout?.setEncoding("utf8").on("data", (d: string) => {
    out.stdout += d;
  });
  child.stderr?.setEncoding("utf8").on("data", (d: string) => {
    out.stderr += d;
    // BENCH_CHILD_STDERR=1: show what the children print on stderr (deprecations, crashes).
    if (process.env.BENCH_CHILD_STDERR) process.stderr.write(d);
    if (out.stderr.length > 20_000) out.stderr = out.stderr.slice(-10_000);
  });
  return out;
}

function firstJsonLine(text: string): unknown {
  for (const line of text.split("\n")) {
    const t = line.trim();
    if (t.startsWith("{")) return JSON.parse(t);
  }
  return undefined;
}

/**
 * Spawns `node --import tsx bench/<file>`, waits for the JSON line it prints once listening, and
 * returns it with a stop() that sends SIGTERM (SIGKILL after 5 s by default) to that child only.
 */
export async function spawnServer<T>(
  file: string,
  env: Record<string, string> = {},
  options: { nodeArgs?: string[]; timeoutMs?: number; killAfterMs?: number } = {},
): Promise<ChildServer<T>> {
  // BENCH_CPU_PROF_DIR=dir: every server under test writes a V8 CPU profile there when stopped.
  const profDir = process.env.BENCH_CPU_PROF_DIR;
  const profile = profDir ? ["--cpu-prof", `--cpu-prof-dir=${profDir}`] : [];
  const child = startChild(file, env, [...profile, ...(options.nodeArgs ?? [])], []);
  const out = collect(child);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const info = await new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${file} did not start within ${options.timeoutMs ?? 60_000} ms:\n${out.stderr}`));
    }, options.timeoutMs ?? 60_000);
    const onData = () => {
      if (!out.stdout.includes("\n")) return;
      try {
        const parsed = firstJsonLine(out.stdout);
        if (parsed === undefined) return;
        clearTimeout(timer);
        child.stdout?.off("data", onData);
        resolve(parsed as T);
      } catch (error) {
        clearTimeout(timer);
        reject(error);
      }
    };
    child.stdout?.on("data", onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${file} exited with ${code} before listening:\n${out.stderr}`));
    });
  });
  return {
    info,
    pid: child.pid!,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const killer = setTimeout(
        () => child.kill("SIGKILL"),
        options.killAfterMs ?? (profDir ? 30_000 : 5_000),
      );
      child.kill("SIGTERM");
      await exited;
      clearTimeout(killer);
    },
  };
}

/** Runs `node [nodeArgs] --import tsx bench/<file> [args]` to completion and parses its last JSON line. */
export async function runChildJson<T>(
  file: string,
  args: string[],
  options: { nodeArgs?: string[]; env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<T> {
  const child = startChild(file, options.env ?? {}, options.nodeArgs ?? [], args);
  const out = collect(child);
  const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 120_000);
  const code = await new Promise<number | null>((resolve) => child.once("exit", (c) => resolve(c)));
  clearTimeout(timer);
  const lines = out.stdout.trim().split("\n").reverse();
  const json = lines.find((l) => l.trim().startsWith("{"));
  if (code !== 0 || !json) throw new Error(`${file} exited with ${code}:\n${out.stderr}${out.stdout}`);
  return JSON.parse(json) as T;
}

/** CPU time (user + system) a process has used so far, in ms; null where /proc is not available. */
export function processCpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the parenthesised command name; utime and stime are the 12th and 13th of them.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return null;
  }
}

/** Linux's USER_HZ: 100 on every mainstream kernel configuration. */
const CLOCK_TICKS = 100;
