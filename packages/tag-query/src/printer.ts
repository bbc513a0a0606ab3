/**
 * The printer: a syntax tree to canonical text. Keywords in upper case,
 * one space around operators, `tag:KEY=VALUE` without spaces, values bare
 * when they lex as one word and quoted otherwise, and parentheses exactly
 * where the tree needs them, so `parse(print(ast))` equals `ast` (ignoring
 * locations) for every tree the parser can produce.
 */

import type { QueryNode, ValueNode } from './ast.ts';
import { unreachable } from '@rollcall/fleet';
import { isWordCharacter } from './lexer.ts';

/** The canonical text of `node`. */
export function print(node: QueryNode): string {
  switch (node.kind) {
    case 'And':
      return node.operands
        .map((operand) => printOperand(operand, 'And'))
        .join(' AND ');
    case 'Or':
      return node.operands
        .map((operand) => printOperand(operand, 'Or'))
        .join(' OR ');
    case 'Not':
      return `NOT ${printOperand(node.operand, 'Not')}`;
    case 'Tag': {
      const star = node.isPrefix ? '*' : '';
      const value = node.value === null ? '' : `=${node.value}`;
      return `tag:${node.name}${value}${star}`;
    }
    case 'Status':
      return `status:${printText(node.state)}`;
    case 'Tier':
      return `tier:${printText(node.tier)}`;
    case 'Group':
      return `group:${printText(node.name)}`;
    case 'Comparison':
      return `${node.field} ${node.operator} ${printValue(node.value)}`;
    case 'In':
      return `${node.subject} IN (${node.values.map(printValue).join(', ')})`;
    default:
      return unreachable(node);
  }
}

/**
 * An operand inside `parent`: parenthesised when it binds more loosely
 * than the parent, and when it is a list of the parent's own kind (the
 * parser keeps `(a AND b) AND c` as written, so the printer must too).
 */
function printOperand(
  operand: QueryNode,
  parent: 'And' | 'Or' | 'Not',
): string {
  const text = print(operand);
  const isList = operand.kind === 'And' || operand.kind === 'Or';
  const needsParentheses =
    isList &&
    (parent === 'Not' ||
      operand.kind === parent ||
      (parent === 'And' && operand.kind === 'Or'));
  return needsParentheses ? `(${text})` : text;
}

function printValue(value: ValueNode): string {
  return printText(value.text);
}

/** `text` bare when it lexes as one word, else as a quoted string. */
export function printText(text: string): string {
  const isWord = text.length > 0 && text.split('').every(isWordCharacter);
  if (isWord) return text;

  return `"${text.replace(/["\\]/g, (char) => `\\${char}`)}"`;
}
