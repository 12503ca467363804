import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startServe } from "./support/serve-process.js";
import { answerDifferences } from "./support/tour-answers.js";
import { atPort, readTour, type TourStep } from "./support/tour-markdown.js";

const STEP_MARK = /\n@@tour-step-(\d+)@@\n/;

/**
 * The tours run as written (see tour-markdown.ts for how a tour is read, tour-answers.ts for how an
 * answer is matched): each against a fresh server of its own — the one its start block names, in a
 * new directory, on PGlite — by bash with `set -euo pipefail`, in that directory, so `.perkwise/…`
 * is the fresh server's. Every step's output must match the answer shown under it.
 */
describe("the tours in the docs", () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function runTour(file: string, heading?: string) {
    const tour = readTour(readFileSync(file, "utf8"), file, heading);
    const directory = mkdtempSync(path.join(tmpdir(), "perkwise-tour-"));
    cleanups.push(async () => rmSync(directory, { recursive: true, force: true }));
    const port = await startServer(directory, tour.server.demo);
    const steps = atPort(tour.steps, port);
    const { code, stdout, stderr } = await runBash(directory, script(steps));
    const outputs = stdout.split(STEP_MARK).filter((_, index) => index % 2 === 0);
    const problems: string[] = [];
    steps.forEach((step, index) => {
      if (index >= outputs.length - 1) return;
      const output = outputs[index];
      const differences =
        step.answer === null
          ? output.trim() === ""
            ? []
            : ["printed output the docs do not show (show it with # → …)"]
          : answerDifferences(step.answer, output);
      if (differences.length > 0) problems.push(report(step, output, differences));
    });
    const finished = outputs.length - 1;
    if (code !== 0 || finished < steps.length) {
      const step = steps[finished];
      problems.push(
        report(step, outputs[finished] ?? "", [
          `exited with ${code} before its answer; stderr:\n${stderr.trim()}`,
        ]),
      );
    }
    expect(problems.join("\n\n")).toBe("");
    expect(finished).toBe(steps.length);
  }

  it("README: First five minutes, on the demo server", { timeout: 150_000 }, async () => {
    await runTour("README.md", "## First five minutes");
  });

  it("docs/tour.md, on a fresh server with no data", { timeout: 150_000 }, async () => {
    await runTour("docs/tour.md");
  });

  /** Starts `perkwise serve [--demo]` on a free port with its data in `directory`/.perkwise; resolves its port. */
  async function startServer(directory: string, demo: boolean): Promise<number> {
    const env: NodeJS.ProcessEnv = { ...process.env, PERKWISE_DATA_DIR: path.join(directory, ".perkwise") };
    for (const name of ["DATABASE_URL", "PORT", "HOST", "PERKWISE_ADMIN_KEY", "PERKWISE_PAYMENT_SECRET"])
      delete env[name];
    env.LOG_LEVEL = "warn";
    // On disk in a new directory: a fresh server, as `npm start` makes one.
    const server = await startServe(["--port", "0", ...(demo ? ["--demo"] : [])], env, directory);
    cleanups.push(async () => void (await server.stop()));
    return Number(new URL(server.url).port);
  }
});

/** One bash script of every step, each followed by a mark that splits the output into the steps' outputs. */
function script(steps: TourStep[]): string {
  const parts = ["set -euo pipefail"];
  steps.forEach((step, index) => {
    parts.push(step.commands, `printf '\\n@@tour-step-%d@@\\n' ${index}`);
  });
  return `${parts.join("\n")}\n`;
}

function runBash(
  directory: string,
  text: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const file = path.join(directory, "tour.sh");
  writeFileSync(file, text);
  // Only what a newcomer's shell has: no PERKWISE_* or test variables leak into the tour.
  const env = { PATH: process.env.PATH, HOME: directory, LANG: "C.UTF-8" };
  const child = spawn("bash", ["--noprofile", "--norc", file], {
    cwd: directory,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk;
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk;
  });
  const timer = setTimeout(() => child.kill("SIGKILL"), 90_000);
  return new Promise((resolve) =>
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    }),
  );
}

function report(step: TourStep, output: string, differences: string[]): string {
  return [
    `${step.where}:`,
    ...differences.map((line) => `  ${line}`),
    `  commands:\n${indent(step.commands)}`,
    `  printed:\n${indent(output.slice(0, 2000))}`,
  ].join("\n");
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((line) => `    ${line}`)
    .join("\n");
}
