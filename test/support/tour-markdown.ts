/**
 * A tour in the docs, read as the tour test runs it.
 *
 * - The tour is a region of a markdown file (README's "First five minutes", all of docs/tour.md);
 *   its ```sh blocks run in order, in one bash session; blocks of other languages are not run.
 * - The first ```sh block starts the server (`npm install && npm start`, or `npx perkwise serve` with
 *   flags): the test starts that server itself, fresh, and does not run the block.
 * - One line `PERKWISE=http://127.0.0.1:<port>` names the server, with the port the start block
 *   uses; the test changes that port to the fresh server's, and nothing else.
 * - Each answer comment (`# → …`, see tour-answers.ts) closes a step: the commands above it, since
 *   the previous answer, must print what it shows. Commands with no answer below them in their
 *   block must print nothing.
 */

export interface TourStep {
  /** Where the step's answer (or its last command) is, as file:line. */
  where: string;
  commands: string;
  /** The answer shown, null when the commands must print nothing. */
  answer: string | null;
}

export interface Tour {
  server: { demo: boolean; port: number };
  steps: TourStep[];
}

interface CodeBlock {
  language: string;
  /** 1-based line number of the block's first line of code. */
  line: number;
  lines: string[];
}

const BASE_URL_LINE = /^PERKWISE=http:\/\/127\.0\.0\.1:(\d+)$/;

/** The fenced code blocks of `lines`, with where each begins. */
function codeBlocks(lines: string[], offset: number): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  let open: CodeBlock | null = null;
  lines.forEach((text, index) => {
    if (open === null) {
      const fence = /^```(\S*)/.exec(text);
      if (fence) open = { language: fence[1], line: offset + index + 2, lines: [] };
    } else if (/^```\s*$/.test(text)) {
      blocks.push(open);
      open = null;
    } else open.lines.push(text);
  });
  if (open !== null) throw new Error(`unclosed code block at line ${(open as CodeBlock).line - 1}`);
  return blocks;
}

/** The lines of the section under `heading` (to the next heading of its level or above), else the whole file. */
export function tourRegion(markdown: string, heading?: string): { lines: string[]; offset: number } {
  const lines = markdown.split("\n");
  if (heading === undefined) return { lines, offset: 0 };
  const start = lines.indexOf(heading);
  if (start < 0) throw new Error(`no heading ${heading}`);
  const level = /^#+/.exec(heading)![0].length;
  // A `# …` line inside a code block is a shell comment, not a heading.
  let inCode = false;
  const end = lines.findIndex((text, index) => {
    if (/^```/.test(text)) inCode = !inCode;
    return index > start && !inCode && /^#+ /.test(text) && /^#+/.exec(text)![0].length <= level;
  });
  return { lines: lines.slice(start, end < 0 ? undefined : end), offset: start };
}

function startCommand(block: CodeBlock, file: string): Tour["server"] {
  const command = block.lines.filter((text) => text.trim() !== "" && !text.startsWith("#")).join("\n");
  if (command === "npm install && npm start") return { demo: true, port: 8080 };
  const serve = /^npx perkwise serve((?: --memory| --demo| --port \d+)*)$/.exec(command);
  if (!serve) {
    throw new Error(
      `${file}:${block.line}: a tour's first sh block starts its server; found ${JSON.stringify(command)}`,
    );
  }
  const port = /--port (\d+)/.exec(serve[1]);
  return { demo: serve[1].includes("--demo"), port: port ? Number(port[1]) : 8080 };
}

/** Reads a tour: the server it starts and its steps, with the base URL's port set to `port`. */
export function readTour(markdown: string, file: string, heading?: string): Tour {
  const region = tourRegion(markdown, heading);
  const blocks = codeBlocks(region.lines, region.offset).filter((block) => block.language === "sh");
  if (blocks.length < 2) throw new Error(`${file}: a tour has a start block and at least one more sh block`);
  const server = startCommand(blocks[0], file);
  const steps: TourStep[] = [];
  for (const block of blocks.slice(1)) {
    let commands: string[] = [];
    let answer: string[] | null = null;
    let answerLine = 0;
    const close = () => {
      if (answer !== null) {
        steps.push({
          where: `${file}:${answerLine}`,
          commands: commands.join("\n"),
          answer: answer.join("\n"),
        });
      } else if (commands.some((text) => text.trim() !== "" && !text.trimStart().startsWith("#"))) {
        steps.push({
          where: `${file}:${block.line + block.lines.length - 1}`,
          commands: commands.join("\n"),
          answer: null,
        });
      }
      commands = [];
      answer = null;
    };
    block.lines.forEach((text, index) => {
      const shown = /^# → (.*)$/.exec(text);
      if (shown) {
        if (answer !== null) close();
        answer = [shown[1]];
        answerLine = block.line + index;
      } else if (answer !== null && /^# {2,}\S/.test(text)) {
        answer.push(text.slice(1).trim());
      } else {
        if (answer !== null) close();
        commands.push(text);
      }
    });
    close();
  }
  const definitions = steps.flatMap((step) =>
    step.commands.split("\n").filter((text) => BASE_URL_LINE.test(text)),
  );
  if (definitions.length !== 1)
    throw new Error(`${file}: define PERKWISE=http://127.0.0.1:<port> exactly once`);
  const definedPort = Number(BASE_URL_LINE.exec(definitions[0])![1]);
  if (definedPort !== server.port) {
    throw new Error(
      `${file}: PERKWISE names port ${definedPort}, the start block's server listens on ${server.port}`,
    );
  }
  for (const step of steps) {
    const other = step.commands
      .split("\n")
      .find(
        (text) =>
          !BASE_URL_LINE.test(text) &&
          !text.trimStart().startsWith("#") &&
          /localhost|127\.0\.0\.1/.test(text),
      );
    if (other)
      throw new Error(`${step.where}: reach the server through $PERKWISE, not ${JSON.stringify(other)}`);
  }
  return { server, steps };
}

/** The tour's steps with the base URL pointing at `port`: the one change the test makes. */
export function atPort(steps: TourStep[], port: number): TourStep[] {
  return steps.map((step) => ({
    ...step,
    commands: step.commands.replace(
      /^PERKWISE=http:\/\/127\.0\.0\.1:\d+$/m,
      `PERKWISE=http://127.0.0.1:${port}`,
    ),
  }));
}
