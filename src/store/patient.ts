// A patient as the desk writes and reads it (SPEC 12: personal data). Kept in a file of its own, free
// of Node, so the web desk's types can name it.

export interface Patient {
  name: string;
  id?: string;
  phone?: string;
}

/** One token's personal data, as stored. */
export interface PersonalRow {
  tokenId: string;
  doctorId: string;
  date: string;
  name: string;
  /** The phone as it was typed at the desk. */
  phone: string | null;
  /** The same phone as E.164 (`+919845011111`): what duplicates and search compare. */
  phoneE164: string | null;
  patientId: string | null;
  /** For search: lower case, accents stripped (see foldName). */
  nameFolded: string;
  /** For search and duplicates: trimmed, lower case. */
  idFolded: string | null;
}
