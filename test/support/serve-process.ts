import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";

const BIN = path.resolve("bin/perkwise.js");

/** `perkwise serve …` as a child process, once it has printed its start-up lines. */
export interface ServeProcess {
  url: string;
  /** Everything printed on stdout so far (the start-up lines are complete). */
  output(): string;
  /** SIGTERM; resolves with the exit code. */
  stop(): Promise<number | null>;
}

/**
 * Spawns `bin/perkwise.js serve <args>` and resolves once the start-up printout is complete: it is
 * printed at once, opens with "Perkwise is running at <url>" and ends with an empty line. Compiling
 * TypeScript and opening PGlite takes seconds on a loaded 2-core VM.
 */
export async function startServe(
  args: string[],
  env: NodeJS.ProcessEnv,
  cwd?: string,
): Promise<ServeProcess> {
  const child: ChildProcess = spawn("node", [BIN, "serve", ...args], {
    cwd,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  let errors = "";
  child.stderr?.on("data", (chunk) => {
    errors += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start-up printout: ${output}${errors}`)), 120_000);
    void exited.then((code) => reject(new Error(`serve exited with ${code}: ${output}${errors}`)));
    child.stdout?.on("data", (chunk) => {
      output += chunk;
      const printout = /running at (http:\/\/\S+)[\s\S]*\n\n/.exec(output);
      if (printout) {
        clearTimeout(timer);
        resolve(printout[1]);
      }
    });
  });
  return {
    url,
    output: () => output,
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      child.kill("SIGTERM");
      return exited;
    },
  };
}
