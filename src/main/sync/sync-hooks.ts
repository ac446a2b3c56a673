// A test seam injected through ConsoleCoreOptions: lets a test process stop exactly inside an
// apply transaction (and be killed there). Production passes nothing.
export interface SyncHooks {
  /** Called inside the apply transaction after each event, with the events applied so far in it. */
  insideApplyTransaction?(eventsAppliedSoFar: number): void;
  /**
   * Called inside a snapshot page's transaction after each row, with the rows applied so far in
   * this rebuild (across pages, so a count past the first page stops in a later one).
   */
  insideSnapshotTransaction?(rowsAppliedSoFar: number): void;
}
