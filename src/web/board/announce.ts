// What the waiting-room board says aloud when a doctor calls a token, and how it names a room.
// English (en-IN) spells the number: letters one by one, then each digit as a word ("Token G M zero
// zero six, room 3"), as Indian call systems do, so that 006 and 060 never sound alike. Hindi (hi-IN)
// names the letters as Hindi speakers say them and the number as one Hindi number word ("टोकन जी एम
// छह, कमरा तीन"). Pure functions, tested in announce.test.ts.

import type { Language } from '../i18n/index.ts';

const ENGLISH_DIGITS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];

/** The Latin capitals as they are said in Hindi. */
const HINDI_LETTERS: Readonly<Record<string, string>> = {
  A: 'ए', B: 'बी', C: 'सी', D: 'डी', E: 'ई', F: 'एफ़', G: 'जी', H: 'एच', I: 'आई', J: 'जे', K: 'के', L: 'एल', M: 'एम',
  N: 'एन', O: 'ओ', P: 'पी', Q: 'क्यू', R: 'आर', S: 'एस', T: 'टी', U: 'यू', V: 'वी', W: 'डब्ल्यू', X: 'एक्स', Y: 'वाई', Z: 'ज़ेड',
};

/** 0 to 99 in Hindi: each has its own word. */
const HINDI_UNDER_100 = [
  'शून्य', 'एक', 'दो', 'तीन', 'चार', 'पाँच', 'छह', 'सात', 'आठ', 'नौ',
  'दस', 'ग्यारह', 'बारह', 'तेरह', 'चौदह', 'पंद्रह', 'सोलह', 'सत्रह', 'अठारह', 'उन्नीस',
  'बीस', 'इक्कीस', 'बाईस', 'तेईस', 'चौबीस', 'पच्चीस', 'छब्बीस', 'सत्ताईस', 'अट्ठाईस', 'उनतीस',
  'तीस', 'इकतीस', 'बत्तीस', 'तैंतीस', 'चौंतीस', 'पैंतीस', 'छत्तीस', 'सैंतीस', 'अड़तीस', 'उनतालीस',
  'चालीस', 'इकतालीस', 'बयालीस', 'तैंतालीस', 'चौवालीस', 'पैंतालीस', 'छियालीस', 'सैंतालीस', 'अड़तालीस', 'उनचास',
  'पचास', 'इक्यावन', 'बावन', 'तिरपन', 'चौवन', 'पचपन', 'छप्पन', 'सत्तावन', 'अट्ठावन', 'उनसठ',
  'साठ', 'इकसठ', 'बासठ', 'तिरसठ', 'चौंसठ', 'पैंसठ', 'छियासठ', 'सड़सठ', 'अड़सठ', 'उनहत्तर',
  'सत्तर', 'इकहत्तर', 'बहत्तर', 'तिहत्तर', 'चौहत्तर', 'पचहत्तर', 'छिहत्तर', 'सतहत्तर', 'अठहत्तर', 'उन्यासी',
  'अस्सी', 'इक्यासी', 'बयासी', 'तिरासी', 'चौरासी', 'पचासी', 'छियासी', 'सत्तासी', 'अट्ठासी', 'नवासी',
  'नब्बे', 'इक्यानबे', 'बानबे', 'तिरानबे', 'चौरानबे', 'पचानबे', 'छियानबे', 'सत्तानबे', 'अट्ठानबे', 'निन्यानबे',
];

/** Indian grouping: crore (10^7), lakh (10^5), thousand, hundred. */
const HINDI_SCALES: readonly [number, string][] = [
  [10_000_000, 'करोड़'],
  [100_000, 'लाख'],
  [1_000, 'हज़ार'],
  [100, 'सौ'],
];

/** A whole number ≥ 0 in Hindi words: 6 → छह, 123 → एक सौ तेईस, 1205 → एक हज़ार दो सौ पाँच. */
export function hindiNumber(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`not a whole number: ${n}`);
  if (n < 100) return HINDI_UNDER_100[n]!;
  const words: string[] = [];
  let rest = n;
  for (const [size, name] of HINDI_SCALES) {
    if (rest < size) continue;
    words.push(hindiNumber(Math.floor(rest / size)), name);
    rest %= size;
  }
  if (rest > 0) words.push(HINDI_UNDER_100[rest]!);
  return words.join(' ');
}

