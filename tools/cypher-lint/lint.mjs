// Lint Cypher files with Neo4j's own language support, as Cypher 5.
//
//   node tools/cypher-lint/lint.mjs cypher/*.cypher cypher/*/*.cypher
//
// Prints one line per problem (FILE:LINE:COL: error|warning: message) and exits 1 when there
// is any: syntax errors, undefined variables, removed syntax (exists(n.prop)), deprecations.
// Parameters must be declared in the file's header, as kg's query files do:
//   // @param name string  ...      (read queries, see kg/query.py)
//   // $rows: [{...}]                (batched writes)
// so a query using an undeclared $parameter is reported too.
import { readFileSync } from 'node:fs';
import { lintCypherQuery } from '@neo4j-cypher/language-support';

const SEVERITY = { 1: 'error', 2: 'warning', 3: 'info', 4: 'hint' };

function declaredParameters(text) {
  const parameters = {};
  for (const line of text.split('\n')) {
    const param = line.match(/^\/\/\s*@param\s+(\w+)/);
    const rows = line.match(/^\/\/\s*\$(\w+)\s*:/);
    const name = (param ?? rows)?.[1];
    if (name) parameters[name] = null;
  }
  return parameters;
}

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: node lint.mjs FILE.cypher...');
  process.exit(2);
}
let problems = 0;
for (const path of files) {
  const text = readFileSync(path, 'utf8');
  const { diagnostics } = lintCypherQuery(text, {
    defaultLanguage: 'CYPHER 5',
    parameters: declaredParameters(text),
  });
  for (const d of diagnostics) {
    problems += 1;
    const { line, character } = d.range.start;
    const message = d.message.replace(/\s+/g, ' ');
    console.log(`${path}:${line + 1}:${character + 1}: ${SEVERITY[d.severity] ?? 'error'}: ${message}`);
  }
}
console.error(`Linted ${files.length} Cypher file(s) as CYPHER 5: ${problems} problem(s).`);
process.exit(problems ? 1 : 0);
