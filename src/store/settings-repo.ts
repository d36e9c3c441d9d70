// The hospital's settings (migration 8): a few named values kept as text, the same on both stores.
// Two implementations, sqlite/settings-repo.ts and postgres/settings-repo.ts, held to one contract
// (test/suites/store/settings-contract.ts). The service gives the values their meaning (src/service/hospital-settings.ts).

export interface SettingsRepository {
  /** The value stored under `key`, or null. */
  getSetting(key: string): Promise<string | null>;
  /**
   * Stores `value` under `key` unless one is there already, and answers the value that is stored
   * then: of several servers making the same setting at once, all end with the first one's.
   */
  initSetting(key: string, value: string, at: number): Promise<string>;
  /** Stores `value` under `key`, replacing what was there. */
  putSetting(key: string, value: string, at: number): Promise<void>;
}
