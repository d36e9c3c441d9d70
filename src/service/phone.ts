// Phones as one patient's key (SPEC 7): every common writing of a number (`+91 98450 11111`,
// `098450-11111`, `9845011111`, `91-9845011111`) is the same E.164 number. libphonenumber-js with its
// small ("min") metadata knows each country's lengths and prefixes; the hospital's region decides
// how a number written without a country code is read.
//
// Why here and not in the engine: the engine is pure and replays old events exactly, so it compares
// the phone it is given. The service writes every phone as E.164 before the engine sees it (one
// canonical form, also for search); the engine keeps no phone metadata and never has to be told the
// region, and a phone recorded in an event never changes meaning when the region setting changes.
import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/min';

export type PhoneRegion = CountryCode;

export const DEFAULT_PHONE_REGION: PhoneRegion = 'IN';

/** Whether a region code (ISO 3166-1 alpha-2, e.g. IN) is one the phone metadata knows. */
export function isPhoneRegion(code: string): code is PhoneRegion {
  return isSupportedCountry(code);
}

/** The phone as E.164 (`+919845011111`), or null when it is not a valid number of any country. */
export function toE164(phone: string, region: PhoneRegion): string | null {
  const parsed = parsePhoneNumberFromString(phone, region);
  return parsed?.isValid() ? parsed.number : null;
}
