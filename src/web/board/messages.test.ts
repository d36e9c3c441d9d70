import { describe, expect, it } from 'vitest';
import { i18n } from '../i18n/index.ts';
import { BOARD_MESSAGES, BOARD_NS } from './messages.ts';

describe('the board’s words', () => {
  it('11: every message is in English and in Hindi', () => {
    expect(Object.keys(BOARD_MESSAGES.hi).sort()).toEqual(Object.keys(BOARD_MESSAGES.en).sort());
    for (const text of Object.values(BOARD_MESSAGES.hi)) expect(text).toMatch(/[\u0900-\u097F]|^\{\{count\}\}/);
  });

  it('11: the late-doctor banner in both languages', () => {
    expect(i18n.getFixedT('en', BOARD_NS)('late', { minutes: 40, until: '10:10' })).toBe('Running 40 min late, until 10:10');
    expect(i18n.getFixedT('hi', BOARD_NS)('late', { minutes: 40, until: '10:10' })).toBe('डॉक्टर 40 मिनट देर से हैं, 10:10 तक');
    expect(i18n.getFixedT('en', BOARD_NS)('lateOpen', { minutes: 15 })).toBe('Running 15 min late');
    expect(i18n.getFixedT('hi', BOARD_NS)('page', { page: 2, pages: 4 })).toBe('पृष्ठ 2 / 4');
  });
});
