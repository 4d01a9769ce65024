// Bump allocator over the imported memory. The heap pointer is exactly what
// opa_heap_ptr_get/set expose: the host resets it between evaluations, so nothing allocated
// during an evaluation may be referenced afterwards.

@external("env", "opa_abort")
export declare function opa_abort(addr: usize): void;

@external("env", "opa_println")
export declare function opa_println(addr: usize): void;

/**
 * First free byte. The code generator rewrites this global's initial value to place the
 * policy's constant values (a data segment) below the heap.
 */
export let arbiter_heap_ptr: usize = __heap_base;

@inline function align8(n: usize): usize {
  return (n + 7) & ~<usize>7;
}

function grow(end: usize): void {
  const have = <usize>memory.size() << 16;
  if (end <= have) return;
  const need = <i32>((end - have + 0xffff) >>> 16);
  const cur = memory.size();
  // Grow at least by half of the current size to keep the number of grows low.
  let want = need;
  if (want < (cur >> 1)) want = cur >> 1;
  if (memory.grow(want) < 0) {
    if (memory.grow(need) < 0) abortStatic("out of memory");
  }
}

export function malloc(size: usize): usize {
  // The host may set an unaligned heap pointer (opa_eval gets input address + length).
  const p = align8(arbiter_heap_ptr);
  const end = align8(p + size);
  if (end > (<usize>memory.size() << 16)) grow(end);
  arbiter_heap_ptr = end;
  return p;
}

/** Extends the most recent allocation in place when possible, else copies. */
export function realloc(p: usize, oldSize: usize, newSize: usize): usize {
  if (align8(p + oldSize) == arbiter_heap_ptr) {
    const end = align8(p + newSize);
    if (end > (<usize>memory.size() << 16)) grow(end);
    arbiter_heap_ptr = end;
    return p;
  }
  const q = malloc(newSize);
  memory.copy(q, p, oldSize);
  return q;
}

/**
 * memory.copy for the short copies of hot paths (a few pointers, a key, a name): V8 runs
 * memory.copy as a call out of Wasm, which costs more than copying a few words. The ranges must
 * not overlap.
 */
export function copyShort(dst: usize, src: usize, n: usize): void {
  if (n >= 64) {
    memory.copy(dst, src, n);
    return;
  }
  let i: usize = 0;
  for (; i + 4 <= n; i += 4) store<u32>(dst + i, load<u32>(src + i));
  for (; i < n; i++) store<u8>(dst + i, load<u8>(src + i));
}

export function opa_malloc(size: usize): usize {
  return malloc(size);
}

export function opa_free(ptr: usize): void {
  // Bump allocator: memory comes back when the host resets the heap pointer.
}

export function opa_heap_ptr_get(): usize {
  return arbiter_heap_ptr;
}

export function opa_heap_ptr_set(ptr: usize): void {
  arbiter_heap_ptr = ptr;
}

/** Copies an AssemblyScript string literal (ASCII) to a NUL-terminated byte string. */
export function cstr(s: string): usize {
  const n = <usize>s.length;
  const p = malloc(n + 1);
  for (let i: usize = 0; i < n; i++) store<u8>(p + i, <u8>s.charCodeAt(<i32>i));
  store<u8>(p + n, 0);
  return p;
}

export function abortStatic(msg: string): void {
  opa_abort(cstr(msg));
  unreachable();
}

/** Replacement for AssemblyScript's env.abort (selected with --use abort=…). */
export function asAbort(message: string | null, fileName: string | null, line: u32, col: u32): void {
  opa_abort(cstr("internal error: runtime assertion failed"));
  unreachable();
}
