// A doctor's code (2–4 capital letters, the prefix of token numbers) when none is given: the
// department's initials (General Medicine → GM), or its first letters for a one-word department
// (Orthopedics → OR); then longer variants (GMA, GMB, …) until one is free.

export function doctorCodeCandidates(department: string, name: string): string[] {
  // The words are the runs of letters A–Z, after upper-casing: "general  medicine (OPD)" → GENERAL, MEDICINE, OPD.
  const words = (s: string) => s.toUpperCase().match(/[A-Z]+/g) ?? [];
  const dept = words(department);
  const person = words(name).filter((w) => w !== 'DR');
  let base = dept.map((w) => w[0]).join('').slice(0, 3);
  if (base.length < 2) base = (dept[0] ?? person.join('')).slice(0, 2);
  base = base.padEnd(2, 'X');
  // base has 2 or 3 letters. Without initials the second candidate is base again (the Set drops it).
  const initials = person.map((w) => w[0]).join('');
  const out = [base, (base + initials).slice(0, 4)];
  for (let c = 65; c <= 90; c++) out.push(base + String.fromCharCode(c));
  for (let a = 65; a <= 90; a++) for (let b = 65; b <= 90; b++) out.push(`${base.slice(0, 2)}${String.fromCharCode(a)}${String.fromCharCode(b)}`);
  return [...new Set(out)];
}