/** Each digit as an English word: "006" → "zero zero six". */
export function englishDigits(digits: string): string {
  return [...digits].map((d) => ENGLISH_DIGITS[Number(d)]).join(' ');
}

/** The parts of a text as it is spoken: runs of capitals, runs of digits, other words. */
function parts(text: string): string[] {
  return text.match(/[A-Z]+(?![a-z])|[0-9]+|[^\sA-Z0-9\-–/,.:]+|[A-Z][a-z]+/g) ?? [];
}

const isDigits = (s: string) => /^[0-9]+$/.test(s);
const isCapitals = (s: string) => /^[A-Z]+$/.test(s);
const isRoomWord = (s: string) => /^room$/i.test(s);

/** A token number said in a language: GM-006 → "G M zero zero six" / "जी एम छह". */
export function spokenNumber(number: string, lang: Language): string {
  return parts(number)
    .map((p) => {
      if (isCapitals(p)) return [...p].map((c) => (lang === 'hi' ? HINDI_LETTERS[c]! : c)).join(' ');
      if (isDigits(p)) return lang === 'hi' ? hindiNumber(Number(p)) : englishDigits(p);
      return p;
    })
    .join(' ');
}

/**
 * A room said in a language. The word "room" is said once in front ("3" and "Room 3" are both "room
 * 3" / "कमरा तीन"), unless the room is named some other way ("Cabin 4" stays "Cabin 4"). In Hindi,
 * capitals are named letter by letter and numbers said as Hindi words ("OPD B-12" → "ओ पी डी बी बारह").
 */
export function spokenRoom(room: string, lang: Language): string {
  const said = parts(room.trim());
  if (said.length === 0) return '';
  const roomWord = lang === 'hi' ? 'कमरा' : 'room';
  const [first, ...rest] = said;
  const words = isRoomWord(first!) ? [roomWord, ...rest] : isDigits(first!) ? [roomWord, ...said] : said;
  if (lang === 'en') return words.join(' ');
  return words
    .map((w) => (isDigits(w) ? hindiNumber(Number(w)) : isCapitals(w) && w.length <= 4 ? [...w].map((c) => HINDI_LETTERS[c]!).join(' ') : w))
    .join(' ');
}

/** What the board says when `number` is called to `room`: "Token G M zero zero six, room 3". */
export function announcement(number: string, room: string | null, lang: Language): string {
  const token = `${lang === 'hi' ? 'टोकन' : 'Token'} ${spokenNumber(number, lang)}`;
  const where = room === null ? '' : spokenRoom(room, lang);
  return where === '' ? token : `${token}, ${where}`;
}

/**
 * A room as the board writes it: "Room 3" / "कमरा 3" for a bare number or "Room 3"; any other name
 * as the hospital wrote it ("OPD Block B-12").
 */
export function roomLabel(room: string, lang: Language): string {
  const text = room.trim();
  const word = lang === 'hi' ? 'कमरा' : 'Room';
  const named = /^room\b\s*(.*)$/i.exec(text);
  if (named) return `${word} ${named[1]}`.trim();
  return /^[0-9]/.test(text) ? `${word} ${text}` : text;
}

/** A speech voice as the browser lists it (SpeechSynthesisVoice's fields that matter here). */
export interface VoiceInfo {
  lang: string;
  name: string;
  default?: boolean;
}

/**
 * The voice to say `locale` (en-IN, hi-IN) with: one of exactly that locale, else one of its language
 * (en-GB for en-IN), the browser's default first; null when the machine has none, and the board then
 * only chimes for that language (an English voice reading Hindi would be worse than silence).
 */
export function pickVoice<V extends VoiceInfo>(voices: readonly V[], locale: string): V | null {
  const norm = (tag: string) => tag.replace('_', '-').toLowerCase();
  const want = norm(locale);
  const language = want.split('-')[0]!;
  const ranked = [...voices].sort((a, b) => Number(b.default === true) - Number(a.default === true));
  return ranked.find((v) => norm(v.lang) === want) ?? ranked.find((v) => norm(v.lang).split('-')[0] === language) ?? null;
}
