/**
 * The parser: recursive descent over the tokens of `lexer.ts`, one token of
 * lookahead, no backtracking, so linear in the text. It recurses only into
 * parentheses, counted against `maxDepth`; runs of `NOT` are read in a loop.
 * Each function carries the grammar rule it parses (see GRAMMAR.md).
 */

import type {
  ComparisonOperator,
  Location,
  QueryNode,
  TagNode,
  ValueNode,
} from './ast.ts';
import type { TagQueryError } from './errors.ts';
import { quote } from './errors.ts';
import type { Token } from './lexer.ts';
import { Lexer, TokenKind } from './lexer.ts';
import type { QueryLimits } from './limits.ts';
import { resolveLimits } from './limits.ts';
import { join, located, span } from './location.ts';
import { asciiLowercase } from './normalize.ts';
import {
  EXPRESSION_START,
  blankQuery,
  checkTag,
  listWords,
  loneSurrogate,
  tooDeep,
  tooLong,
  tooManyTerms,
  unexpectedToken,
  unknownPrefix,
} from './parserErrors.ts';

const OPERATORS: ReadonlyMap<string, ComparisonOperator> = new Map([
  [TokenKind.EQUALS, '='],
  [TokenKind.NOT_EQUALS, '!='],
  [TokenKind.LESS, '<'],
  [TokenKind.LESS_EQUAL, '<='],
  [TokenKind.GREATER, '>'],
  [TokenKind.GREATER_EQUAL, '>='],
]);

const PREFIXES = ['tag', 'status', 'tier', 'group'];

/**
 * Parses a query into its syntax tree.
 *
 * Syntax is all it checks, plus the tag charset (tags are normalised here,
 * so the tree holds canonical tags); unknown fields, states, tiers and
 * groups are `validate`'s business.
 *
 * @throws TagQueryError `QUERY_SYNTAX_ERROR` for text outside the grammar
 *   (including empty or blank text, at offset 0), `QUERY_VALIDATION_ERROR`
 *   for an invalid tag, `QUERY_TOO_COMPLEX` past a limit.
 */
export function parse(text: string, limits?: Partial<QueryLimits>): QueryNode {
  return new Parser(text, resolveLimits(limits)).parseQuery();
}

class Parser {
  private readonly lexer: Lexer;
  private depth = 0;
  private terms = 0;

  constructor(
    private readonly text: string,
    private readonly limits: QueryLimits,
  ) {
    this.lexer = new Lexer(text);
  }

  // Query = OrExpression <EOF>
  parseQuery(): QueryNode {
    if (this.text.length > this.limits.maxLength) {
      throw tooLong(this.text, this.limits.maxLength);
    }

    const surrogate = /\p{Cs}/u.exec(this.text);
    if (surrogate) throw loneSurrogate(this.text, surrogate.index);

    if (/^\s*$/.test(this.text)) throw blankQuery();

    const node = this.parseOr();
    this.expect(TokenKind.EOF, ['AND', 'OR', 'end of query']);
    return node;
  }

  // OrExpression = AndExpression { "OR" AndExpression }
  private parseOr(): QueryNode {
    const first = this.parseAnd();
    const operands = [first];
    while (this.peekKeyword('or')) {
      this.lexer.advance();
      operands.push(this.parseAnd());
    }
    if (operands.length === 1) return first;

    return { kind: 'Or', operands, loc: span(operands) };
  }

  // AndExpression = UnaryExpression { "AND" UnaryExpression }
  private parseAnd(): QueryNode {
    const first = this.parseUnary();
    const operands = [first];
    while (this.peekKeyword('and')) {
      this.lexer.advance();
      operands.push(this.parseUnary());
    }
    if (operands.length === 1) return first;

    return { kind: 'And', operands, loc: span(operands) };
  }

  // UnaryExpression = { "NOT" } Primary
  private parseUnary(): QueryNode {
    const nots: Token[] = [];
    while (this.peekKeyword('not')) {
      const token = this.lexer.advance();
      this.enter(token);
      nots.push(token);
    }

    let node = this.parsePrimary();
    for (let i = nots.length - 1; i >= 0; i -= 1) {
      const token = nots[i] as Token;
      node = { kind: 'Not', operand: node, loc: join(token, node.loc) };
    }
    this.depth -= nots.length;
    return node;
  }

  // Primary = "(" OrExpression ")" | Term
  private parsePrimary(): QueryNode {
    const token = this.lexer.lookahead();
    if (token.kind !== TokenKind.PAREN_L) return this.parseTerm();

    this.lexer.advance();
    this.enter(token);
    const node = this.parseOr();
    this.expect(TokenKind.PAREN_R, ['AND', 'OR', ')']);
    this.depth -= 1;
    return node;
  }

  // Term = PrefixTerm | ListTerm | Comparison
  private parseTerm(): QueryNode {
    const token = this.lexer.lookahead();
    const isKeyword = ['and', 'or', 'in'].some((k) => this.peekKeyword(k));
    if (token.kind !== TokenKind.WORD || isKeyword) {
      throw this.unexpected(token, EXPRESSION_START, 'an expression');
    }

    this.lexer.advance();
    const next = this.lexer.lookahead();
    const name = asciiLowercase(token.value);
    if (next.kind === TokenKind.COLON) return this.parsePrefixTerm(token);

    if (this.peekKeyword('in')) return this.parseList(token, name);

    const operator = OPERATORS.get(next.kind);
    if (operator !== undefined) {
      return this.parseComparison(token, name, operator);
    }

    throw this.unexpected(
      next,
      [':', 'IN', ...OPERATORS.values()],
      `":", "IN" or an operator after ${quote(token.value)}`,
      [`tag:${token.value}`],
    );
  }

