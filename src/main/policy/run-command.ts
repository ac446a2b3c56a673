// Runs a system tool (reg, plutil) without a shell, so policy paths never meet shell quoting.
import { execFile } from 'node:child_process';

export interface CommandOutput {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

export type CommandRunner = (file: string, args: readonly string[]) => Promise<CommandOutput>;

export const runCommand: CommandRunner = (file, args) =>
  new Promise((resolve) => {
    execFile(
      file,
      args,
      { encoding: 'utf8', windowsHide: true, timeout: 10_000 },
      (error, stdout, stderr) => {
        if (!error) return resolve({ exitCode: 0, stdout, stderr });
        // A missing tool or a timeout has no numeric exit code: report it like a failed run.
        const exitCode = typeof error.code === 'number' ? error.code : -1;
        resolve({ exitCode, stdout, stderr: stderr || error.message });
      },
    );
  });
