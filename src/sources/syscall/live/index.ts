/**
 * Live syscall capture with the eBPF sensor (sensor/): prerequisites, process, drop alerts.
 * @module
 */
export { sensorBinary, sensorProblems, startSensor, parseStatsLine, type Sensor, type SensorOptions, type SensorStats } from './sensor.ts';
export { DropMonitor } from './drops.ts';
