import { KjobError, type KjobErrorDetails } from '../../errors/kjob-error.js';

/** A path, directory or blob prefix given by the user does not exist. */
export class PathNotFoundError extends KjobError {
  override name = 'PathNotFoundError';
  constructor(path: string, details: KjobErrorDetails = {}) {
    super('CONFIG_INVALID', `Path does not exist: ${path}`, {
      resolution: 'Check the path (relative paths resolve against the driver working directory) or the blob container and prefix.',
      ...details,
      context: { path, ...details.context },
    });
  }
}

/** A glob, directory or prefix matched no data file. */
export class NoFilesMatchedError extends KjobError {
  override name = 'NoFilesMatchedError';
  constructor(pattern: string, what: string, details: KjobErrorDetails = {}) {
    super('CONFIG_INVALID', `No ${what} matched ${pattern}`, {
      likelyCause: 'The pattern or directory contains no data files (hidden, `_`-prefixed and `.`-prefixed files are skipped).',
      ...details,
      context: { pattern, ...details.context },
    });
  }
}

/** Reading, listing or writing storage failed (permission, network, service error). */
export class StorageAccessError extends KjobError {
  override name = 'StorageAccessError';
  constructor(message: string, details: KjobErrorDetails = {}) {
    super('STORAGE_FAILED', message, details);
  }
}

/** A write target exists while the save mode forbids it (Spark's `errorifexists`). */
export class PathAlreadyExistsError extends KjobError {
  override name = 'PathAlreadyExistsError';
  constructor(path: string) {
    super('CONFIG_INVALID', `Path ${path} already exists and is not empty (save mode errorifexists)`, {
      resolution: "Use mode('overwrite') to replace its contents, mode('append') to add files, or mode('ignore') to skip the write.",
      context: { path },
    });
  }
}
