/**
 * The few containerd API messages Vigil uses (containerd 1.6+ gRPC API: containers, images,
 * content, events, namespaces, version), written here from the public field numbers, and the
 * event payloads of the topics the metadata cache follows.
 * @module
 */
import protobuf from 'protobufjs';

// google.protobuf well-known types, reduced to the fields containerd sends.
const WELL_KNOWN = `
syntax = "proto3";
package google.protobuf;
message Any { string type_url = 1; bytes value = 2; }
message Timestamp { int64 seconds = 1; int32 nanos = 2; }
message Empty {}
`;

const TYPES = `
syntax = "proto3";
package containerd.types;
message Descriptor { string media_type = 1; string digest = 2; int64 size = 3; map<string, string> annotations = 5; }
`;

const CONTAINERS = `
syntax = "proto3";
package containerd.services.containers.v1;
message Container {
  message Runtime { string name = 1; google.protobuf.Any options = 2; }
  string id = 1;
  map<string, string> labels = 2;
  string image = 3;
  Runtime runtime = 4;
  google.protobuf.Any spec = 5;
  string snapshotter = 6;
  string snapshot_key = 7;
  google.protobuf.Timestamp created_at = 8;
  google.protobuf.Timestamp updated_at = 9;
  map<string, google.protobuf.Any> extensions = 10;
  string sandbox = 11;
}
message GetContainerRequest { string id = 1; }
message GetContainerResponse { Container container = 1; }
message ListContainersRequest { repeated string filters = 1; }
message ListContainersResponse { repeated Container containers = 1; }
`;

const IMAGES = `
syntax = "proto3";
package containerd.services.images.v1;
message Image {
  string name = 1;
  map<string, string> labels = 2;
  containerd.types.Descriptor target = 3;
  google.protobuf.Timestamp created_at = 7;
  google.protobuf.Timestamp updated_at = 8;
}
message GetImageRequest { string name = 1; }
message GetImageResponse { Image image = 1; }
message ListImagesRequest { repeated string filters = 1; }
message ListImagesResponse { repeated Image images = 1; }
`;

const CONTENT = `
syntax = "proto3";
package containerd.services.content.v1;
message Info {
  string digest = 1;
  int64 size = 2;
  google.protobuf.Timestamp created_at = 3;
  google.protobuf.Timestamp updated_at = 4;
  map<string, string> labels = 5;
}
message InfoRequest { string digest = 1; }
message InfoResponse { Info info = 1; }
message ReadContentRequest { string digest = 1; int64 offset = 2; int64 size = 3; }
message ReadContentResponse { int64 offset = 1; bytes data = 2; }
`;

const EVENTS = `
syntax = "proto3";
package containerd.services.events.v1;
message SubscribeRequest { repeated string filters = 1; }
message Envelope {
  google.protobuf.Timestamp timestamp = 1;
  string namespace = 2;
  string topic = 3;
  google.protobuf.Any event = 4;
}
`;

const NAMESPACES = `
syntax = "proto3";
package containerd.services.namespaces.v1;
message Namespace { string name = 1; map<string, string> labels = 2; }
message ListNamespacesRequest { string filter = 1; }
message ListNamespacesResponse { repeated Namespace namespaces = 1; }
`;

const VERSION = `
syntax = "proto3";
package containerd.services.version.v1;
message VersionResponse { string version = 1; string revision = 2; }
`;

// Payloads of the Any in an Envelope (type URL containerd.events.<Name>).
const EVENT_PAYLOADS = `
syntax = "proto3";
package containerd.events;
message ContainerCreate {
  message Runtime { string name = 1; google.protobuf.Any options = 2; }
  string id = 1;
  string image = 2;
  Runtime runtime = 3;
}
message ContainerUpdate { string id = 1; string image = 2; map<string, string> labels = 3; string snapshot_key = 4; }
message ContainerDelete { string id = 1; }
message TaskCreate { string container_id = 1; string bundle = 2; string checkpoint = 5; uint32 pid = 6; }
message TaskStart { string container_id = 1; uint32 pid = 2; }
message TaskExit { string container_id = 1; string id = 2; uint32 pid = 3; uint32 exit_status = 4; google.protobuf.Timestamp exited_at = 5; }
message TaskDelete { string container_id = 1; uint32 pid = 2; uint32 exit_status = 3; google.protobuf.Timestamp exited_at = 4; string id = 5; }
`;

let root: protobuf.Root | undefined;

/** The parsed schema (built once, on first use). */
export function schema(): protobuf.Root {
  if (!root) {
    const r = new protobuf.Root();
    for (const src of [WELL_KNOWN, TYPES, CONTAINERS, IMAGES, CONTENT, EVENTS, NAMESPACES, VERSION, EVENT_PAYLOADS]) {
      protobuf.parse(src, r, { keepCase: true });
    }
    r.resolveAll();
    root = r;
  }
  return root;
}

/** A message type by its full name, e.g. `containerd.services.containers.v1.Container`. */
export function messageType(name: string): protobuf.Type {
  return schema().lookupType(name);
}

/** Plain-object conversion used for every decoded message: int64 as number, bytes as Buffer, defaults filled. */
export const TO_OBJECT: protobuf.IConversionOptions = { longs: Number, defaults: true, arrays: true, objects: true };

/** Encodes a plain object as the named message. */
export function encode(name: string, value: Record<string, unknown>): Buffer {
  const t = messageType(name);
  return Buffer.from(t.encode(t.fromObject(value)).finish());
}

/** Decodes bytes as the named message into a plain object. */
export function decode<T>(name: string, bytes: Uint8Array): T {
  const t = messageType(name);
  return t.toObject(t.decode(bytes), TO_OBJECT) as T;
}

/** Wire shapes (after `decode`), only the fields Vigil reads. */
export interface PbTimestamp {
  seconds: number;
  nanos: number;
}
/** google.protobuf.Any as decoded. */
export interface PbAny {
  type_url: string;
  value: Uint8Array;
}
/** containers.v1.Container as decoded. */
export interface PbContainer {
  id: string;
  labels: Record<string, string>;
  image: string;
  runtime?: { name: string };
  spec?: PbAny;
  snapshotter: string;
  snapshot_key: string;
  created_at?: PbTimestamp;
  updated_at?: PbTimestamp;
  sandbox: string;
}
/** images.v1.Image as decoded. */
export interface PbImage {
  name: string;
  labels: Record<string, string>;
  target?: { media_type: string; digest: string; size: number; annotations: Record<string, string> };
  created_at?: PbTimestamp;
  updated_at?: PbTimestamp;
}
/** content.v1.Info as decoded. */
export interface PbContentInfo {
  digest: string;
  size: number;
  created_at?: PbTimestamp;
  updated_at?: PbTimestamp;
  labels: Record<string, string>;
}
/** events.v1.Envelope as decoded. */
export interface PbEnvelope {
  timestamp?: PbTimestamp;
  namespace: string;
  topic: string;
  event?: PbAny;
}
