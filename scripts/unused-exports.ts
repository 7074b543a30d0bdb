/**
 * Lists the exports of src/ that nothing uses: no module in src/, tests/, bench/ or scripts/
 * refers to them, barrels (index.ts re-exports) followed; what src/index.ts exports counts as
 * used. `npm run lint:unused` (issue 14: remove what nothing calls). Not part of `npm test`: it
 * type-checks the whole program (about 20 s) and a finding needs judgement, e.g. a type kept
 * because it documents a format.
 * Default exports are left out: Piscina and ABLATE_JOB_RUNNER load them by file name.
 * Exits 1 when it finds any.
 */
import { relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const config = ts.getParsedCommandLineOfConfigFile(resolve(root, 'tsconfig.test.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
if (!config) throw new Error('tsconfig.test.json could not be read');
const program = ts.createProgram(config.fileNames, config.options);
const checker = program.getTypeChecker();
const ours = program.getSourceFiles().filter((file) => !file.isDeclarationFile && !relative(root, file.fileName).startsWith('node_modules'));

const original = (symbol: ts.Symbol | undefined): ts.Symbol | undefined =>
  symbol && symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;

/** The symbols an identifier refers to, where it is a use (not a declaration or a re-export). */
function referenced(node: ts.Identifier): Array<ts.Symbol | undefined> {
  const parent = node.parent;
  if (ts.isImportSpecifier(parent) || ts.isExportSpecifier(parent) || ts.isImportClause(parent) || ts.isNamespaceImport(parent)) return [];
  const declares = (ts.isFunctionDeclaration(parent) || ts.isClassDeclaration(parent) || ts.isInterfaceDeclaration(parent) || ts.isTypeAliasDeclaration(parent) || ts.isEnumDeclaration(parent) || ts.isVariableDeclaration(parent)) && parent.name === node;
  if (declares) return [];
  // `{ cepstralPeak }` in an object literal uses the variable, not just the property.
  if (ts.isShorthandPropertyAssignment(parent)) return [checker.getShorthandAssignmentValueSymbol(parent)];
  // `const { runJob } = await import('./jobs/index.js')` uses the module's export.
  if (ts.isBindingElement(parent) && ts.isObjectBindingPattern(parent.parent)) {
    const name = (parent.propertyName ?? parent.name) as ts.Identifier;
    return [checker.getTypeAtLocation(parent.parent).getProperty(name.text)];
  }
  return [checker.getSymbolAtLocation(node)];
}

const usedIn = new Map<ts.Symbol, Set<string>>();
for (const file of ours) {
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node)) {
      for (const symbol of referenced(node).map(original)) {
        if (!symbol) continue;
        const files = usedIn.get(symbol) ?? new Set<string>();
        files.add(file.fileName);
        usedIn.set(symbol, files);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
}

// The public API (src/index.ts) is used by the notebooks and by whoever installs the package.
const api = program.getSourceFile(resolve(root, 'src', 'index.ts'));
const apiModule = api && checker.getSymbolAtLocation(api);
for (const exported of apiModule ? checker.getExportsOfModule(apiModule) : []) {
  const symbol = original(exported);
  if (symbol) usedIn.set(symbol, new Set([...(usedIn.get(symbol) ?? []), 'src/index.ts']));
}

const unused: string[] = [];
for (const file of ours) {
  const name = relative(root, file.fileName);
  if (!name.startsWith('src/')) continue;
  const module = checker.getSymbolAtLocation(file);
  if (!module) continue;
  for (const exported of checker.getExportsOfModule(module)) {
    if (exported.name === 'default') continue;
    const symbol = original(exported);
    const declaration = symbol?.declarations?.[0];
    // Reported where it is declared, not at each barrel.
    if (!symbol || !declaration || declaration.getSourceFile() !== file) continue;
    if (!usedIn.has(symbol)) unused.push(`${name}:${file.getLineAndCharacterOfPosition(declaration.getStart()).line + 1}  ${exported.name}`);
  }
}
console.log(unused.length === 0 ? 'no unused exports' : `${unused.length} exports nothing uses:\n${unused.sort().join('\n')}`);
process.exitCode = unused.length === 0 ? 0 : 1;
