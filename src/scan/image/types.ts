/**
 * Types shared by the image readers: file records, layer results, limits and error codes.
 * @module
 */

/** What kind of file system entry a record is. */
export type EntryKind = 'file' | 'symlink' | 'hardlink' | 'dir';

/** One path of an image's merged file system that a cataloger wanted (or a link). */
export interface FileRecord {
  /** Normalised path without a leading slash (`etc/os-release`). */
  path: string;
  kind: EntryKind;
  /** Index of the layer that introduced this version of the file (0 = base). */
  layer: number;
  mode: number;
  size: number;
  /** Content, kept only for wanted regular files. */
  data?: Buffer;
  /** Link target for symlinks (as written) and hardlinks (normalised path). */
  linkTarget?: string;
  /** Set when `data` is what a {@link FileReducer} kept of the content, not the content. */
  reducedBy?: string;
}

/** Everything one layer contributes: its wanted files, links, and deletions of lower layers' paths. */
export interface LayerResult {
  entries: Map<string, FileRecord>;
  /** Paths removed by `.wh.NAME` markers. */
  whiteouts: string[];
  /** Directories made opaque by `.wh..wh..opq`. */
  opaques: string[];
  /** Bytes of tar data read (uncompressed). */
  bytes: number;
  entryCount: number;
}

/**
 * Keeps a small extract of a file while its content streams past (the build info of a 50 MB
 * Go binary), so large files are inspected without being held in memory.
 */
export interface FileReducer {
  /** Who reduced the file (a cataloger id); recorded as {@link FileRecord.reducedBy}. */
  id: string;
  write(chunk: Buffer): void;
  /** The extract, or undefined when the file held nothing of interest. */
  end(): Buffer | undefined;
}

/** Decides what to keep of a path: its whole content (true), nothing, or a reducer's extract. */
export type WantFile = (path: string, size: number, mode: number) => boolean | FileReducer;

/** Safety limits for hostile input. */
export interface ReadLimits {
  /** Largest total uncompressed size of one image's layers. */
  maxTotalBytes: number;
  /** Largest ratio of uncompressed to compressed bytes before a gzip stream counts as a bomb. */
  maxRatio: number;
  /** The ratio check starts after this many uncompressed bytes. */
  ratioGraceBytes: number;
  /** Most entries in one layer. */
  maxEntries: number;
  /** Largest wanted file kept in memory. */
  maxFileBytes: number;
}

/** Defaults for {@link ReadLimits}. */
export const DEFAULT_LIMITS: ReadLimits = {
  maxTotalBytes: 32 * 1024 ** 3,
  maxRatio: 200,
  ratioGraceBytes: 64 * 1024 ** 2,
  maxEntries: 2_000_000,
  maxFileBytes: 256 * 1024 ** 2,
};

/** Stable error codes of the image readers. */
export const ImageErrors = {
  pathTraversal: 'SCAN_PATH_TRAVERSAL',
  linkEscape: 'SCAN_LINK_ESCAPE',
  symlinkLoop: 'SCAN_SYMLINK_LOOP',
  deviceFile: 'SCAN_DEVICE_FILE',
  bomb: 'SCAN_DECOMPRESSION_BOMB',
  corrupt: 'SCAN_ARCHIVE_CORRUPT',
  tooManyEntries: 'SCAN_TOO_MANY_ENTRIES',
  unsupported: 'SCAN_UNSUPPORTED_FORMAT',
  notFound: 'SCAN_NOT_FOUND',
  badManifest: 'SCAN_BAD_MANIFEST',
} as const;

/** One layer as described by the image: its digest and where it came from. */
export interface LayerInfo {
  digest: string;
  diffId?: string;
  size?: number;
  mediaType?: string;
  createdBy?: string;
}

/** An image's metadata (from its config) and merged wanted files. */
export interface ImageContents {
  /** Where the image came from (file path, directory, reference). */
  source: string;
  format: 'docker-archive' | 'oci-layout' | 'directory' | 'registry' | 'containerd';
  layers: LayerInfo[];
  config?: Record<string, unknown>;
  repoTags: string[];
  imageId?: string;
}
