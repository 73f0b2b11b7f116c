/**
 * A client's connection to a scheduler server, shared by every compute sent to that
 * address from this process. It keeps the process alive only while a compute runs (as the
 * local pools do), matches replies to computes by id, and fails every compute in flight
 * with the reason when the connection is lost. Data persisted on the cluster through it
 * is owned by it (markers carry `ownerId`) and gone with it.
 */
import type { Socket } from 'node:net';
import { decodeValue, type Key } from '@dusk/core';
import { WebSocket } from 'ws';
import { registerHeldOwner, unregisterHeldOwner } from '../held-owners.js';
import type { Progress } from '../scheduler.js';
import { DistributedAuthError, SchedulerConnectionError } from './errors.js';
import {
  checkServerToClient,
  limitsOf,
  PROTOCOL_VERSION,
  type ServerToClient,
} from './messages.js';
import { frameBytes, PEER_SOCKET_OPTIONS, sendMessage } from './socket-util.js';
import { DEFAULT_LIMITS, decodeFrame, FrameReader, PARTIAL, type WireLimits } from './wire.js';
import { fromWireError } from './wire-error.js';

// Long enough for a scheduler on another continent, short enough to fail a typo fast.
const CONNECT_TIMEOUT_MS = 10_000;
// Numbers connections, so markers of a lost connection never name the one after it.
let connectionSerial = 0;

export interface PendingCompute {
  resolve(values: unknown[]): void;
  reject(e: Error): void;
  progress?(p: Progress): void;
}

export class SchedulerConnection {
  private readonly pending = new Map<number, PendingCompute>();
  private nextId = 0;
  private socket?: Socket;
  private lost?: Error;
  /** Whether the scheduler runs source-text functions from this client. */
  trusted = false;
  /** The owner id of data persisted through this connection. */
  readonly ownerId: string;
  private readonly reader: FrameReader;
  /** What the scheduler takes (its welcome says): parts, and the longest message. */
  private limits: WireLimits = DEFAULT_LIMITS;

  private constructor(
    private readonly ws: WebSocket,
    readonly address: string,
    private readonly onGone: () => void,
  ) {
    this.ownerId = `cluster ${address} connection#${++connectionSerial}`;
    this.reader = new FrameReader(address);
    registerHeldOwner(this.ownerId, {
      fetch: (keys) => this.fetchHeld(keys),
      drop: (keys) => this.dropHeld(keys),
    });
    ws.on('message', (data) => this.onMessage(data as Buffer));
    ws.on('close', (code, reason) => {
      const why = reason.length > 0 ? reason.toString() : `close code ${code}`;
      this.fail(
        new SchedulerConnectionError(`Lost the connection to the scheduler at ${address}: ${why}.`),
      );
    });
  }

  /** Connects and says hello; resolves once the scheduler has answered. */
  static open(
    address: string,
    token: string | undefined,
    onGone: () => void,
  ): Promise<SchedulerConnection> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(address, {
        ...PEER_SOCKET_OPTIONS,
        handshakeTimeout: CONNECT_TIMEOUT_MS,
      });
      let conn: SchedulerConnection | undefined;
      let socket: Socket | undefined;
      ws.on('upgrade', (res) => {
        socket = res.socket as Socket;
      });
      const refused = (why: string) =>
        reject(
          why.startsWith('E_AUTH: ')
            ? new DistributedAuthError(why.slice('E_AUTH: '.length))
            : new SchedulerConnectionError(
                `Could not connect to the scheduler at ${address}: ${why}. Start one with ` +
                  '`dusk-scheduler` (or use LocalCluster), and check the address, port and firewall.',
              ),
        );
      ws.once('error', (e) => refused(e.message));
      ws.once('close', (code, reason) => refused(reason.toString() || `close code ${code}`));
      ws.once('open', () => {
        conn = new SchedulerConnection(ws, address, onGone);
        conn.socket = socket;
        sendMessage(ws, { t: 'hello', v: PROTOCOL_VERSION, role: 'client', token });
      });
      ws.once('message', (data) => {
        try {
          const m = checkServerToClient(decodeFrame(frameBytes(data as Buffer), address), address);
          if (m.t !== 'welcome')
            throw new SchedulerConnectionError(`${address} did not welcome this client.`);
          conn!.trusted = m.trusted;
          conn!.limits = limitsOf(m);
          conn!.holdProcess();
          resolve(conn!);
        } catch (e) {
          ws.close();
          reject(e);
        }
      });
    });
  }

  /** Sends a compute; `send` gets its id and returns the message to send. */
  submit(message: (id: number) => unknown, handlers: PendingCompute): number {
    if (this.lost) throw this.lost;
    const id = this.nextId++;
    this.pending.set(id, handlers);
    this.holdProcess();
    try {
      sendMessage(this.ws, message(id), this.limits, this.address);
    } catch (e) {
      // Too long for the scheduler: nothing was sent, this compute alone fails.
      this.settle(id);
      handlers.reject(e as Error);
    }
    return id;
  }

  /** Stops a compute: its promise rejects now, the scheduler is told. */
  cancel(id: number, error: Error): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.settle(id);
    sendMessage(this.ws, { t: 'cancel', id }, this.limits);
    p.reject(error);
  }

  close(): void {
    unregisterHeldOwner(this.ownerId);
    this.ws.close();
  }

  /** Values of keys persisted through this connection, brought here. */
  async fetchHeld(keys: readonly Key[]): Promise<unknown[]> {
    const values = await new Promise<unknown[]>((resolve, reject) =>
      this.submit((id) => ({ t: 'fetch', id, keys }), { resolve, reject }),
    );
    return (await decodeValue(values)) as unknown[];
  }

  /** No persisted collection refers to these keys any more. */
  dropHeld(keys: readonly Key[]): void {
    if (!this.lost) sendMessage(this.ws, { t: 'drop', keys }, this.limits);
  }

  private onMessage(data: Buffer): void {
    let m: ServerToClient;
    try {
      const raw = this.reader.read(frameBytes(data));
      if (raw === PARTIAL) return;
      m = checkServerToClient(raw, this.address);
    } catch (e) {
      this.fail(e as Error);
      this.ws.close();
      return;
    }
    if (m.t === 'welcome') return;
    const p = this.pending.get(m.id);
    if (!p) return;
    if (m.t === 'progress') for (const item of m.items) p.progress?.(item);
    else {
      this.settle(m.id);
      if (m.t === 'result') p.resolve(m.values);
      else p.reject(fromWireError(m.error));
    }
  }

  private settle(id: number): void {
    this.pending.delete(id);
    this.holdProcess();
  }

  // Like the local pools' workers: the socket keeps Node alive only while a compute runs.
  private holdProcess(): void {
    if (this.pending.size > 0) this.socket?.ref();
    else this.socket?.unref();
  }

  private fail(e: Error): void {
    if (this.lost) return;
    this.lost = e;
    unregisterHeldOwner(this.ownerId);
    this.onGone();
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const p of all) p.reject(e);
  }
}
