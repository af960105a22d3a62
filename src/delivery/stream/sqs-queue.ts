/**
 * The in-memory SQS queue (standard or FIFO) an SQS event source mapping polls.
 *
 * Rules reproduced (SQS developer guide): a received message stays in the queue, invisible for the
 * visibility timeout, and comes back with ApproximateReceiveCount one higher unless it is deleted;
 * with a redrive policy, a message already received maxReceiveCount times moves to the dead-letter
 * queue instead of being received again; messages older than the retention period are deleted.
 * FIFO: messages of one MessageGroupId are received in order and a group is held while any of its
 * messages is in flight; a MessageDeduplicationId seen in the last 5 minutes is accepted but not
 * enqueued again.
 */

export interface QueuedMessage {
  /** The ledger's event id. */
  id: number;
  /** The message as generated (an SQS record); receive fills in the per-receive attributes. */
  record: Record<string, unknown>;
  messageId: string;
  group: string | undefined;
  /** Monotonic ms of the send. */
  sentMs: number;
  receiveCount: number;
  firstReceiveEpochMs?: number;
  /** Monotonic ms until which a received message stays invisible. */
  invisibleUntilMs: number;
}

const DEDUP_WINDOW_MS = 5 * 60_000;

export class SqsQueue {
  readonly fifo: boolean;
  /** Visible messages, oldest first (for FIFO, grouped below). */
  #ready: QueuedMessage[] = [];
  #head = 0;
  /** FIFO: messages per group in order, and how many of each group are in flight. */
  readonly #groups = new Map<string, QueuedMessage[]>();
  readonly #groupInFlight = new Map<string, number>();
  readonly #inFlight = new Map<string, QueuedMessage>();
  readonly #dedup = new Map<string, number>();

  constructor(
    fifo: boolean,
    readonly visibilityTimeoutMs: number,
    readonly maxReceiveCount: number | undefined,
    readonly retentionMs: number,
  ) {
    this.fifo = fifo;
  }

  /** Visible messages waiting. */
  get visible(): number {
    if (!this.fifo) return this.#ready.length - this.#head;
    let n = 0;
    for (const [group, list] of this.#groups) if (!this.#groupInFlight.get(group)) n += list.length;
    return n;
  }

  get inFlight(): number {
    return this.#inFlight.size;
  }

  /** Enqueues a message; false when FIFO deduplication swallowed it. */
  send(message: QueuedMessage, dedupId: string | undefined, nowMs: number): boolean {
    if (this.fifo && dedupId !== undefined) {
      const seen = this.#dedup.get(dedupId);
      if (seen !== undefined && nowMs - seen < DEDUP_WINDOW_MS) return false;
      this.#dedup.set(dedupId, nowMs);
    }
    this.#enqueue(message, false);
    return true;
  }

  /**
   * Receives up to `max` visible messages. Messages past retention come back in `expired`; those
   * already received maxReceiveCount times move to the DLQ (`deadLettered`) instead of being received.
   */
  receive(
    max: number,
    nowMs: number,
  ): { received: QueuedMessage[]; deadLettered: QueuedMessage[]; expired: QueuedMessage[] } {
    const received: QueuedMessage[] = [];
    const deadLettered: QueuedMessage[] = [];
    const expired: QueuedMessage[] = [];
    const take = (m: QueuedMessage): void => {
      if (nowMs - m.sentMs > this.retentionMs) expired.push(m);
      else if (this.maxReceiveCount !== undefined && m.receiveCount >= this.maxReceiveCount)
        deadLettered.push(m);
      else {
        m.receiveCount++;
        m.invisibleUntilMs = nowMs + this.visibilityTimeoutMs;
        this.#inFlight.set(m.messageId, m);
        if (m.group !== undefined)
          this.#groupInFlight.set(m.group, (this.#groupInFlight.get(m.group) ?? 0) + 1);
        received.push(m);
      }
    };
    if (!this.fifo) {
      while (received.length < max && this.#head < this.#ready.length)
        take(this.#ready[this.#head++] as QueuedMessage);
      if (this.#head > 1024 && this.#head * 2 > this.#ready.length) {
        this.#ready = this.#ready.slice(this.#head);
        this.#head = 0;
      }
    } else {
      // Whole groups in order: a group in flight is held; several groups may share a batch.
      for (const [group, list] of this.#groups) {
        if (received.length >= max) break;
        if (this.#groupInFlight.get(group)) continue;
        while (list.length > 0 && received.length < max) take(list.shift() as QueuedMessage);
        if (list.length === 0) this.#groups.delete(group);
      }
    }
    return { received, deadLettered, expired };
  }

  /** Deletes received messages (the batch, or the items that did not fail). */
  delete(messages: readonly QueuedMessage[]): void {
    for (const m of messages) this.#release(m);
  }

  /**
   * The visibility timeout of `messages` ended without a delete: they become visible again
   * (FIFO: at the front of their group, so the group's order holds).
   */
  returnToQueue(messages: readonly QueuedMessage[]): void {
    const back = messages.filter((m) => this.#inFlight.has(m.messageId));
    for (const m of back) this.#release(m);
    if (this.fifo) for (const m of [...back].reverse()) this.#enqueue(m, true);
    else for (const m of back) this.#enqueue(m, false);
  }

  /** Everything not deleted: visible and in flight (for the end of a run). */
  drain(): QueuedMessage[] {
    const out = [...this.#inFlight.values(), ...this.#ready.slice(this.#head)];
    for (const list of this.#groups.values()) out.push(...list);
    this.#inFlight.clear();
    this.#groupInFlight.clear();
    this.#groups.clear();
    this.#ready = [];
    this.#head = 0;
    return out;
  }

  #release(m: QueuedMessage): void {
    if (!this.#inFlight.delete(m.messageId)) return;
    if (m.group !== undefined) {
      const n = (this.#groupInFlight.get(m.group) ?? 1) - 1;
      if (n <= 0) this.#groupInFlight.delete(m.group);
      else this.#groupInFlight.set(m.group, n);
    }
  }

  #enqueue(m: QueuedMessage, front: boolean): void {
    if (!this.fifo) {
      this.#ready.push(m);
      return;
    }
    const group = m.group ?? '';
    let list = this.#groups.get(group);
    if (!list) {
      list = [];
      this.#groups.set(group, list);
    }
    if (front) list.unshift(m);
    else list.push(m);
  }
}
