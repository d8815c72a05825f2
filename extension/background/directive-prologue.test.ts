import { describe, expect, it } from 'vitest';
import { afterPrologue } from './directive-prologue';

const bytes = (text: string) => new TextEncoder().encode(text);
const at = (text: string, complete = true) => afterPrologue(bytes(text), complete);

describe('afterPrologue', () => {
  it('is 0 for a script without directives', () => {
    expect(at('postMessage(1);')).toBe(0);
    expect(at('')).toBe(0);
    expect(at('// a comment\nlet x;')).toBe(0);
  });

  it('is just past the semicolon of each directive, on the same line', () => {
    expect(at('"use strict";postMessage(1)')).toBe(13);
    expect(at("'use strict'; 'other';\nx()")).toBe(22);
    expect(at('/* header */\n\ufeff"use strict" ;\nx()')).toBe(bytes('/* header */\n\ufeff"use strict" ;').length);
  });

  it('stops at a directive without its semicolon: code after it could join the next line', () => {
    expect(at('"use strict";"a"\n(f)()')).toBe(13);
    expect(at('"use strict"\n;x')).toBe(0);
  });

  it('reads escapes and comments inside the prologue', () => {
    expect(at('"a\\"b"; /* c */ "d" /* e */;x')).toBe(bytes('"a\\"b"; /* c */ "d" /* e */;').length);
    expect(at('"a" /* spans\nlines */;x')).toBe(0);
  });

  it('asks for more bytes while undecided, and decides at the end', () => {
    expect(at('"use str', false)).toBeNull();
    expect(at('"use strict"', false)).toBeNull();
    expect(at('/* unfinished', false)).toBeNull();
    expect(at('"use strict";', false)).toBeNull();
    expect(at('"use strict";', true)).toBe(13);
    expect(at('"use str', true)).toBe(0);
  });
});
