import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { DataSource } from 'typeorm';
import type { PostgresDataSourceOptions } from 'typeorm/driver/postgres/PostgresDataSourceOptions.js';
import { listenerConfig, NotificationListener } from '../../shared/database/notification-listener.js';
import type { ActiveKey } from './api-key.repository.js';

/** The channel the api_keys, workspaces and workspace_model_providers triggers notify (see their migration). */
export const KEY_CHANGES_CHANNEL = 'api_key_changes';
const MAX_KEYS = 10_000;
/** A safety net under the notifications: an entry is read again from the database after this. */
const TTL_MS = 60_000;

/**
 * The callers of recently used API keys, by token hash, so that a request needs no key lookup.
 * Only keys that exist are kept (an unknown token costs a lookup, never an entry). Any change of a
 * key, a tier or a workspace's providers, on any instance or in the CLI, is NOTIFYed by a trigger
 * and empties the cache of every instance at once; while the listener's connection is down the
 * cache is empty and bypassed, since a notification could be missed.
 */
@Injectable()
export class ApiKeyCache implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(ApiKeyCache.name);
  private readonly keys = new LRUCache<string, ActiveKey>({ max: MAX_KEYS, ttl: TTL_MS });
  private readonly listener: NotificationListener;
  private listening = false;
  // Moves at every invalidation: a lookup that began before one does not store what it read.
  private generation = 0;

  constructor(dataSource: DataSource) {
    this.listener = new NotificationListener(
      listenerConfig(dataSource.options as PostgresDataSourceOptions, 'agents-api-key-listener'),
      [KEY_CHANGES_CHANNEL],
      { notified: () => this.invalidate(), connected: () => this.setListening(true), lost: () => this.setListening(false) },
      this.logger,
    );
  }

  onModuleInit(): void {
    this.listener.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.listener.stop();
  }

  get size(): number {
    return this.keys.size;
  }

  /** False while the listener is away: every lookup then goes to the database. */
  get active(): boolean {
    return this.listening;
  }

  /** The cached key, or a loader's answer, cached when it found a key and nothing changed meanwhile. */
  async lookUp(keyHash: Buffer, load: () => Promise<ActiveKey | null>): Promise<ActiveKey | null> {
    const id = keyHash.toString('base64');
    const cached = this.listening ? this.keys.get(id) : undefined;
    if (cached) return cached;
    const generation = this.generation;
    const key = await load();
    if (key && this.listening && generation === this.generation) this.keys.set(id, key);
    return key;
  }

  private invalidate(): void {
    this.generation++;
    this.keys.clear();
  }

  private setListening(listening: boolean): void {
    this.invalidate();
    this.listening = listening;
    if (!listening) this.logger.warn('API keys are looked up on every request until the key-change listener is back');
  }
}
