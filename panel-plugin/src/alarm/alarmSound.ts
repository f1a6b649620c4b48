/**
 * The alarm's sound: a two-tone beep (Web Audio) and, optionally, the plot's name spoken (speech synthesis).
 * Browsers only start audio after the user has interacted with the page, so the context starts `locked` until
 * `unlock()` runs inside a click or key press.
 */
export class AlarmSound {
  private context: AudioContext | undefined;

  get supported(): boolean {
    return typeof window !== 'undefined' && typeof window.AudioContext === 'function';
  }

  get unlocked(): boolean {
    return this.context?.state === 'running';
  }

  /** Call from a user gesture. */
  async unlock(): Promise<boolean> {
    if (!this.supported) {
      return false;
    }
    this.context ??= new AudioContext();
    if (this.context.state === 'suspended') {
      await this.context.resume();
    }
    return this.unlocked;
  }

  /** Plays the tone and speaks `words` if given. Returns false when the sound is still locked. */
  play(words?: string): boolean {
    const context = this.context;
    if (!context || context.state !== 'running') {
      return false;
    }
    const start = context.currentTime;
    for (const [index, frequency] of [880, 660, 880].entries()) {
      const oscillator = context.createOscillator();
      const gain = context.createGain();
      oscillator.type = 'square';
      oscillator.frequency.value = frequency;
      gain.gain.setValueAtTime(0.15, start + index * 0.25);
      gain.gain.exponentialRampToValueAtTime(0.001, start + index * 0.25 + 0.22);
      oscillator.connect(gain).connect(context.destination);
      oscillator.start(start + index * 0.25);
      oscillator.stop(start + index * 0.25 + 0.23);
    }
    if (words && typeof window.speechSynthesis !== 'undefined') {
      window.speechSynthesis.speak(new SpeechSynthesisUtterance(words));
    }
    return true;
  }
}
