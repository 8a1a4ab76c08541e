/**
 * `sparkIngestionPropertiesJson` (reference §3.4): per-write ingestion settings. `toString()` gives
 * pretty JSON and `fromString()` parses it back, as in the connector.
 */
import { z } from 'zod';
import { InvalidParameterException } from '../errors/parameter-errors.js';

const tags = z.array(z.string()).nullish();

const schema = z
  .object({
    flushImmediately: z.boolean().nullish(),
    dropByTags: tags,
    ingestByTags: tags,
    additionalTags: tags,
    ingestIfNotExists: tags,
    creationTime: z.string().nullish(),
    csvMapping: z.string().nullish(),
    csvMappingNameReference: z.string().nullish(),
  })
  .strict();

export interface SparkIngestionPropertiesInit {
  flushImmediately?: boolean;
  dropByTags?: readonly string[];
  ingestByTags?: readonly string[];
  additionalTags?: readonly string[];
  ingestIfNotExists?: readonly string[];
  /** An instant; written as the `creationTime` ingestion property. */
  creationTime?: Date;
  /** A CSV mapping as JSON text. */
  csvMapping?: string;
  csvMappingNameReference?: string;
}

export class SparkIngestionProperties {
  readonly flushImmediately: boolean;
  readonly dropByTags: readonly string[];
  readonly ingestByTags: readonly string[];
  readonly additionalTags: readonly string[];
  readonly ingestIfNotExists: readonly string[];
  readonly creationTime: Date | undefined;
  readonly csvMapping: string | undefined;
  readonly csvMappingNameReference: string | undefined;

  constructor(init: SparkIngestionPropertiesInit = {}) {
    this.flushImmediately = init.flushImmediately ?? false;
    this.dropByTags = [...(init.dropByTags ?? [])];
    this.ingestByTags = [...(init.ingestByTags ?? [])];
    this.additionalTags = [...(init.additionalTags ?? [])];
    this.ingestIfNotExists = [...(init.ingestIfNotExists ?? [])];
    this.creationTime = init.creationTime;
    this.csvMapping = init.csvMapping;
    this.csvMappingNameReference = init.csvMappingNameReference;
    Object.freeze(this);
  }

  /** Parses the option's JSON; unknown fields are errors (a typo would otherwise be ignored). */
  static fromString(json: string): SparkIngestionProperties {
    let raw: unknown;
    try {
      raw = JSON.parse(json);
    } catch (e) {
      throw new InvalidParameterException(`sparkIngestionPropertiesJson is not valid JSON: ${(e as Error).message}`, { option: 'sparkIngestionPropertiesJson' });
    }
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const where = issue.path.length ? `'${issue.path.join('.')}'` : 'the value';
      throw new InvalidParameterException(`sparkIngestionPropertiesJson: ${where}: ${issue.message}`, { option: 'sparkIngestionPropertiesJson' });
    }
    const p = parsed.data;
    let creationTime: Date | undefined;
    if (p.creationTime != null) {
      creationTime = new Date(p.creationTime);
      if (Number.isNaN(creationTime.getTime())) throw new InvalidParameterException(`sparkIngestionPropertiesJson: 'creationTime' is not an ISO-8601 instant: '${p.creationTime}'`, { option: 'sparkIngestionPropertiesJson' });
    }
    const init: SparkIngestionPropertiesInit = {};
    if (p.flushImmediately != null) init.flushImmediately = p.flushImmediately;
    if (p.dropByTags != null) init.dropByTags = p.dropByTags;
    if (p.ingestByTags != null) init.ingestByTags = p.ingestByTags;
    if (p.additionalTags != null) init.additionalTags = p.additionalTags;
    if (p.ingestIfNotExists != null) init.ingestIfNotExists = p.ingestIfNotExists;
    if (creationTime) init.creationTime = creationTime;
    if (p.csvMapping != null) init.csvMapping = p.csvMapping;
    if (p.csvMappingNameReference != null) init.csvMappingNameReference = p.csvMappingNameReference;
    return new SparkIngestionProperties(init);
  }

  /** A copy with some fields replaced (the staging copy clears ingestIfNotExists, §3.9 — on a copy). */
  with(changes: SparkIngestionPropertiesInit): SparkIngestionProperties {
    return new SparkIngestionProperties({ ...this.toInit(), ...changes });
  }

  toInit(): SparkIngestionPropertiesInit {
    const init: SparkIngestionPropertiesInit = { flushImmediately: this.flushImmediately, dropByTags: this.dropByTags, ingestByTags: this.ingestByTags, additionalTags: this.additionalTags, ingestIfNotExists: this.ingestIfNotExists };
    if (this.creationTime) init.creationTime = this.creationTime;
    if (this.csvMapping !== undefined) init.csvMapping = this.csvMapping;
    if (this.csvMappingNameReference !== undefined) init.csvMappingNameReference = this.csvMappingNameReference;
    return init;
  }

  toJSON(): Record<string, unknown> {
    return {
      flushImmediately: this.flushImmediately,
      dropByTags: this.dropByTags,
      ingestByTags: this.ingestByTags,
      additionalTags: this.additionalTags,
      ingestIfNotExists: this.ingestIfNotExists,
      creationTime: this.creationTime?.toISOString() ?? null,
      csvMapping: this.csvMapping ?? null,
      csvMappingNameReference: this.csvMappingNameReference ?? null,
    };
  }

  toString(): string {
    return JSON.stringify(this.toJSON(), null, 2);
  }
}
