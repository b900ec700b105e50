/**
 * @fileoverview Is this identifier a read or write of a variable (not a property name, a
 * declaration, a label or a type)?
 */
import type { AstPath } from './types.js';

export function isValueReference(path: AstPath): boolean {
  const parent = path.parent?.node;
  const name = path.name;
  if (!parent) return false;
  switch (parent.type) {
    case 'MemberExpression':
    case 'OptionalMemberExpression':
      return name !== 'property' || parent.computed;
    case 'ObjectProperty':
    case 'Property':
      if (name === 'key') return parent.computed;
      // `{ x }` in an object literal reads x; in a pattern it is a target.
      return path.parent.parent?.node.type === 'ObjectPattern' ? isAssignmentTarget(path) : true;
    case 'ClassProperty':
    case 'ClassPrivateProperty':
    case 'PropertyDefinition':
    case 'ClassMethod':
    case 'ObjectMethod':
    case 'MethodDefinition':
    case 'TSPropertySignature':
    case 'TSMethodSignature':
      return name !== 'key' || parent.computed;
    case 'VariableDeclarator':
      return name === 'init';
    case 'FunctionDeclaration':
    case 'FunctionExpression':
    case 'ArrowFunctionExpression':
    case 'ClassDeclaration':
    case 'ClassExpression':
      return name === 'body';
    case 'ImportSpecifier':
    case 'ImportDefaultSpecifier':
    case 'ImportNamespaceSpecifier':
    case 'LabeledStatement':
    case 'BreakStatement':
    case 'ContinueStatement':
    case 'CatchClause':
    case 'ExportSpecifier':
      return parent.type === 'ExportSpecifier' && name === 'local';
    case 'ArrayPattern':
    case 'RestElement':
      return isAssignmentTarget(path);
    case 'AssignmentPattern':
      return name === 'right' || isAssignmentTarget(path);
    default:
      return (
        !parent.type.startsWith('TS') || parent.type === 'TSAsExpression' || parent.type === 'TSNonNullExpression' || parent.type === 'TSSatisfiesExpression'
      );
  }
}

/**
 * Inside a destructuring pattern: an assignment target (`({ x } = y)`, `[a, ...b] = c`) writes
 * a variable; a declaration or parameter pattern declares one.
 */
function isAssignmentTarget(path: AstPath): boolean {
  const PATTERN = ['ObjectPattern', 'ArrayPattern', 'ObjectProperty', 'Property', 'RestElement', 'AssignmentPattern'];
  let p = path;
  while (p.parent && PATTERN.includes(p.parent.node.type)) {
    if (p.parent.node.type === 'AssignmentPattern' && p.name === 'right') return true;
    p = p.parent;
  }
  const holder = p.parent?.node;
  if (!holder) return false;
  if (holder.type === 'AssignmentExpression' && p.name === 'left') return true;
  if ((holder.type === 'ForOfStatement' || holder.type === 'ForInStatement') && p.name === 'left') return true;
  return false;
}
