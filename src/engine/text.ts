// The one rule for free text (names, patient ids, ids): the API's schemas and the engine both call it,
// so a value the schema lets through is never refused by the engine with another message.
//
// Length is counted in Unicode code points: the unit of JSON Schema's maxLength and of PostgreSQL's
// char_length, and fixed forever, unlike user-perceived characters, whose segmentation moves with the
// ICU version (a replayed command must be judged the same way years later). Control characters
// (C0 with NUL, DEL, C1) and unpaired surrogates are refused: PostgreSQL cannot store NUL nor a lone
// surrogate in jsonb, and neither belongs in a name on a token slip.

/** Longest person or department name, in code points. */
export const NAME_MAX = 200;
/** Longest hospital patient id, in code points. */
export const PATIENT_ID_MAX = 100;
/** Longest patient key (the service's keyed hash is 43 characters), in code points. */
export const PATIENT_KEY_MAX = 128;
/** Longest id (a doctor, slot or token id), in code points. */
export const ID_MAX = 128;
/** A room's name ("Room 3", "OPD Block B-12"), of a doctor or of a slot. */
export const ROOM_MAX = 60;

/** The length of a text as this service counts it: code points. */
export function textLength(s: string): number {
  // The string iterator walks code points; a lone surrogate counts as one.
  return [...s].length;
}

// \p{Cc}: C0 (NUL…US), DEL and C1; \p{Cs} in a /u regex matches only surrogates left unpaired.
const FORBIDDEN = /[\p{Cc}\p{Cs}]/u;

/** Why a text is not acceptable (a phrase to follow the field's name), or null when it is. */
export function textProblem(value: unknown, max: number): string | null {
  if (typeof value !== 'string') return 'must be a string';
  const bad = FORBIDDEN.exec(value);
  if (bad) {
    const code = bad[0].codePointAt(0)!;
    const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
    // Stryker disable next-line ConditionalExpression: FORBIDDEN matches only C0, DEL and C1 (at most U+009F) and surrogates (U+D800–U+DFFF), so no match lies above U+DFFF
    return code >= 0xd800 && code <= 0xdfff
      ? `must not contain an unpaired surrogate (${hex})`
      : `must not contain control characters (${hex})`;
  }
  // Surrounding spaces are not counted: the API trims names before they reach the engine.
  const trimmed = value.trim();
  if (trimmed === '') return 'must not be empty';
  if (textLength(trimmed) > max) return `must be at most ${max} characters (code points)`;
  return null;
}
