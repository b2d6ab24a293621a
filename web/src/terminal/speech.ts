// Voice dictation through the browser's Web Speech API, where it has one (Chromium's and
// Safari's prefixed webkitSpeechRecognition, or the standard name). Only what is used is typed.

export interface Recognition {
  continuous: boolean;
  interimResults: boolean;
  lang: string;
  onresult: ((event: RecognitionEvent) => void) | null;
  onerror: ((event: { error: string }) => void) | null;
  onend: (() => void) | null;
  start(): void;
  stop(): void;
  abort(): void;
}

export interface RecognitionEvent {
  resultIndex: number;
  results: ArrayLike<{ isFinal: boolean; 0: { transcript: string } }>;
}

type RecognitionConstructor = new () => Recognition;

export function speechRecognition(scope: object = globalThis): RecognitionConstructor | null {
  const s = scope as { SpeechRecognition?: RecognitionConstructor; webkitSpeechRecognition?: RecognitionConstructor };
  return s.SpeechRecognition ?? s.webkitSpeechRecognition ?? null;
}

/** The text of a run's results from `from` on: the final ones, and the interim one being heard. */
export function transcript(event: RecognitionEvent, from = 0): { final: string; interim: string } {
  let final = "";
  let interim = "";
  for (let i = Math.max(0, from); i < event.results.length; i++) {
    const result = event.results[i];
    if (result.isFinal) final += result[0].transcript;
    else interim += result[0].transcript;
  }
  return { final, interim };
}
