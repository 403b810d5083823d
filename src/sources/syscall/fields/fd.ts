/**
 * fd.* and fdlist.* fields: the file descriptor an event works on (files, sockets, pipes...)
 * and the descriptor lists of poll-like calls.
 * @module
 */
import { declare, type FieldSpec } from './define.ts';

// Falco marks the "either end" socket fields as filter-only; they still type-check alike.
const SPECS: FieldSpec[] = [
  ['fd.num', 'INT64', 'Number of the file descriptor.'],
  ['fd.type', 'CHARBUF', 'Type of the descriptor: file, directory, ipv4, ipv6, unix, pipe, event, signalfd, eventpoll, inotify, timerfd, netlink, memfd...'],
  ['fd.typechar', 'CHARBUF', 'One-letter form of fd.type (f, 4, 6, u, p, e, s, l, i, t, n, ...).'],
  ['fd.name', 'CHARBUF', 'Full name of the descriptor: a file path, or the connection tuple of a socket.'],
  ['fd.directory', 'CHARBUF', 'Directory part of a file descriptor name.'],
  ['fd.filename', 'CHARBUF', 'File name part (no directory) of a file descriptor name.'],
  ['fd.ip', 'IPADDR', 'Either end of a socket (matches client or server IP); filters only.'],
  ['fd.cip', 'IPADDR', 'Client IP address.'],
  ['fd.sip', 'IPADDR', 'Server IP address.'],
  ['fd.lip', 'IPADDR', 'Local IP address.'],
  ['fd.rip', 'IPADDR', 'Remote IP address.'],
  ['fd.port', 'PORT', 'Either port of a socket (client or server); filters only.'],
  ['fd.cport', 'PORT', 'Client port, for TCP/UDP.'],
  ['fd.sport', 'PORT', 'Server port, for TCP/UDP.'],
  ['fd.lport', 'PORT', 'Local port, for TCP/UDP.'],
  ['fd.rport', 'PORT', 'Remote port, for TCP/UDP.'],
  ['fd.l4proto', 'CHARBUF', 'Transport protocol of a socket: tcp, udp, icmp or raw.'],
  ['fd.sockfamily', 'CHARBUF', "Socket family: 'ip' for IPv4/IPv6, 'unix' for unix sockets."],
  ['fd.is_server', 'BOOL', 'True when the process owning the descriptor is the server end of the connection.'],
  ['fd.uid', 'CHARBUF', 'Unique identifier of the descriptor (thread id + fd number).'],
  ['fd.containername', 'CHARBUF', 'Container id followed by fd.name.'],
  ['fd.containerdirectory', 'CHARBUF', 'Container id followed by fd.directory.'],
  ['fd.proto', 'PORT', 'Either protocol name of a socket (client or server); filters only.'],
  ['fd.cproto', 'CHARBUF', 'Protocol name of the client port (e.g. http).'],
  ['fd.sproto', 'CHARBUF', 'Protocol name of the server port.'],
  ['fd.lproto', 'CHARBUF', 'Protocol name of the local port.'],
  ['fd.rproto', 'CHARBUF', 'Protocol name of the remote port.'],
  ['fd.net', 'IPNET', 'Either end of a socket compared against a network (CIDR); filters only.'],
  ['fd.cnet', 'IPNET', 'Client IP compared against a network; filters only.'],
  ['fd.snet', 'IPNET', 'Server IP compared against a network; filters only.'],
  ['fd.lnet', 'IPNET', 'Local IP compared against a network; filters only.'],
  ['fd.rnet', 'IPNET', 'Remote IP compared against a network; filters only.'],
  ['fd.connected', 'BOOL', 'True when the socket is connected.'],
  ['fd.name_changed', 'BOOL', 'True when the event changed the descriptor name (connect, accept...).'],
  ['fd.cip.name', 'CHARBUF', 'Domain name associated with the client IP.'],
  ['fd.sip.name', 'CHARBUF', 'Domain name associated with the server IP.'],
  ['fd.lip.name', 'CHARBUF', 'Domain name associated with the local IP.'],
  ['fd.rip.name', 'CHARBUF', 'Domain name associated with the remote IP.'],
  ['fd.dev', 'INT32', 'Device number of the file.'],
  ['fd.dev.major', 'INT32', 'Major device number of the file.'],
  ['fd.dev.minor', 'INT32', 'Minor device number of the file.'],
  ['fd.ino', 'INT64', 'Inode number of the file.'],
  ['fd.nameraw', 'CHARBUF', 'Name of the descriptor as passed to the call, without path normalization.'],
  ['fd.types', 'CHARBUF', 'Types of every open descriptor of the process; fd.types[N] gives the type of descriptor N.', { list: true, arg: 'optional-index' }],
  ['fd.is_upper_layer', 'BOOL', 'True when the file lives in the upper layer of an overlay filesystem.'],
  ['fd.is_lower_layer', 'BOOL', 'True when the file lives in a lower layer of an overlay filesystem.'],
  ['fdlist.nums', 'CHARBUF', 'Descriptor numbers of poll-like events, comma separated.'],
  ['fdlist.names', 'CHARBUF', 'Descriptor names of poll-like events, comma separated.'],
  ['fdlist.cips', 'CHARBUF', 'Client IPs of the descriptors of poll-like events.'],
  ['fdlist.sips', 'CHARBUF', 'Server IPs of the descriptors of poll-like events.'],
  ['fdlist.cports', 'CHARBUF', 'Client ports of the descriptors of poll-like events.'],
  ['fdlist.sports', 'CHARBUF', 'Server ports of the descriptors of poll-like events.'],
];

/** fd.* / fdlist.* definitions. */
export const FD_FIELDS = declare(SPECS);
