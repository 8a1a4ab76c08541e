/** The Kusto DataSource: format `kusto`, alias `com.microsoft.kusto.spark.datasource`; write and read halves composed. */
import type { DataSource } from '../datasource.js';
import { kustoReadMethods } from './read/index.js';
import { kustoWriteMethods } from './write/index.js';

export const kustoSource: DataSource = {
  name: 'kusto',
  aliases: ['com.microsoft.kusto.spark.datasource', 'com.microsoft.kusto.spark.synapse.datasource'],
  ...kustoWriteMethods,
  ...kustoReadMethods,
};
