import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

// The one-way arrows between domain modules (README "Layout"): a module may use another's values
// (classes, functions), but never both ways; the way back goes through an interface declared in
// src/modules/shared/module-deps.ts and implemented by the other module, or through a type only.
const modulesDir = resolve(__dirname, '../../../src/modules');

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** The relative imports of a file that bring values at run time (not `import type`, not all-`type` names). */
function valueImports(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
  const targets: string[] = [];
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) && !ts.isExportDeclaration(statement)) continue;
    const specifier = statement.moduleSpecifier;
    if (!specifier || !ts.isStringLiteral(specifier) || !specifier.text.startsWith('.')) continue;
    if (ts.isImportDeclaration(statement)) {
      const clause = statement.importClause;
      if (clause?.isTypeOnly) continue;
      const named = clause?.namedBindings;
      if (clause && !clause.name && named && ts.isNamedImports(named) && named.elements.every((element) => element.isTypeOnly)) continue;
    } else if (statement.isTypeOnly) continue;
    targets.push(resolve(dirname(file), specifier.text));
  }
  return targets;
}

/** Which module a path belongs to ('shared' and the files beside the modules are no module). */
function moduleOf(path: string): string | null {
  const parts = relative(modulesDir, path).split(sep);
  return parts.length > 1 && parts[0] !== '..' && parts[0] !== 'shared' ? parts[0] : null;
}

function moduleEdges(): Map<string, Set<string>> {
  const edges = new Map<string, Set<string>>();
  for (const file of filesUnder(modulesDir)) {
    const from = moduleOf(file);
    if (!from) continue;
    for (const target of valueImports(file)) {
      const to = moduleOf(target);
      if (to && to !== from) edges.set(from, (edges.get(from) ?? new Set()).add(to));
    }
  }
  return edges;
}

describe('module arrows', () => {
  it('reads the imports of the modules (the check has something to check)', () => {
    const edges = moduleEdges();
    expect(edges.get('sync')).toContain('connections');
    expect(edges.get('appointments')).toContain('resources');
  });

  it('has no two modules that use values of each other', () => {
    const edges = moduleEdges();
    const twoWay = [...edges].flatMap(([from, tos]) => [...tos].filter((to) => from < to && edges.get(to)?.has(from)).map((to) => `${from} <-> ${to}`));
    expect(twoWay).toEqual([]);
  });
});
