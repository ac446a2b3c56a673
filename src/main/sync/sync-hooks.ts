// A test seam injected through ConsoleCoreOptions: lets a test process stop exactly inside an
// apply transaction (and be killed there). Production passes nothing.
export interface SyncHooks {
  /** Called inside the apply transaction after each event, with the events applied so far in it. */
  insideApplyTransaction?(eventsAppliedSoFar: number): void;
}
