/**
 * @fileoverview Where and why a text is not JSON. `JSON.parse` only says "at position N" for
 * some errors, and how it says it changes between Node versions; a configuration error should
 * always point at a line and a column.
 */

export interface JsonSyntaxError {
  /** 1-based. */
  line: number;
  column: number;
  message: string;
}

class Failure {
  constructor(
    readonly offset: number,
    readonly message: string,
  ) {}
}

/** The first syntax error of `text`, or undefined when it is valid JSON. */
export function findJsonSyntaxError(text: string): JsonSyntaxError | undefined {
  try {
    new JsonChecker(text).document();
    return undefined;
  } catch (error) {
    if (!(error instanceof Failure)) throw error;
    const before = text.slice(0, error.offset);
    const line = before.split('\n').length;
    const column = error.offset - (before.lastIndexOf('\n') + 1) + 1;
    return { line, column, message: error.message };
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

class JsonChecker {
  private i = 0;
  constructor(private readonly text: string) {}

  document(): void {
    this.value();
    this.space();
    if (this.i < this.text.length) this.fail('unexpected text after the end of the JSON value');
  }

  private value(): void {
    this.space();
    const c = this.text[this.i];
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return this.string();
    for (const literal of ['true', 'false', 'null']) {
      if (this.text.startsWith(literal, this.i)) {
        this.i += literal.length;
        return;
      }
    }
    NUMBER.lastIndex = this.i;
    if (NUMBER.test(this.text)) {
      this.i = NUMBER.lastIndex;
      return;
    }
    if (c === undefined) this.fail('unexpected end of file');
    if (c === "'") this.fail('strings must use double quotes');
    this.fail(`unexpected ${JSON.stringify(c)}`);
  }

  private object(): void {
    this.i++;
    this.space();
    if (this.text[this.i] === '}') {
      this.i++;
      return;
    }
    for (;;) {
      this.space();
      if (this.text[this.i] === '}') this.fail('trailing comma before }');
      if (this.text[this.i] !== '"') this.fail('expected a key in double quotes');
      this.string();
      this.space();
      if (this.text[this.i] !== ':') this.fail('expected : after the key');
      this.i++;
      this.value();
      this.space();
      const c = this.text[this.i];
      this.i++;
      if (c === '}') return;
      if (c !== ',') this.fail(c === undefined ? 'unexpected end of file' : 'expected , or }', this.i - 1);
    }
  }

  private array(): void {
    this.i++;
    this.space();
    if (this.text[this.i] === ']') {
      this.i++;
      return;
    }
    for (;;) {
      this.space();
      if (this.text[this.i] === ']') this.fail('trailing comma before ]');
      this.value();
      this.space();
      const c = this.text[this.i];
      this.i++;
      if (c === ']') return;
      if (c !== ',') this.fail(c === undefined ? 'unexpected end of file' : 'expected , or ]', this.i - 1);
    }
  }

  private string(): void {
    const start = this.i;
    this.i++;
    for (;;) {
      const c = this.text[this.i];
      if (c === undefined) this.fail('unterminated string', start);
      if (c === '"') {
        this.i++;
        return;
      }
      if (c === '\\') {
        const escape = this.text[this.i + 1];
        if (escape === 'u' ? !/^[0-9a-fA-F]{4}$/.test(this.text.slice(this.i + 2, this.i + 6)) : !'"\\/bfnrt'.includes(escape ?? 'x')) {
          this.fail('invalid escape in string');
        }
        this.i += escape === 'u' ? 6 : 2;
        continue;
      }
      if (c < ' ') this.fail('line break or control character in string');
      this.i++;
    }
  }

  private space(): void {
    for (;;) {
      const c = this.text[this.i];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') this.i++;
      else if (c === '/' && (this.text[this.i + 1] === '/' || this.text[this.i + 1] === '*')) this.fail('comments are not allowed in JSON');
      else return;
    }
  }

  private fail(message: string, offset = this.i): never {
    throw new Failure(offset, message);
  }
}
