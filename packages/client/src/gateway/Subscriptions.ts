import { type ClientPayload, clientMessage, defaultLimits, type ErrorData, topics } from '@miscord/protocol';
import { GatewayError, GatewayErrorCode } from './errors';

interface Waiter {
  readonly kind: 'subscribe' | 'unsubscribe';
  readonly topics: readonly string[];
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

export interface SubscriptionsOptions {
  readonly send: (payload: ClientPayload) => boolean;
  readonly canSend: () => boolean;
  readonly maxTopicsPerRequest?: number;
}

/**
 * The client's view of its topic subscriptions. `desired` is what the app asked for; `confirmed` is
 * what the server acknowledged. After a resume the server still holds `confirmed`, so only the
 * difference is sent; after a re-identify nothing is held and everything desired is sent again.
 * A subscribe() promise resolves once all its topics are confirmed (possibly after a reconnect), and
 * rejects when the server answers its request with ERROR.
 */
export class Subscriptions {
  readonly #options: SubscriptionsOptions;
  readonly #desired = new Set<string>();
  readonly #confirmed = new Set<string>();
  /** request id → what it asked for, while unanswered. */
  readonly #inFlight = new Map<string, { kind: 'subscribe' | 'unsubscribe'; topics: readonly string[] }>();
  #waiters: Waiter[] = [];
  #nextId = 1;

  constructor(options: SubscriptionsOptions) {
    this.#options = options;
  }

  subscribe(topicList: readonly string[]): Promise<void> {
    const wanted = [...new Set(topicList)];
    for (const t of wanted) this.#desired.add(t);
    const promise = this.#wait('subscribe', wanted);
    const missing = wanted.filter((t) => !this.#confirmed.has(t) && !this.#isInFlight('subscribe', t));
    if (missing.length > 0 && this.#options.canSend()) this.#request('subscribe', missing);
    this.#settle();
    return promise;
  }

  unsubscribe(topicList: readonly string[]): Promise<void> {
    const unwanted = [...new Set(topicList)];
    for (const t of unwanted) this.#desired.delete(t);
    const promise = this.#wait('unsubscribe', unwanted);
    const held = unwanted.filter((t) => this.#confirmed.has(t) || this.#isInFlight('subscribe', t));
    if (held.length > 0 && this.#options.canSend()) this.#request('unsubscribe', held);
    this.#settle();
    return promise;
  }

  /** SUBSCRIBE_ACK / UNSUBSCRIBE_ACK. */
  acknowledged(
    id: string,
    ackTopics: readonly string[],
    kind: 'subscribe' | 'unsubscribe',
    _data: unknown,
  ): void {
    this.#inFlight.delete(id);
    for (const t of ackTopics) {
      if (kind === 'subscribe') this.#confirmed.add(t);
      else this.#confirmed.delete(t);
    }
    this.#settle();
  }

  /** An ERROR frame: returns true when it answered one of our requests. */
  reject(error: ErrorData): boolean {
    if (error.id === undefined) return false;
    const request = this.#inFlight.get(error.id);
    if (!request) return false;
    this.#inFlight.delete(error.id);
    if (request.kind === 'subscribe') for (const t of request.topics) this.#desired.delete(t);
    const failed = new GatewayError(
      GatewayErrorCode.Rejected,
      `${request.kind} ${request.topics.join(', ')} refused: ${error.code} ${error.message}`,
      { serverCode: error.code },
    );
    this.#waiters = this.#waiters.filter((w) => {
      const hit = w.kind === request.kind && w.topics.some((t) => request.topics.includes(t));
      if (hit) w.reject(failed);
      return !hit;
    });
    return true;
  }

  /** The socket dropped: unanswered requests are forgotten (restore() re-sends what is missing). */
  connectionLost(): void {
    this.#inFlight.clear();
  }

  /** The connection stopped for good: every waiting promise rejects. */
  failAll(error: Error): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    this.#inFlight.clear();
    this.#confirmed.clear();
    for (const w of waiters) w.reject(error);
  }

  /** After READY (`identified`: the server holds nothing) or RESUMED (it holds `confirmed`). */
  restore(how: 'identified' | 'resumed'): void {
    if (how === 'identified') this.#confirmed.clear();
    const toSubscribe = [...this.#desired].filter((t) => !this.#confirmed.has(t));
    const toUnsubscribe = [...this.#confirmed].filter((t) => !this.#desired.has(t));
    if (toSubscribe.length > 0) this.#request('subscribe', toSubscribe);
    if (toUnsubscribe.length > 0) this.#request('unsubscribe', toUnsubscribe);
    this.#settle();
  }

  /** Channel ids of `voice:` topics. */
  channelsOf(topicList: readonly string[]): string[] {
    return topicList.map((t) => topics.channelOf(t)).filter((c): c is string => c !== undefined);
  }

  debug(): { desired: string[]; confirmed: string[] } {
    return { desired: [...this.#desired].sort(), confirmed: [...this.#confirmed].sort() };
  }

  #isInFlight(kind: 'subscribe' | 'unsubscribe', topic: string): boolean {
    for (const r of this.#inFlight.values()) if (r.kind === kind && r.topics.includes(topic)) return true;
    return false;
  }

  #request(kind: 'subscribe' | 'unsubscribe', list: readonly string[]): void {
    const max = this.#options.maxTopicsPerRequest ?? defaultLimits.maxTopicsPerRequest;
    for (let i = 0; i < list.length; i += max) {
      const chunk = list.slice(i, i + max);
      const id = `${kind === 'subscribe' ? 'sub' : 'unsub'}-${this.#nextId++}`;
      const payload =
        kind === 'subscribe' ? clientMessage.subscribe(id, chunk) : clientMessage.unsubscribe(id, chunk);
      if (this.#options.send(payload)) this.#inFlight.set(id, { kind, topics: chunk });
    }
  }

  #wait(kind: 'subscribe' | 'unsubscribe', list: readonly string[]): Promise<void> {
    return new Promise<void>((resolve, reject) =>
      this.#waiters.push({ kind, topics: list, resolve, reject }),
    );
  }

  #settle(): void {
    this.#waiters = this.#waiters.filter((w) => {
      const done =
        w.kind === 'subscribe'
          ? w.topics.every((t) => this.#confirmed.has(t))
          : w.topics.every((t) => !this.#confirmed.has(t) && !this.#isInFlight('subscribe', t));
      if (done) w.resolve();
      return !done;
    });
  }
}
