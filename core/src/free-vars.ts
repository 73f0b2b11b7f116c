/**
 * Finds the variables a function's source text uses from its surroundings, so a lambda
 * that cannot run on a worker is refused when it is declared, not when a worker runs it.
 */
import { parse } from 'acorn';
import { analyze } from 'periscopic';
import { FunctionResolveError } from './errors.js';

// Names that exist on every worker: the language's globals and Node's.
const ALWAYS_GLOBAL = new Set(['undefined', 'NaN', 'Infinity', 'arguments', 'globalThis']);

function isGlobalName(name: string): boolean {
  return ALWAYS_GLOBAL.has(name) || name in globalThis;
}

/** Checks that `source` parses as one function expression; returns the free names. */
export function freeVariables(source: string): string[] {
  let ast: any;
  try {
    ast = parse(`(${source})`, { ecmaVersion: 'latest', sourceType: 'script' });
  } catch (e) {
    throw new FunctionResolveError(
      `Cannot send this function to workers as source: \`${source.slice(0, 80)}\` does not ` +
        'parse as a function expression (method shorthand and native or bound functions ' +
        'cannot be shipped). Use an arrow function, or export it from a module and use ' +
        'tasks(import.meta.url, { fn }).',
      { cause: e },
    );
  }
  const expr = ast.body[0]?.expression;
  const kind = expr?.type;
  if (kind !== 'ArrowFunctionExpression' && kind !== 'FunctionExpression') {
    throw new FunctionResolveError(`Expected a function, got \`${source.slice(0, 80)}\`.`);
  }
  const { globals } = analyze(ast);
  // Report names in the order they appear in the source.
  return [...globals.entries()]
    .filter(([n]) => !isGlobalName(n))
    .sort((a, b) => ((a[1] as any).start ?? 0) - ((b[1] as any).start ?? 0))
    .map(([n]) => n);
}
