/**
 * node_exporter's uname collector: node_uname_info with the uname(2) fields as labels, read
 * from /proc/sys/kernel (the same strings uname returns in this UTS namespace); the machine
 * (architecture) is not in /proc, so it comes from Node (os.machine()).
 * @module
 */
import { machine } from 'node:os';
import { join } from 'node:path';
import { gauge } from '../families.ts';
import { readText } from '../read.ts';
import type { Collector } from '../types.ts';

/** The uname collector. */
export const unameCollector: Collector = {
  id: 'uname',
  description: 'node_uname_info{domainname,machine,nodename,release,sysname,version}',
  async collect({ paths }) {
    const k = async (f: string) => (await readText(join(paths.proc, 'sys', 'kernel', f))).replace(/\n$/, '');
    const [domainname, nodename, release, sysname, version] = await Promise.all(['domainname', 'hostname', 'osrelease', 'ostype', 'version'].map(k));
    return [gauge('node_uname_info', 'Labeled system information as provided by the uname system call.').add(1, { domainname, machine: machine(), nodename, release, sysname, version })];
  },
};
