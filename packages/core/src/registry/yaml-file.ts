import { readFile } from 'node:fs/promises';
import { isAbsolute, relative, sep } from 'node:path';
import { type Document, isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseAllDocuments } from 'yaml';
import type { Diagnostic, SourcePosition } from './diagnostics.js';

/** A parsed registry file, kept so any field of its entry can be traced back to a line and column. */
export interface YamlFile {
  /** Absolute path. */
  path: string;
  /** As diagnostics show it. */
  file: string;
  doc: Document.Parsed;
  lines: LineCounter;
  /** The document as plain data; `{}` for an empty file. */
  value: unknown;
}

export type FieldPath = readonly (string | number)[];

/** Where `path` sits relative to the project root, with `/`; absolute when outside the root. */
export function displayPath(root: string, path: string): string {
  const rel = relative(root, path);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return path;
  return rel.split(sep).join('/');
}

function at(file: Pick<YamlFile, 'file' | 'lines'>, offset: number): SourcePosition {
  const { line, col } = file.lines.linePos(offset);
  return { file: file.file, line, column: col };
}

/** Reads and parses one registry file; YAML problems come back as diagnostics, never thrown. */
export async function readYamlFile(path: string, root: string): Promise<{ file?: YamlFile; diagnostics: Diagnostic[] }> {
  const display = displayPath(root, path);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const message = `cannot read ${display}: ${(error as Error).message}`;
    return { diagnostics: [{ severity: 'error', code: 'VHB_E_REGISTRY_READ', file: display, line: 0, column: 0, field: '', message }] };
  }
  return parseYamlText(text, path, root);
}

export function parseYamlText(text: string, path: string, root: string): { file?: YamlFile; diagnostics: Diagnostic[] } {
  const display = displayPath(root, path);
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lines, prettyErrors: true });
  const diagnostics: Diagnostic[] = [];
  const base = { file: display, field: '' };
  for (const doc of docs) {
    for (const problem of [...doc.errors, ...doc.warnings]) {
      const pos = problem.linePos?.[0] ?? { line: 0, col: 0 };
      diagnostics.push({
        ...base,
        severity: problem.name === 'YAMLWarning' ? 'warning' : 'error',
        code: 'VHB_E_REGISTRY_YAML',
        line: pos.line,
        column: pos.col,
        message: `invalid YAML: ${problem.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '')}`,
        hint: 'fix the YAML syntax at that position (indentation, quotes, a missing ":")',
      });
    }
  }
  if (docs.length > 1) {
    const second = docs[1] as Document.Parsed;
    diagnostics.push({
      ...base,
      ...at({ file: display, lines }, second.range[0]),
      severity: 'error',
      code: 'VHB_E_REGISTRY_MULTI_DOC',
      message: `${display} holds ${docs.length} YAML documents; a registry file holds one entry`,
      hint: 'move each entry after a "---" into its own file',
    });
  }
  if (diagnostics.some((d) => d.severity === 'error')) return { diagnostics };
  const doc = docs[0] as Document.Parsed | undefined;
  if (!doc) {
    // An empty file is an empty entry: the schema then says which fields it lacks.
    const empty = parseAllDocuments('{}', { lineCounter: new LineCounter() })[0] as Document.Parsed;
    return { file: { path, file: display, doc: empty, lines, value: {} }, diagnostics };
  }
  return { file: { path, file: display, doc, lines, value: doc.toJS() ?? {} }, diagnostics };
}

/** The node at `path` (and the key node of its pair), walking maps by key and sequences by index. */
function walk(doc: Document.Parsed, path: FieldPath): { depth: number; node: Node | null; key: Node | null } {
  let node = doc.contents as Node | null;
  let key: Node | null = null;
  let depth = 0;
  for (const segment of path) {
    let next: { node: Node | null; key: Node | null } | undefined;
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment));
      if (pair) next = { node: pair.value as Node | null, key: pair.key as Node };
    } else if (isSeq(node)) {
      const item = node.items[Number(segment)];
      if (typeof segment === 'number' || /^\d+$/.test(segment)) next = item === undefined ? undefined : { node: item as Node, key: null };
    }
    if (!next) break;
    node = next.node;
    key = next.key;
    depth += 1;
  }
  return { depth, node, key };
}

/** How deep `path` resolves in the file, and the position of what it reaches (the key, when asked). */
export function positionIn(file: YamlFile, path: FieldPath, preferKey = false): { depth: number; position: SourcePosition } {
  const found = walk(file.doc, path);
  const target = (preferKey && found.key) || found.node || found.key;
  const offset = target?.range?.[0] ?? file.doc.contents?.range?.[0] ?? 0;
  return { depth: found.depth, position: at(file, offset) };
}
