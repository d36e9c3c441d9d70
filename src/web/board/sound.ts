// The board's voice: a chime made with Web Audio (two soft tones, no sound file) and the call said
// aloud with the browser's speech synthesis, one utterance per board language, in the voices the
// machine has (announce.ts picks them; a language without a voice is not spoken). Calls are said one
// after another, never over each other.
//
// Browsers hold sound back until someone touches the page (the autoplay policy): `blocked` says so,
// and `enable()`, called from a tap, releases it. A kiosk started with Chromium's
// `--autoplay-policy=no-user-gesture-required` is never blocked (docs/operations.md).

import { pickVoice } from './announce.ts';

export interface Utterance {
  text: string;
  /** BCP 47: en-IN, hi-IN. */
  lang: string;
}

/** How long the chime lasts before the voice starts. */
const CHIME_MS = 1600;
/** The longest one call's speech may take before the next call goes ahead anyway. */
const SPEECH_TIMEOUT_MS = 15_000;

const sleep = (ms: number) => new Promise<void>((resolve) => window.setTimeout(resolve, ms));

/** The page's audio, or null where there is none (no device, no Web Audio): the voice alone. */
function audioContext(): AudioContext | null {
  try {
    return typeof window.AudioContext === 'function' ? new window.AudioContext() : null;
  } catch {
    return null;
  }
}

export class BoardSound {
  private readonly ctx: AudioContext | null;
  private readonly speech: SpeechSynthesis | null;
  private queue: Promise<void> = Promise.resolve();

  constructor() {
    this.ctx = audioContext();
    this.speech = 'speechSynthesis' in window ? window.speechSynthesis : null;
    // Chromium lists its voices only after a first ask.
    this.speech?.getVoices();
  }

  /** True while the browser holds sound back until someone taps the page. */
  get blocked(): boolean {
    return this.ctx?.state === 'suspended';
  }

  /** Calls `listener` when sound is released or held back again; returns the way to stop listening. */
  onChange(listener: () => void): () => void {
    this.ctx?.addEventListener('statechange', listener);
    return () => this.ctx?.removeEventListener('statechange', listener);
  }

  /** From a tap: lets the board make sound from now on. */
  async enable(): Promise<void> {
    // Speech is released by speaking within the tap (an empty utterance says nothing).
    this.speech?.speak(new window.SpeechSynthesisUtterance(''));
    await this.ctx?.resume();
  }

  /** A chime, then each utterance; after the calls already waiting. */
  announce(utterances: Utterance[]): void {
    this.queue = this.queue.then(() => this.play(utterances)).catch(() => undefined);
  }

  /** Stops what is being said (the board is going away). */
  silence(): void {
    this.speech?.cancel();
  }

  private async play(utterances: Utterance[]): Promise<void> {
    this.chime();
    await sleep(CHIME_MS);
    await this.say(utterances);
  }

  /** Two tones, high then low ("ding-dong"), each dying away. */
  private chime(): void {
    const ctx = this.ctx;
    if (ctx === null || ctx.state !== 'running') return;
    const t0 = ctx.currentTime + 0.02;
    for (const [freq, start] of [
      [880, 0],
      [659.25, 0.5],
    ] as const) {
      const osc = ctx.createOscillator();
      osc.type = 'sine';
      osc.frequency.value = freq;
      const gain = ctx.createGain();
      gain.gain.setValueAtTime(0.0001, t0 + start);
      gain.gain.exponentialRampToValueAtTime(0.4, t0 + start + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, t0 + start + 1.0);
      osc.connect(gain).connect(ctx.destination);
      osc.start(t0 + start);
      osc.stop(t0 + start + 1.05);
    }
  }

  private say(utterances: Utterance[]): Promise<void> {
    const speech = this.speech;
    if (speech === null) return Promise.resolve();
    const voices = speech.getVoices();
    const said = utterances.flatMap((u) => {
      const voice = pickVoice(voices, u.lang);
      if (voice === null) return [];
      const utterance = new window.SpeechSynthesisUtterance(u.text);
      utterance.lang = u.lang;
      utterance.voice = voice;
      utterance.rate = 0.9;
      return [utterance];
    });
    if (said.length === 0) return Promise.resolve();
    const done = new Promise<void>((resolve) => {
      const last = said[said.length - 1]!;
      last.onend = () => resolve();
      last.onerror = () => resolve();
      window.setTimeout(resolve, SPEECH_TIMEOUT_MS);
    });
    for (const u of said) speech.speak(u);
    return done;
  }
}
