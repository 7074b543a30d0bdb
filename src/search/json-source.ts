import jsonSourceMap from 'json-source-map';

/** A parsed JSON document that remembers where each value was, for error messages. */
export interface JsonSource {
  file: string;
  data: unknown;
  /** 1-based line of the value (or key) at a JSON pointer, when known. */
  lineOf(pointer: string): number | undefined;
}

export class JsonSyntaxError extends Error {
  constructor(
    readonly line: number,
    readonly column: number,
    detail: string,
  ) {
    super(detail);
  }
}

/** Parse JSON keeping positions; syntax errors carry 1-based line and column. */
export function parseJsonWithPositions(file: string, text: string): JsonSource {
  let parsed: { data: unknown; pointers: Record<string, { key?: { line: number }; value: { line: number } }> };
  try {
    parsed = jsonSourceMap.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const position = /position (\d+)/.exec(message);
    const offset = position ? Number(position[1]) : text.length;
    const { line, column } = lineAndColumn(text, offset);
    throw new JsonSyntaxError(line, column, message.replace(/ in JSON at position \d+/, ''));
  }
  return {
    file,
    data: parsed.data,
    lineOf(pointer: string) {
      const entry = parsed.pointers[pointer];
      if (!entry) return undefined;
      return (entry.key ?? entry.value).line + 1;
    },
  };
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lines = before.split('\n');
  return { line: lines.length, column: (lines.at(-1)?.length ?? 0) + 1 };
}

/** JSON pointer (RFC 6901) from path segments. */
export function toPointer(segments: Array<string | number>): string {
  return segments.map((s) => '/' + String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

/** Readable path like `grid["gate.type"][1]` or `base.gate.type` from a JSON pointer. */
export function readablePath(pointer: string): string {
  if (pointer === '') return '(top level)';
  const segments = pointer.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  let out = '';
  for (const segment of segments) {
    if (/^\d+$/.test(segment)) out += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(segment)) out += out ? `.${segment}` : segment;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}
