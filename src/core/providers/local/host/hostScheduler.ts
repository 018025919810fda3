// The model host's one queue for every client. The host runs one evaluation at a time (two cores
// can't run two models' batches faster than one after the other, and a lone evaluation keeps its
// latency), and decides which comes next:
// - the window being typed in goes first: queued work of the client that asked most recently runs
//   before anyone else's, in the order it asked;
// - within one client the latest completion wins: a newer completion stops the client's earlier ones,
//   queued or running (they answer 'abort' at once), because a suggestion for text the user has
//   typed past is worthless. A chat is never stopped by anything but its own abort.
// - a client that left goes before everyone: its jobs, all aborted, answer at once and its sequence is
//   freed without waiting behind the others' work.
// Another client's running work is not interrupted: the foreground waits at most for that request.

export type JobKind = 'completion' | 'chat' | 'setup' | 'rates';

export interface HostJob {
  /** The session (connection) the job belongs to. */
  client: number;
  kind: JobKind;
  /** Stops the job early; it still runs to report its (aborted) result. */
  abort(): void;
  run(): Promise<void>;
}

export class HostScheduler {
  private readonly queue: HostJob[] = [];
  private running: HostJob | undefined;
  /** client -> when it last asked (a counter, so ties can't happen). */
  private readonly lastAsked = new Map<number, number>();
  private asks = 0;

  constructor(private readonly onError: (error: unknown) => void = () => undefined) {}

  /** Jobs waiting, not counting the one running. */
  get waiting(): number {
    return this.queue.length;
  }

  get busy(): boolean {
    return this.running !== undefined;
  }

  submit(job: HostJob): void {
    // Setting up a session is not the user asking: it must not push a typing window back.
    if (job.kind !== 'setup') this.lastAsked.set(job.client, ++this.asks);
    if (job.kind === 'completion') {
      for (const queued of this.queue) if (queued.client === job.client && queued.kind === 'completion') queued.abort();
      if (this.running?.client === job.client && this.running.kind === 'completion') this.running.abort();
    }
    this.queue.push(job);
    this.pump();
  }

  /** The client left: its jobs (aborted by its session) run first, then it is forgotten. */
  forget(client: number): void {
    this.lastAsked.set(client, Number.POSITIVE_INFINITY);
    if (!this.queue.some((job) => job.client === client)) this.lastAsked.delete(client);
  }

  private pump(): void {
    if (this.running || this.queue.length === 0) return;
    const index = this.nextIndex();
    const [job] = this.queue.splice(index, 1);
    this.running = job!;
    if (this.lastAsked.get(job!.client) === Number.POSITIVE_INFINITY && !this.queue.some((queued) => queued.client === job!.client)) {
      this.lastAsked.delete(job!.client);
    }
    const finish = (): void => {
      this.running = undefined;
      this.pump();
    };
    let started: Promise<void>;
    try {
      started = job!.run();
    } catch (e) {
      started = Promise.reject(e);
    }
    started.catch((e: unknown) => this.onError(e)).finally(finish);
  }

  /** The first queued job of the client that asked most recently (a client that never asked counts last). */
  private nextIndex(): number {
    let best = 0;
    let bestAsked = -1;
    this.queue.forEach((job, i) => {
      const asked = this.lastAsked.get(job.client) ?? 0;
      if (asked > bestAsked) {
        best = i;
        bestAsked = asked;
      }
    });
    return best;
  }
}
