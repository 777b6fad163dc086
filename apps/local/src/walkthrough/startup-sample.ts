/**
 * The README's sample `npm start` output (the block that begins `$ npm start`), compared with a
 * real start's: the same steps in the same order saying the same things, times, ports, folders
 * and whether the synth was cached aside.
 */

export function readmeStartupSample(markdown: string): string[] {
  const lines = markdown.split('\n');
  const start = lines.findIndex((line) => /^\$ npm start\b/.test(line));
  if (start < 0) throw new Error('the README has no "$ npm start" sample');
  const end = lines.findIndex((line, i) => i > start && line.trim() === '```');
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

/**
 * Steps that run at once (the sandboxes, DynamoDB Local, the synth) finish in either order: the
 * comparison is of the steps sorted by name, the ready lines last.
 */
export function comparableStartup(lines: readonly string[]): string[] {
  const normalized = lines.map(normalizeStartupLine);
  const ready = normalized.filter((line) => /^\[<t>\] ready |^orderflow ready/.test(line));
  const steps = normalized.filter((line) => !ready.includes(line)).sort((a, b) => a.localeCompare(b));
  return [...steps, ...ready];
}

/** The lines of a start's stdout that the sample shows: the steps and the ready line. */
export function startupLines(stdout: string): string[] {
  return stdout.split('\n').filter((line) => /^\[\s*\d+(\.\d+)?s\s*\]/.test(line) || /^orderflow ready on /.test(line));
}

export function normalizeStartupLine(line: string): string {
  return line
    .replace(/^\[\s*\d+(\.\d+)?s\s*\]/, '[<t>]')
    .replace(/\(\d+(\.\d+)?m?s\)/g, '(<t>)')
    .replace(/in \d+(\.\d+)?s\b/g, 'in <t>')
    .replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:<port>')
    .replace(/localhost:\d+/g, 'localhost:<port>')
    .replace(/port \d+/g, 'port <port>')
    .replace(/\((cached: [^)]*|cdk synth[^)]*|built with [^)]*)\)/g, '(<synth>)')
    .replace(/(kept in|data in|key and users|ledgers in) [^;)]*/g, '$1 <dir>')
    .replace(/process \d+/g, 'process <pid>')
    .replace(/\d+(\.\d+)? (KiB|MiB|kB|B) of/g, '<size> of')
    .replace(/\s+/g, ' ')
    .trim();
}