  // PrefixTerm = TagTerm | "status" ":" Value | "tier" ":" Value
  //            | "group" ":" Value
  private parsePrefixTerm(prefixToken: Token): QueryNode {
    const prefix = asciiLowercase(prefixToken.value);
    if (!PREFIXES.includes(prefix)) {
      throw unknownPrefix(prefixToken, PREFIXES);
    }

    this.lexer.advance();
    this.countTerm(prefixToken);
    if (prefix === 'tag') return this.parseTag(prefixToken);

    const value = this.parseValue();
    const loc = join(prefixToken, value.loc);
    const valueLoc = value.loc;
    if (prefix === 'status') {
      const state = asciiLowercase(value.text);
      return { kind: 'Status', state, loc, valueLoc };
    }
    if (prefix === 'tier') {
      const tier = asciiLowercase(value.text);
      return { kind: 'Tier', tier, loc, valueLoc };
    }
    return { kind: 'Group', name: value.text, loc, valueLoc };
  }

  // TagTerm = "tag" ":" TagPart [ "=" TagPart ]
  // TagPart = Word [ "*" ] | String     (the "*" only on the last part)
  private parseTag(prefixToken: Token): TagNode {
    const nameToken = this.expectValueToken('a tag');
    let valueToken: Token | null = null;
    if (this.lexer.lookahead().kind === TokenKind.EQUALS) {
      this.lexer.advance();
      valueToken = this.expectValueToken('a tag value');
    }

    const lastToken = valueToken ?? nameToken;
    const isPrefix =
      lastToken.kind === TokenKind.WORD && lastToken.value.endsWith('*');
    const name = checkTag(nameToken, isPrefix && valueToken === null);
    const value = valueToken === null ? null : checkTag(valueToken, isPrefix);
    return {
      kind: 'Tag',
      name,
      value,
      isPrefix,
      loc: join(prefixToken, lastToken),
    };
  }

  // ListTerm = Subject "IN" "(" [ Value { "," Value } ] ")"
  private parseList(subjectToken: Token, subject: string): QueryNode {
    this.lexer.advance();
    this.countTerm(subjectToken);
    this.expect(TokenKind.PAREN_L, ['(']);
    const values: ValueNode[] = [];
    let closing = this.lexer.lookahead();
    if (closing.kind !== TokenKind.PAREN_R) {
      for (;;) {
        const value = this.parseValue();
        if (values.length > 0) this.countTerm(value.loc);
        values.push(value);
        if (this.lexer.lookahead().kind !== TokenKind.COMMA) break;
        this.lexer.advance();
      }
      closing = this.lexer.lookahead();
    }
    this.expect(TokenKind.PAREN_R, values.length > 0 ? [',', ')'] : []);
    return {
      kind: 'In',
      subject,
      values,
      loc: join(subjectToken, closing),
      subjectLoc: located(subjectToken),
    };
  }

  // Comparison = FieldPath Operator Value
  private parseComparison(
    fieldToken: Token,
    field: string,
    operator: ComparisonOperator,
  ): QueryNode {
    this.countTerm(fieldToken);
    const operatorToken = this.lexer.advance();
    const value = this.parseValue();
    return {
      kind: 'Comparison',
      field,
      operator,
      value,
      loc: join(fieldToken, value.loc),
      fieldLoc: located(fieldToken),
      operatorLoc: located(operatorToken),
    };
  }

  // Value = Word | String
  private parseValue(): ValueNode {
    const token = this.expectValueToken('a value');
    return { kind: 'Value', text: token.value, loc: located(token) };
  }

  private expectValueToken(what: string): Token {
    const token = this.lexer.lookahead();
    if (token.kind !== TokenKind.WORD && token.kind !== TokenKind.STRING) {
      throw this.unexpected(token, ['word', 'string'], what);
    }
    return this.lexer.advance();
  }

  private expect(kind: TokenKind, expected: string[]): Token {
    const token = this.lexer.lookahead();
    if (token.kind !== kind) {
      throw this.unexpected(token, expected, listWords(expected));
    }
    return this.lexer.advance();
  }

  private peekKeyword(keyword: string): boolean {
    const token = this.lexer.lookahead();
    return (
      token.kind === TokenKind.WORD && asciiLowercase(token.value) === keyword
    );
  }

  private enter(token: Token): void {
    this.depth += 1;
    if (this.depth > this.limits.maxDepth) {
      throw tooDeep(token, this.limits.maxDepth);
    }
  }

  private countTerm(loc: Location | undefined): void {
    this.terms += 1;
    if (this.terms > this.limits.maxTerms) {
      throw tooManyTerms(loc, this.limits.maxTerms);
    }
  }

  private unexpected(
    token: Token,
    expected: string[],
    what: string,
    suggestions: string[] = [],
  ): TagQueryError {
    return unexpectedToken(token, expected, what, suggestions);
  }
}
