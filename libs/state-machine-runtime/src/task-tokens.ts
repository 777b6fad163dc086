/**
 * Task tokens of `.waitForTaskToken` tasks: the task waits until someone answers its token
 * (sendTaskSuccess / sendTaskFailure), keeps it alive with heartbeats, or times out.
 */
import { randomBytes } from 'node:crypto';
import type { Json } from './json';

export type TokenOutcome = { ok: true; output: Json } | { ok: false; error: string | undefined; cause: string | undefined };

interface Waiter {
  settle(outcome: TokenOutcome): void;
  heartbeat(): void;
}

/** The token does not belong to a task that is waiting (AWS: TaskDoesNotExist / InvalidToken). */
export class TaskTokenNotFoundError extends Error {
  override name = 'TaskTokenNotFoundError';
}

/** Answers to a token are JSON text, as SendTaskSuccess takes them. */
export class InvalidTaskOutputError extends Error {
  override name = 'InvalidTaskOutputError';
}

export class TaskTokenRegistry {
  private readonly waiters = new Map<string, Waiter>();

  /** A new token (opaque, base64 like AWS's). */
  newToken(): string {
    return randomBytes(48).toString('base64');
  }

  register(token: string, waiter: Waiter): () => void {
    this.waiters.set(token, waiter);
    return () => this.waiters.delete(token);
  }

  private take(token: string): Waiter {
    const waiter = this.waiters.get(token);
    if (!waiter) throw new TaskTokenNotFoundError('Task does not exist anymore or the token is invalid');
    return waiter;
  }

  success(token: string, output: string | Json): void {
    let value: Json;
    if (typeof output === 'string') {
      try {
        value = JSON.parse(output) as Json;
      } catch {
        throw new InvalidTaskOutputError('The output of SendTaskSuccess must be JSON text');
      }
    } else value = output;
    const waiter = this.take(token);
    this.waiters.delete(token);
    waiter.settle({ ok: true, output: value });
  }

  failure(token: string, error?: string, cause?: string): void {
    const waiter = this.take(token);
    this.waiters.delete(token);
    waiter.settle({ ok: false, error, cause });
  }

  heartbeat(token: string): void {
    this.take(token).heartbeat();
  }
}
