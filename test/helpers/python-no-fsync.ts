/**
 * Python servers started for tests write throwaway storage that is removed when they stop, yet
 * sync every write to disk: dulwich (Xandikos's git store) fsyncs each object and ref, Radicale
 * each item. On a loaded CI disk that is most of a PUT's time, so the test servers run with
 * `os.fsync` made a no-op. Nothing else changes: the same files are written in the same order.
 */

const NO_FSYNC = 'import os, sys; os.fsync = os.fdatasync = lambda fd: None';

/** `python3` arguments that run module `module` as `python3 -m module args...` would, without fsync. */
export function moduleWithoutFsync(module: string, args: string[]): string[] {
  return ['-c', `${NO_FSYNC}; import runpy; runpy.run_module(${JSON.stringify(module)}, run_name='__main__', alter_sys=True)`, ...args];
}

/** `python3` arguments that call `main(argv)` of `module` with `[program, ...args]`, without fsync (Xandikos's entry point). */
export function mainWithoutFsync(module: string, program: string, args: string[]): string[] {
  return ['-c', `${NO_FSYNC}; from ${module} import main; sys.exit(main([${JSON.stringify(program)}, *sys.argv[1:]]))`, ...args];
}
