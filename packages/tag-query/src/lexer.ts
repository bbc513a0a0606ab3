/**
 * The lexer: query text to tokens, one pass, linear in the text length.
 *
 * A word is a maximal run of characters that are not white space, not
 * control characters and not one of `( ) , : = ! < > " \`. A string is
 * `"..."` in which a backslash escapes `"` or `\` and nothing else.
 */

import type { Location } from './ast.ts';
import { TagQueryError, quote } from './errors.ts';

/** The kinds of token. */
export const TokenKind = {
  EOF: '<EOF>',
  PAREN_L: '(',
  PAREN_R: ')',
  COMMA: ',',
  COLON: ':',
  EQUALS: '=',
  NOT_EQUALS: '!=',
  LESS: '<',
  LESS_EQUAL: '<=',
  GREATER: '>',
  GREATER_EQUAL: '>=',
  WORD: 'Word',
  STRING: 'String',
} as const;

export type TokenKind = (typeof TokenKind)[keyof typeof TokenKind];

/** A token with its location; `value` is the text of words and strings. */
export interface Token extends Location {
  kind: TokenKind;
  value: string;
}

const PUNCTUATORS: Readonly<Record<string, TokenKind>> = {
  '(': TokenKind.PAREN_L,
  ')': TokenKind.PAREN_R,
  ',': TokenKind.COMMA,
  ':': TokenKind.COLON,
  '=': TokenKind.EQUALS,
  '<': TokenKind.LESS,
  '>': TokenKind.GREATER,
};

const RESERVED = new Set(['(', ')', ',', ':', '=', '!', '<', '>', '"', '\\']);

function isWhiteSpace(char: string): boolean {
  return /^\s$/.test(char);
}

function isControl(char: string): boolean {
  const code = char.charCodeAt(0);
  return code < 0x20 || (code >= 0x7f && code < 0xa0);
}

/** True when `char` (one UTF-16 code unit) may appear in a word. */
export function isWordCharacter(char: string): boolean {
  return !RESERVED.has(char) && !isWhiteSpace(char) && !isControl(char);
}

/**
 * Reads tokens from `text` on demand. `lookahead()` peeks one token ahead
 * without consuming it; `advance()` consumes and returns the next one.
 */
export class Lexer {
  private readonly text: string;
  private position = 0;
  private line = 1;
  private lineStart = 0;
  private peeked: Token | null = null;

  constructor(text: string) {
    this.text = text;
  }

  /** The next token, consumed. */
  advance(): Token {
    const token = this.lookahead();
    this.peeked = null;
    return token;
  }

  /** The next token, not consumed. */
  lookahead(): Token {
    this.peeked ??= this.readToken();
    return this.peeked;
  }

  private readToken(): Token {
    this.skipWhiteSpace();
    const start = this.position;
    const char = this.text[start];
    if (char === undefined) return this.token(TokenKind.EOF, start, start, '');

    const next = this.text[start + 1];
    if (char === '!' && next === '=') {
      return this.token(TokenKind.NOT_EQUALS, start, start + 2, '');
    }

    if ((char === '<' || char === '>') && next === '=') {
      const kind =
        char === '<' ? TokenKind.LESS_EQUAL : TokenKind.GREATER_EQUAL;
      return this.token(kind, start, start + 2, '');
    }

    const punctuator = PUNCTUATORS[char];
    if (punctuator !== undefined) {
      return this.token(punctuator, start, start + 1, '');
    }

    if (char === '"') return this.readString(start);

    if (isWordCharacter(char)) return this.readWord(start);

    throw this.error(
      `Unexpected character ${describeCharacter(char)}.`,
      start,
      1,
      char === '!' ? ['!='] : [],
    );
  }

  private skipWhiteSpace(): void {
    const { text } = this;
    while (this.position < text.length) {
      const char = text[this.position] ?? '';
      if (!isWhiteSpace(char)) return;

      this.position += 1;
      const isCrLf = char === '\r' && text[this.position] === '\n';
      if (char === '\n' || (char === '\r' && !isCrLf)) {
        this.line += 1;
        this.lineStart = this.position;
      }
    }
  }

  private readWord(start: number): Token {
    let end = start + 1;
    while (end < this.text.length && isWordCharacter(this.text[end] ?? '')) {
      end += 1;
    }
    return this.token(TokenKind.WORD, start, end, this.text.slice(start, end));
  }

  // String = '"' { StringCharacter | '\"' | '\\' } '"'
  private readString(start: number): Token {
    const { text } = this;
    let value = '';
    let chunkStart = start + 1;
    let position = start + 1;

    while (position < text.length) {
      const char = text[position] ?? '';
      if (char === '"') {
        value += text.slice(chunkStart, position);
        return this.token(TokenKind.STRING, start, position + 1, value);
      }

      if (char === '\n' || char === '\r') break;

      if (isControl(char)) {
        throw this.error(
          `Invalid character ${describeCharacter(char)} in string.`,
          position,
          1,
        );
      }

      if (char === '\\') {
        const escaped = text[position + 1];
        if (escaped !== '"' && escaped !== '\\') {
          throw this.error(
            'Invalid escape: a backslash escapes only " and \\.',
            position,
            escaped === undefined ? 1 : 2,
            ['\\"', '\\\\'],
          );
        }
        value += text.slice(chunkStart, position) + escaped;
        position += 2;
        chunkStart = position;
        continue;
      }

      position += 1;
    }

    throw this.error('Unterminated string.', start, position - start, ['"']);
  }

  private token(
    kind: TokenKind,
    start: number,
    end: number,
    value: string,
  ): Token {
    this.position = end;
    const column = start - this.lineStart + 1;
    return { kind, value, start, end, line: this.line, column };
  }

  private error(
    message: string,
    offset: number,
    length: number,
    expected: string[] = [],
  ): TagQueryError {
    const position = {
      offset,
      line: this.line,
      column: offset - this.lineStart + 1,
      length,
    };
    return new TagQueryError('QUERY_SYNTAX_ERROR', message, position, {
      expected,
    });
  }
}

function describeCharacter(char: string): string {
  const code = char.charCodeAt(0);
  if (isControl(char) || isWhiteSpace(char)) {
    return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return quote(char);
}

/** How a token reads in an error message. */
export function describeToken(token: Token): string {
  switch (token.kind) {
    case TokenKind.EOF:
      return 'end of query';
    case TokenKind.WORD:
      return quote(token.value);
    case TokenKind.STRING:
      return `string ${quote(token.value)}`;
    default:
      return quote(token.kind);
  }
}

/** The 1-based line and column of `offset` in `text`, as the lexer counts. */
export function lineAndColumn(
  text: string,
  offset: number,
): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i += 1) {
    const char = text[i];
    if (char === '\n' || (char === '\r' && text[i + 1] !== '\n')) {
      line += 1;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}
