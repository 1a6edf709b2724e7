import { getCurrentScope, onScopeDispose, ref } from 'vue';

export interface Polling {
  /** Polls now and then every `intervalMs` until `keepGoing` says stop; a second start while running does nothing. */
  start(): void;
  stop(): void;
  readonly running: Readonly<{ value: boolean }>;
}

/**
 * Runs `tick`, waits `intervalMs` after it settles, and runs it again while `keepGoing()` is true: requests never
 * overlap, and polling ends by itself when there is nothing left to watch (and when the component goes away).
 */
export function usePolling(tick: () => Promise<void>, keepGoing: () => boolean, intervalMs = 1_000): Polling {
  const running = ref(false);
  let timer: ReturnType<typeof setTimeout> | undefined;

  const loop = async (): Promise<void> => {
    await tick();
    if (!running.value) return;
    if (!keepGoing()) {
      running.value = false;
      return;
    }
    timer = setTimeout(() => void loop(), intervalMs);
  };

  const stop = () => {
    running.value = false;
    clearTimeout(timer);
  };
  if (getCurrentScope()) onScopeDispose(stop);

  return {
    start() {
      if (running.value) return;
      running.value = true;
      void loop();
    },
    stop,
    running,
  };
}
