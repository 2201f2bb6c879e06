// Just enough WASI preview1 to run a command-line WASM program (Flite) with its files in memory: no disk,
// no temporary folders, and none of node:wasi's experimental warnings. Anything else answers ENOSYS.

const ESUCCESS = 0;
const EBADF = 8;
const EINVAL = 28;
const ENOSYS = 52;
const ESPIPE = 70;

const FILETYPE_CHARACTER_DEVICE = 2;
const FILETYPE_DIRECTORY = 3;
const FILETYPE_REGULAR_FILE = 4;
const PREOPEN_FD = 3;

class ProcExit {
  constructor(readonly code: number) {}
}

interface MemFile {
  path: string;
  data: Uint8Array;
  size: number;
  position: number;
}

export interface WasiRun {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** Files the program wrote, by the path it gave (relative to the preopened directory `/`). */
  files: Map<string, Uint8Array>;
}

/** Runs the `_start` of a WASI command module to completion with the given argv. Synchronous. */
export function runWasiCommand(module: WebAssembly.Module, args: string[]): WasiRun {
  const encoder = new TextEncoder();
  const argBytes = args.map((a) => encoder.encode(`${a}\0`));
  const stdout: Uint8Array[] = [];
  const stderr: Uint8Array[] = [];
  const files = new Map<number, MemFile>();
  const written = new Map<string, Uint8Array>();
  let nextFd = PREOPEN_FD + 1;
  let memory: WebAssembly.Memory | undefined;
  const view = () => new DataView(memory!.buffer);
  const bytes = () => new Uint8Array(memory!.buffer);

  const iovecs = (ptr: number, count: number) => {
    const v = view();
    const list: Uint8Array[] = [];
    for (let i = 0; i < count; i++) {
      const buf = v.getUint32(ptr + i * 8, true);
      const len = v.getUint32(ptr + i * 8 + 4, true);
      list.push(new Uint8Array(memory!.buffer, buf, len));
    }
    return list;
  };

  const writeToFile = (file: MemFile, chunk: Uint8Array) => {
    const end = file.position + chunk.length;
    if (end > file.data.length) {
      const grown = new Uint8Array(Math.max(end, file.data.length * 2, 65536));
      grown.set(file.data.subarray(0, file.size));
      file.data = grown;
    }
    file.data.set(chunk, file.position);
    file.position = end;
    file.size = Math.max(file.size, end);
  };

  const wasi = {
    args_sizes_get(argcPtr: number, bufSizePtr: number) {
      view().setUint32(argcPtr, args.length, true);
      view().setUint32(
        bufSizePtr,
        argBytes.reduce((n, a) => n + a.length, 0),
        true,
      );
      return ESUCCESS;
    },
    args_get(argvPtr: number, bufPtr: number) {
      let at = bufPtr;
      argBytes.forEach((arg, i) => {
        view().setUint32(argvPtr + i * 4, at, true);
        bytes().set(arg, at);
        at += arg.length;
      });
      return ESUCCESS;
    },
    clock_time_get(_id: number, _precision: bigint, timePtr: number) {
      view().setBigUint64(timePtr, BigInt(Math.round(performance.now() * 1e6)), true);
      return ESUCCESS;
    },
    fd_close(fd: number) {
      const file = files.get(fd);
      if (file) {
        written.set(file.path, file.data.slice(0, file.size));
        files.delete(fd);
      }
      return ESUCCESS;
    },
    fd_fdstat_get(fd: number, ptr: number) {
      const type =
        fd <= 2
          ? FILETYPE_CHARACTER_DEVICE
          : fd === PREOPEN_FD
            ? FILETYPE_DIRECTORY
            : files.has(fd)
              ? FILETYPE_REGULAR_FILE
              : -1;
      if (type < 0) return EBADF;
      const v = view();
      v.setUint8(ptr, type);
      v.setUint16(ptr + 2, 0, true);
      v.setBigUint64(ptr + 8, 0xffffffffn, true);
      v.setBigUint64(ptr + 16, 0xffffffffn, true);
      return ESUCCESS;
    },
    fd_fdstat_set_flags() {
      return ESUCCESS;
    },
    fd_prestat_get(fd: number, ptr: number) {
      if (fd !== PREOPEN_FD) return EBADF;
      view().setUint8(ptr, 0);
      view().setUint32(ptr + 4, 1, true);
      return ESUCCESS;
    },
    fd_prestat_dir_name(fd: number, pathPtr: number, len: number) {
      if (fd !== PREOPEN_FD || len < 1) return EBADF;
      bytes()[pathPtr] = 0x2f; // "/"
      return ESUCCESS;
    },
    fd_read(_fd: number, _iovs: number, _count: number, nreadPtr: number) {
      view().setUint32(nreadPtr, 0, true);
      return ESUCCESS;
    },
    fd_seek(fd: number, offset: bigint, whence: number, newPtr: number) {
      const file = files.get(fd);
      if (!file) return fd <= 2 ? ESPIPE : EBADF;
      const base = whence === 0 ? 0 : whence === 1 ? file.position : file.size;
      const position = base + Number(offset);
      if (position < 0) return EINVAL;
      file.position = position;
      view().setBigUint64(newPtr, BigInt(position), true);
      return ESUCCESS;
    },
    fd_write(fd: number, iovs: number, count: number, nwrittenPtr: number) {
      let total = 0;
      for (const chunk of iovecs(iovs, count)) {
        total += chunk.length;
        if (fd === 1) stdout.push(chunk.slice());
        else if (fd === 2) stderr.push(chunk.slice());
        else {
          const file = files.get(fd);
          if (!file) return EBADF;
          writeToFile(file, chunk);
        }
      }
      view().setUint32(nwrittenPtr, total, true);
      return ESUCCESS;
    },
    path_open(
      dirFd: number,
      _dirFlags: number,
      pathPtr: number,
      pathLen: number,
      _oflags: number,
      _rightsBase: bigint,
      _rightsInheriting: bigint,
      _fdFlags: number,
      fdPtr: number,
    ) {
      if (dirFd !== PREOPEN_FD) return EBADF;
      const path = new TextDecoder().decode(new Uint8Array(memory!.buffer, pathPtr, pathLen));
      const fd = nextFd++;
      files.set(fd, { path, data: new Uint8Array(0), size: 0, position: 0 });
      view().setUint32(fdPtr, fd, true);
      return ESUCCESS;
    },
    proc_exit(code: number) {
      throw new ProcExit(code);
    },
  };

  const imports: Record<string, (...a: never[]) => number> = {};
  for (const { module: mod, name } of WebAssembly.Module.imports(module)) {
    if (mod !== 'wasi_snapshot_preview1') continue;
    imports[name] = (wasi as unknown as Record<string, (...a: never[]) => number>)[name] ?? (() => ENOSYS);
  }
  const instance = new WebAssembly.Instance(module, { wasi_snapshot_preview1: imports });
  memory = instance.exports.memory as WebAssembly.Memory;
  let exitCode = 0;
  try {
    (instance.exports._start as () => void)();
  } catch (error) {
    if (error instanceof ProcExit) exitCode = error.code;
    else throw error;
  }
  for (const [, file] of files) written.set(file.path, file.data.slice(0, file.size));
  const text = (parts: Uint8Array[]) => new TextDecoder().decode(Buffer.concat(parts));
  return { exitCode, stdout: text(stdout), stderr: text(stderr), files: written };
}
