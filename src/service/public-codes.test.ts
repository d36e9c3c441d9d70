import { describe, expect, it } from 'vitest';
import { openStore } from '../store/open-store.ts';
import { PublicCodes, PUBLIC_CODE_SECRET } from './public-codes.ts';

const secretA = Buffer.alloc(32, 7);
const secretB = Buffer.alloc(32, 8);
const ID = '0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b';

describe('11: the public code of a patient page', () => {
  it('opens the token it was made for', () => {
    const sut = new PublicCodes(secretA);
    const code = sut.codeOf(ID);
    expect(code).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$/);
    expect(sut.tokenIdOf(code)).toBe(ID);
  });

  it('is the same code every time for a token (a reprinted slip works), another for another token', () => {
    const sut = new PublicCodes(secretA);
    expect(sut.codeOf(ID)).toBe(sut.codeOf(ID));
    expect(sut.codeOf(ID)).not.toBe(sut.codeOf(ID.replace('5b', '5c')));
  });

  it('a code of another secret, a changed tag, a changed id, or a bare token id opens nothing', () => {
    const sut = new PublicCodes(secretA);
    const code = sut.codeOf(ID);
    const [id, tag] = code.split('.') as [string, string];
    expect(sut.tokenIdOf(new PublicCodes(secretB).codeOf(ID))).toBeNull();
    const flipped = `${tag.slice(0, 5)}${tag[5] === 'A' ? 'B' : 'A'}${tag.slice(6)}`;
    expect(sut.tokenIdOf(`${id}.${flipped}`)).toBeNull();
    const otherId = Buffer.from(ID.replace('5b', '5c')).toString('base64url');
    expect(sut.tokenIdOf(`${otherId}.${tag}`)).toBeNull();
    expect(sut.tokenIdOf(ID)).toBeNull();
    // the last of 22 base64url characters has 4 spare bits: another writing of the same bytes is refused
    const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const spare = `${tag.slice(0, 21)}${ALPHABET[ALPHABET.indexOf(tag[21]!) ^ 1]}`;
    expect(Buffer.from(spare, 'base64url')).toEqual(Buffer.from(tag, 'base64url'));
    expect(sut.tokenIdOf(`${id}.${spare}`)).toBeNull();
    expect(sut.tokenIdOf('')).toBeNull();
    expect(sut.tokenIdOf(`${id}.${tag}x`)).toBeNull();
  });

  it('the tag carries 128 bits: 22 base64url characters, 16 bytes', () => {
    const tag = new PublicCodes(secretA).codeOf(ID).split('.')[1]!;
    expect(Buffer.from(tag, 'base64url')).toHaveLength(16);
  });

  it('the secret is made once per database and kept: a second server makes the same codes', async () => {
    const store = await openStore({ kind: 'sqlite', file: ':memory:' });
    try {
      expect(await store.settings.getSetting(PUBLIC_CODE_SECRET)).toBeNull();
      const first = await PublicCodes.open(store.settings, 1);
      const stored = await store.settings.getSetting(PUBLIC_CODE_SECRET);
      expect(Buffer.from(stored!, 'base64url')).toHaveLength(32);
      const second = await PublicCodes.open(store.settings, 2);
      expect(second.codeOf(ID)).toBe(first.codeOf(ID));
      expect(await store.settings.getSetting(PUBLIC_CODE_SECRET)).toBe(stored);
    } finally {
      await store.close();
    }
  });
});
