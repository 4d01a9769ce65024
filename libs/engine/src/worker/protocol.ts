// Messages between the evaluation pool (service thread) and its workers. Evaluations travel in
// batches (one message per batch and direction): the inputs as one buffer of UTF-8 JSON texts
// back to back, transferred (one transfer per batch; transferring or cloning a buffer per input
// costs more than the bytes), results as JSON text.
import type { Evaluation } from '../evaluate-loaded';

/** workerData of an evaluation worker. */
export interface WorkerInit {
  entrypoint: string;
  fuel: number;
  timeoutMs: number;
}

export interface LoadMessage {
  t: 'load';
  seq: number;
  revision: string;
  wasm: Uint8Array;
  data: unknown;
}

export interface EvalMessage {
  t: 'eval';
  ids: number[];
  /** The policy inputs as UTF-8 JSON, back to back: input i is bytes [ends[i-1] (or 0), ends[i]) (the buffer may be longer). */
  bytes: Uint8Array;
  ends: number[];
  /** time.now_ns() of each evaluation. */
  nows: number[];
}

export type ToWorker = LoadMessage | EvalMessage;

/** An evaluation as it crosses back: the result as JSON text instead of a value. */
export type WireEvaluation = Omit<Evaluation, 'result' | 'resultJson'> & { resultJson: string | null };

export type FromWorker =
  | { t: 'loaded'; seq: number; error: string | null }
  | { t: 'done'; ids: number[]; evals: WireEvaluation[] };
