import { describe, expect, it } from 'vitest';
import { boardSettings, parseBoardLanguages, parseTurnSeconds } from './settings.ts';

describe('the board’s settings in its address', () => {
  it('11: English alone by default, 12 seconds a page', () => {
    expect(boardSettings('')).toEqual({ languages: ['en'], turnSeconds: 12 });
    expect(boardSettings('?doctors=a,b')).toEqual({ languages: ['en'], turnSeconds: 12 });
  });

  it('11: Hindi, or both in the order given; a page time from 5 to 120 seconds', () => {
    expect(boardSettings('?lang=hi')).toEqual({ languages: ['hi'], turnSeconds: 12 });
    expect(boardSettings('?doctors=a&lang=en,hi&turn=20')).toEqual({ languages: ['en', 'hi'], turnSeconds: 20 });
    expect(boardSettings('?lang=hi%2Cen&turn=5')).toEqual({ languages: ['hi', 'en'], turnSeconds: 5 });
    expect(boardSettings('?turn=120').turnSeconds).toBe(120);
  });

  it('a value it cannot read takes the default', () => {
    expect(boardSettings('?lang=fr&turn=4')).toEqual({ languages: ['en'], turnSeconds: 12 });
    expect(parseBoardLanguages('en,hi,en')).toBeNull();
    expect(parseBoardLanguages('hi,hi')).toBeNull();
    expect(parseBoardLanguages('')).toBeNull();
    expect(parseBoardLanguages(' HI ')).toEqual(['hi']);
    expect(parseTurnSeconds('121')).toBeNull();
    expect(parseTurnSeconds('1e1')).toBeNull();
    expect(parseTurnSeconds('-5')).toBeNull();
    expect(parseTurnSeconds('030')).toBe(30);
  });
});
