/**
 * Data for the example notebooks and the demo stream: real data shipped by vega-datasets (flights,
 * earthquakes) and seeded generators where no real set fits (card transactions, IoT telemetry,
 * customer activity, machine sensors). Each writes Parquet once into a gitignored folder and
 * returns the history file, the live file to replay into Kafka, and the split time.
 */
import { customers } from './customers.js';
import { earthquakes } from './earthquakes.js';
import { flights } from './flights.js';
import { machines } from './machines.js';
import { telemetry } from './telemetry.js';
import { transactions } from './transactions.js';

export const datasets = { flights, earthquakes, transactions, telemetry, customers, machines } as const;

export { dataDir } from './files.js';
export { flightsParquet, type FlightsOptions } from './flights.js';
export type { EarthquakesOptions } from './earthquakes.js';
export type { TransactionsOptions } from './transactions.js';
export type { TelemetryOptions, TelemetryDataset } from './telemetry.js';
export type { CustomersOptions, CustomersDataset } from './customers.js';
export type { MachinesOptions } from './machines.js';
export type { SplitDataset } from './types.js';
export { demoStream, freshTopic, type DemoStream, type DemoStreamOptions } from './demo.js';
export { QUICKSTART_DEMO, startQuickstartStream } from './quickstart.js';
