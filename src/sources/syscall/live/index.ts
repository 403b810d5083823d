/**
 * Live syscall capture with the eBPF sensor (sensor/): prerequisites, process, supervision, drop alerts.
 * @module
 */
export { sensorBinary, sensorProblems, startSensor, parseStatsLine, type Sensor, type SensorOptions, type SensorStats } from './sensor.ts';
export { SensorSupervisor, type SensorExit, type SupervisorOptions } from './supervisor.ts';
export { DropMonitor } from './drops.ts';
