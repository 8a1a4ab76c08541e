/**
 * Fault hooks the engine consults inside its own operations (the only faults that cannot be injected
 * from outside the engine through a request hook). Installed with `EmulatorEngine.setFaults`.
 */
export interface MoveExtentsFaultDecision {
  /** Fail the whole move with this message (the operation ends Failed, nothing moves). */
  readonly fail?: string;
  /** Move only these extents (a partial move); the others stay in the source table. */
  readonly onlyIds?: readonly string[];
}

export interface EngineFaults {
  /** Called once per `.move extents` before anything moves. */
  beforeMoveExtents(database: string, sourceTable: string, extentIds: readonly string[]): MoveExtentsFaultDecision;
  /**
   * Called once per `.move extents` before its transaction: resolves after the injected hang (the
   * operation stays InProgress meanwhile) with the message to fail it with, or at once with undefined.
   * Outside the transaction so that a hung move does not hold the catalog's single writer.
   */
  moveExtentsHang?(database: string, sourceTable: string | undefined): Promise<string | undefined>;
}
