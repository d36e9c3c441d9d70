// The slip's one line in both languages, registered with the app's i18n (each screen its own namespace).

import { registerMessages } from '../i18n/index.ts';

export const SLIP_LINE = {
  en: 'Scan the code to follow your token live. Wait for your number on the board.',
  hi: 'अपने टोकन की ताज़ा स्थिति देखने के लिए कोड स्कैन करें। बोर्ड पर अपने नंबर की प्रतीक्षा करें।',
} as const;

registerMessages('slip', { en: { line: SLIP_LINE.en }, hi: { line: SLIP_LINE.hi } });
